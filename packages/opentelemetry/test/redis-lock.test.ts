import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SumMetricData } from '@opentelemetry/sdk-metrics';
import { TokenManager, type ReleaseLock } from '@kunci/core';
import { RedisTokenStore } from '@kunci/redis-store';
import { createTokenProvider } from '@kunci/sdk';
import { describeRedis, REDIS_URL, uniquePrefix, useRedisClient } from '../../redis-store/test/redis-env';
import { KUNCI_METRICS, KUNCI_SPANS } from '../src';
import { deferred } from '#test-kit';
import { gatedProvider, useContextManager, useSandboxTelemetry } from './telemetry';

// The fleet lock on a real Redis: two instances, one fetching under the lock while the other waits.

useContextManager();

const PREFIX = uniquePrefix();
useRedisClient(PREFIX);

/** A RedisTokenStore that says when it first found the lock held. */
class WatchedStore extends RedisTokenStore {
  readonly busy = deferred();

  override async acquireLock(key: string, ttlMs: number): Promise<ReleaseLock | undefined> {
    const release = await super.acquireLock(key, ttlMs);
    if (release === undefined) this.busy.resolve();
    return release;
  }
}

const named = (spans: ReadableSpan[], name: string): ReadableSpan[] => spans.filter((span) => span.name === name);

describeRedis('KunciInstrumentation and a fleet on Redis', () => {
  const fx = useSandboxTelemetry();
  const stores: RedisTokenStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('a lock wait: the waiter adopts the holder’s token, its lock span says so, and the wait is counted', async () => {
    const waits = async (): Promise<number> => {
      const data = (await fx.telemetry.metric(KUNCI_METRICS.lockWaits)) as SumMetricData | undefined;
      return data?.dataPoints.find((point) => point.attributes['kunci.provider'] === 'pivot-snap')?.value ?? 0;
    };
    const before = await waits();
    const prefix = `${PREFIX}${Math.random().toString(36).slice(2)}:`;
    const holderStore = new RedisTokenStore({ url: REDIS_URL, prefix });
    const waiterStore = new WatchedStore({ url: REDIS_URL, prefix });
    stores.push(holderStore, waiterStore);
    const real = createTokenProvider(fx.sandbox.config().providers['pivot-snap']);
    const fetching = deferred();
    const gate = deferred();
    const gated = gatedProvider(real, gate.promise, () => fetching.resolve());
    const lock = { pollMs: 5, waitMs: 10_000 };
    const holder = fx.manage(new TokenManager(gated, { store: holderStore, lock }));
    const waiter = fx.manage(new TokenManager(real, { store: waiterStore, lock }));
    const first = holder.getToken();
    await fetching.promise;
    const second = waiter.getToken();
    await waiterStore.busy.promise;
    gate.resolve();
    const [a, b] = await Promise.all([first, second]);
    expect(b.accessToken).toBe(a.accessToken);

    const spans = fx.telemetry.spans();
    expect(named(spans, KUNCI_SPANS.tokenFetch)).toHaveLength(1);
    expect(
      named(spans, KUNCI_SPANS.storeLock)
        .map((span) => span.attributes['kunci.lock.outcome'])
        .sort(),
    ).toEqual(['acquired', 'adopted']);
    expect(
      named(spans, KUNCI_SPANS.tokenGet)
        .map((span) => span.attributes['kunci.token.source'])
        .sort(),
    ).toEqual(['network', 'store']);
    expect(await waits()).toBe(before + 1);
  });
});
