import { randomBytes } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SumMetricData } from '@opentelemetry/sdk-metrics';
import { otherKeyPair, deferred } from '#test-kit';
import {
  isAuthError,
  TokenManager,
  type AccessToken,
  type AuthError,
  type ReleaseLock,
  type TokenProvider,
  type TokenStore,
} from '@kunci/core';
import { createTokenProvider } from '@kunci/sdk';
import { KUNCI_METRICS, KUNCI_SPANS } from '../src';
import { gatedProvider, useContextManager, useSandboxTelemetry, type Telemetry } from './telemetry';

// What the TokenManager publishes: a miss and a refresh as spans, the fleet's store and lock, the
// retries, and its counters read as metrics. Each case drives a real manager; none publishes by hand.

useContextManager();

const named = (spans: ReadableSpan[], name: string): ReadableSpan[] => spans.filter((span) => span.name === name);
const childOf = (span: ReadableSpan | undefined, parent: ReadableSpan | undefined): boolean =>
  span !== undefined && parent !== undefined && span.parentSpanContext?.spanId === parent.spanContext().spanId;

/** A fleet store in the process, with a lock; `busy` settles the first time a lock is refused. */
class LockingStore implements TokenStore {
  readonly entries = new Map<string, AccessToken>();
  readonly locks = new Set<string>();
  readonly busy = deferred();
  failReads = false;

  get(key: string): Promise<AccessToken | undefined> {
    if (this.failReads) return Promise.reject(new Error('store down'));
    return Promise.resolve(this.entries.get(key));
  }
  set(key: string, token: AccessToken): Promise<void> {
    this.entries.set(key, token);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }
  acquireLock(key: string): Promise<ReleaseLock | undefined> {
    if (this.locks.has(key)) {
      this.busy.resolve();
      return Promise.resolve(undefined);
    }
    this.locks.add(key);
    return Promise.resolve(() => {
      this.locks.delete(key);
      return Promise.resolve();
    });
  }
}

/** The value of one data point of a counter, by its attributes. */
async function counted(telemetry: Telemetry, metric: string, attributes: Record<string, string>): Promise<number> {
  const data = (await telemetry.metric(metric)) as SumMetricData | undefined;
  const point = data?.dataPoints.find((item) =>
    Object.entries(attributes).every(([name, value]) => item.attributes[name] === value),
  );
  return point?.value ?? 0;
}

describe('KunciInstrumentation and the TokenManager', () => {
  const fx = useSandboxTelemetry();
  const { manage } = fx;
  const snap = (): TokenProvider => createTokenProvider(fx.sandbox.config().providers['pivot-snap']);

  it('a cold getToken: a kunci token get span over its fetch; the cached read after it makes no span', async () => {
    const provider = snap();
    const tokens = manage(new TokenManager(provider));
    const before = {
      hits: await counted(fx.telemetry, KUNCI_METRICS.cacheHits, {
        'kunci.provider': 'pivot-snap',
        'kunci.token.source': 'memory',
      }),
      misses: await counted(fx.telemetry, KUNCI_METRICS.cacheMisses, { 'kunci.provider': 'pivot-snap' }),
    };
    await tokens.getToken();
    const afterCold = fx.telemetry.spans().length;
    await tokens.getToken();
    await tokens.getToken();

    const spans = fx.telemetry.spans();
    expect(spans).toHaveLength(afterCold);
    const [get] = named(spans, KUNCI_SPANS.tokenGet);
    const [fetch] = named(spans, KUNCI_SPANS.tokenFetch);
    expect(get!.kind).toBe(SpanKind.INTERNAL);
    expect(get!.attributes).toMatchObject({
      'kunci.provider': 'pivot-snap',
      'kunci.flow': 'b2b',
      'kunci.token.source': 'network',
    });
    expect(childOf(fetch, get)).toBe(true);
    expect(
      await counted(fx.telemetry, KUNCI_METRICS.cacheHits, {
        'kunci.provider': 'pivot-snap',
        'kunci.token.source': 'memory',
      }),
    ).toBe(before.hits + 2);
    expect(await counted(fx.telemetry, KUNCI_METRICS.cacheMisses, { 'kunci.provider': 'pivot-snap' })).toBe(
      before.misses + 1,
    );
  });

  it('a retry through the manager: two fetch spans under one get, the second with its resend count', async () => {
    fx.sandbox.inject({ provider: 'pivot-snap', kind: 'retryAfter', retryAfterSeconds: 0, times: 1 });
    const tokens = manage(new TokenManager(snap()));
    await tokens.getToken();

    const spans = fx.telemetry.spans();
    const [get] = named(spans, KUNCI_SPANS.tokenGet);
    const fetches = named(spans, KUNCI_SPANS.tokenFetch);
    expect(fetches.map((span) => span.attributes['http.request.resend_count'])).toEqual([undefined, 1]);
    expect(fetches.map((span) => span.attributes['error.type'])).toEqual(['RATE_LIMITED', undefined]);
    expect(fetches.every((span) => childOf(span, get))).toBe(true);
    expect(get!.events.map((event) => [event.name, event.attributes?.['kunci.attempt']])).toEqual([['kunci.retry', 1]]);
  });

  it('a fleet lock wait: a store lock span that adopted the holder’s token, and the wait counted', async () => {
    const store = new LockingStore();
    const gate = deferred();
    const real = snap();
    const slow = gatedProvider(real, gate.promise);
    const waitsBefore = await counted(fx.telemetry, KUNCI_METRICS.lockWaits, { 'kunci.provider': 'pivot-snap' });
    const storeHitsBefore = await counted(fx.telemetry, KUNCI_METRICS.cacheHits, {
      'kunci.provider': 'pivot-snap',
      'kunci.token.source': 'store',
    });
    const holder = manage(new TokenManager(slow, { store, lock: { pollMs: 1, waitMs: 10_000 } }));
    const waiter = manage(new TokenManager(real, { store, lock: { pollMs: 1, waitMs: 10_000 } }));
    const first = holder.getToken();
    const second = waiter.getToken();
    await store.busy.promise;
    gate.resolve();
    const [a, b] = await Promise.all([first, second]);
    expect(b.accessToken).toBe(a.accessToken);

    const spans = fx.telemetry.spans();
    const locks = named(spans, KUNCI_SPANS.storeLock);
    expect(locks.map((span) => span.attributes['kunci.lock.outcome']).sort()).toEqual(['acquired', 'adopted']);
    // Each caller's get span says where its token came from; each lock step is a child of its get.
    const gets = named(spans, KUNCI_SPANS.tokenGet);
    expect(gets.map((span) => span.attributes['kunci.token.source']).sort()).toEqual(['network', 'store']);
    for (const lock of locks) expect(gets.some((get) => childOf(lock, get))).toBe(true);
    expect(
      await counted(fx.telemetry, KUNCI_METRICS.cacheHits, {
        'kunci.provider': 'pivot-snap',
        'kunci.token.source': 'store',
      }),
    ).toBe(storeHitsBefore + 1);
    expect(await counted(fx.telemetry, KUNCI_METRICS.lockWaits, { 'kunci.provider': 'pivot-snap' })).toBe(
      waitsBefore + 1,
    );
    expect(named(fx.telemetry.spans(), KUNCI_SPANS.tokenFetch)).toHaveLength(1);
  });

  it('a store that fails: an ERROR store read span and a store error counted', async () => {
    const store = new LockingStore();
    store.failReads = true;
    const errorsBefore = await counted(fx.telemetry, KUNCI_METRICS.storeErrors, { 'kunci.provider': 'pivot-snap' });
    const tokens = manage(new TokenManager(snap(), { store }));
    await tokens.getToken();

    const [read] = named(fx.telemetry.spans(), KUNCI_SPANS.storeRead);
    expect(read!.attributes).toMatchObject({ 'kunci.store.operation': 'get', 'error.type': 'Error' });
    expect(await counted(fx.telemetry, KUNCI_METRICS.storeErrors, { 'kunci.provider': 'pivot-snap' })).toBe(
      errorsBefore + 1,
    );
  });

  it('a due token: served at once, a kunci token refresh span of its own linked to the caller, served stale counted', async () => {
    let now = Date.now();
    const tokens = manage(new TokenManager(snap(), { clock: () => now, refreshBeforeSeconds: 60 }));
    const token = await tokens.getToken();
    now = token.expiresAt.getTime() - 30_000;
    const staleBefore = await counted(fx.telemetry, KUNCI_METRICS.servedStale, { 'kunci.provider': 'pivot-snap' });
    const refreshed = deferred();
    tokens.on('refresh', ({ phase }) => {
      if (phase !== 'started') refreshed.resolve();
    });
    const tracer = fx.telemetry.tracerProvider.getTracer('orders');
    await tracer.startActiveSpan('GET /orders', async (span) => {
      expect((await tokens.getToken()).accessToken).toBe(token.accessToken);
      span.end();
    });
    await refreshed.promise;

    const spans = fx.telemetry.spans();
    const [orders] = named(spans, 'GET /orders');
    const [refresh] = named(spans, KUNCI_SPANS.tokenRefresh);
    expect(refresh!.parentSpanContext).toBeUndefined();
    expect(refresh!.links.map((link) => link.context.spanId)).toEqual([orders!.spanContext().spanId]);
    expect(childOf(named(spans, KUNCI_SPANS.tokenFetch).at(-1), refresh)).toBe(true);
    expect(await counted(fx.telemetry, KUNCI_METRICS.servedStale, { 'kunci.provider': 'pivot-snap' })).toBe(
      staleBefore + 1,
    );
  });
  it('a refusal through the manager: the get span and its fetch span are ERRORs with the AuthError code', async () => {
    const config = { ...fx.sandbox.config().providers['pivot-snap'], privateKey: otherKeyPair().privateKeyPem };
    const tokens = manage(new TokenManager(createTokenProvider(config)));
    const error = (await tokens.getToken().catch((caught: unknown) => caught)) as AuthError;
    expect(isAuthError(error)).toBe(true);

    const spans = fx.telemetry.spans();
    const [get] = named(spans, KUNCI_SPANS.tokenGet);
    const [fetch] = named(spans, KUNCI_SPANS.tokenFetch);
    expect(childOf(fetch, get)).toBe(true);
    for (const span of [get!, fetch!]) {
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
      expect(span.attributes['error.type']).toBe(error.code);
    }
  });

  it('a clock skew retry: the second fetch has its resend count, the retry event waits 0 ms', async () => {
    fx.sandbox.inject({ provider: 'pivot-snap', kind: 'skew', ms: 10 * 60_000 });
    const tokens = manage(new TokenManager(snap()));
    await tokens.getToken();

    const spans = fx.telemetry.spans();
    const [get] = named(spans, KUNCI_SPANS.tokenGet);
    const fetches = named(spans, KUNCI_SPANS.tokenFetch);
    expect(fetches.map((span) => span.attributes['http.request.resend_count'])).toEqual([undefined, 1]);
    expect(fetches.map((span) => span.attributes['error.type'])).toEqual(['TIMESTAMP_REJECTED', undefined]);
    expect(
      get!.events.map((event) => [
        event.name,
        event.attributes?.['kunci.attempt'],
        event.attributes?.['error.type'],
        event.attributes?.['kunci.retry.delay_ms'],
      ]),
    ).toEqual([['kunci.retry', 1, 'TIMESTAMP_REJECTED', 0]]);
  });

  it('a failed background refresh: an ERROR refresh span, and the failure counted', async () => {
    let now = Date.now();
    const tokens = manage(
      new TokenManager(snap(), { clock: () => now, refreshBeforeSeconds: 60, retry: { attempts: 1 } }),
    );
    const token = await tokens.getToken();
    now = token.expiresAt.getTime() - 30_000;
    const failuresBefore = await counted(fx.telemetry, KUNCI_METRICS.refreshFailures, {
      'kunci.provider': 'pivot-snap',
    });
    fx.sandbox.inject({ provider: 'pivot-snap', kind: 'status', status: 503, times: 1 });
    const failed = deferred();
    tokens.on('refresh', ({ phase }) => {
      if (phase === 'failed') failed.resolve();
    });
    expect((await tokens.getToken()).accessToken).toBe(token.accessToken);
    await failed.promise;

    const [refresh] = named(fx.telemetry.spans(), KUNCI_SPANS.tokenRefresh);
    expect(refresh!.status.code).toBe(SpanStatusCode.ERROR);
    expect(refresh!.attributes['error.type']).toBeDefined();
    expect(await counted(fx.telemetry, KUNCI_METRICS.refreshFailures, { 'kunci.provider': 'pivot-snap' })).toBe(
      failuresBefore + 1,
    );
  });

  it('no exported span or metric of the manager’s work holds a token, a secret, a key or an auth code', async () => {
    const config = fx.sandbox.config().providers['pivot-snap'];
    const authCode = randomBytes(12).toString('hex');
    const store = new LockingStore();
    const tokens = manage(new TokenManager(createTokenProvider(config), { store }));
    const other = manage(new TokenManager(createTokenProvider(config), { store }));
    const b2b = await tokens.getToken();
    const customer = await tokens.getToken({ authCode });
    // The other instance reads both from the fleet's store.
    await other.getToken();
    await other.getToken({ authCode });
    fx.sandbox.inject({ provider: 'pivot-snap', kind: 'retryAfter', retryAfterSeconds: 0, times: 1 });
    await tokens.invalidate({ authCode });
    const renewed = await tokens.getToken({ authCode });

    const spans = fx.telemetry.spans();
    for (const name of [KUNCI_SPANS.tokenGet, KUNCI_SPANS.storeRead, KUNCI_SPANS.storeWrite, KUNCI_SPANS.storeLock])
      expect(named(spans, name).length).toBeGreaterThan(0);
    const text = JSON.stringify({
      spans: spans.map((span) => ({
        name: span.name,
        attributes: span.attributes,
        status: span.status,
        events: span.events,
        links: span.links,
      })),
      metrics: await fx.telemetry.metrics(),
    });
    const keyBody = config.privateKey
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('-----'))
      .map((line) => line.slice(0, 24));
    const secrets = [
      config.clientSecret,
      ...keyBody,
      b2b.accessToken,
      customer.accessToken,
      customer.refreshToken!,
      renewed.accessToken,
      renewed.refreshToken!,
      authCode,
    ];
    expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
  });
});
