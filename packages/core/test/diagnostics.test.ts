import { randomBytes } from 'node:crypto';
import { channel, tracingChannel } from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { KUNCI_CHANNELS, TOKEN_COUNTER_NAMES, tokenCounterTotals } from '../src';
import {
  hashCacheKey,
  publishTokenRetry,
  signingFor,
  traceStoreLock,
  traceStoreOperation,
  traceTokenGet,
} from '../src/diagnostics';
import { createTokenCounters, retireTokenCounters } from '../src/diagnostics-counters';
import { HttpTokenProvider, type HttpProviderSpec } from '../src/http-provider';
import { startLoopbackServer, type LoopbackServer } from '../src/loopback-server';
import { createAccessToken, type AccessToken } from '../src/token';

type Event = [string, Record<string, unknown>];

/** Subscribes to every event of a tracing channel; each event is recorded with a copy of its message. */
function record(name: string): { events: Event[]; stop(): void } {
  const traced = tracingChannel<unknown, object>(name);
  const events: Event[] = [];
  const push = (event: string) => (message: object) => events.push([event, { ...message }]);
  const handlers = {
    start: push('start'),
    end: push('end'),
    asyncStart: push('asyncStart'),
    asyncEnd: push('asyncEnd'),
    error: push('error'),
  };
  traced.subscribe(handlers);
  return { events, stop: () => traced.unsubscribe(handlers) };
}

const random = (): string => randomBytes(18).toString('base64url');

function token(accessToken: string, refreshToken?: string): AccessToken {
  return createAccessToken({
    accessToken,
    tokenType: 'Bearer',
    expiresIn: 900,
    expiresAt: new Date(Date.now() + 900_000),
    issuedAt: new Date(),
    ...(refreshToken !== undefined ? { refreshToken } : {}),
    provider: 'demo',
    responseCode: '200',
    responseMessage: 'ok',
  });
}

/** A provider on loopback that answers with `accessToken`, or refuses with 401 when `refuse`. */
function demoProvider(
  server: LoopbackServer,
  secret: string,
  accessToken: string,
  refreshToken: string,
): HttpTokenProvider<'B2B2C' | 'B2B'> {
  const spec: HttpProviderSpec<'B2B2C' | 'B2B'> = {
    provider: 'demo',
    clientId: 'client-1',
    supportsCustomerTokens: true,
    secrets: [secret],
    tokenPaths: ['/token'],
    keyKinds: { token: 'hmac', service: 'hmac' },
    prepare: (request) => ({
      flow: request.authCode !== undefined ? 'B2B2C' : 'B2B',
      path: '/token',
      headers: { 'X-Secret': secret },
      body: request.authCode !== undefined ? { authCode: request.authCode } : {},
    }),
    readCode: (body) => (typeof body.code === 'string' ? { code: body.code } : undefined),
    isSuccess: (code) => code === 'ok',
    mapCode: () => 'CREDENTIALS_REJECTED',
    readToken: () => token(accessToken, refreshToken),
    signRequest: (request) => ({ headers: { 'X-Signature': `${secret}:${request.method}` }, body: undefined }),
  };
  return new HttpTokenProvider(spec, { baseUrl: server.url, timeoutMs: 2000, maxResponseBytes: 4096, clock: Date.now });
}

describe('diagnostics channels', () => {
  let server: LoopbackServer;
  let answer: { status: number; code: string };
  beforeEach(async () => {
    answer = { status: 200, code: 'ok' };
    server = await startLoopbackServer(() => ({
      status: answer.status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: answer.code }),
    }));
  });
  afterEach(() => server.close());

  it('publish nothing and build no message while nobody listens', async () => {
    const seen: unknown[] = [];
    const provider = demoProvider(server, random(), random(), random());
    await expect(
      traceTokenGet(provider, 'demo:client-1', false, 'miss', async (message) => {
        seen.push(message);
        return provider.fetchToken();
      }),
    ).resolves.toMatchObject({ provider: 'demo' });
    expect(seen).toEqual([undefined]);
  });

  it('kunci:token.fetch: one request, in the order of node’s tracePromise, the token masked', async () => {
    const secret = random();
    const accessToken = random();
    const refreshToken = random();
    const authCode = random();
    const recorder = record(KUNCI_CHANNELS.tokenFetch);
    try {
      const provider = demoProvider(server, secret, accessToken, refreshToken);
      await provider.fetchToken({ authCode }, { attempt: 2 });
      expect(recorder.events.map(([event]) => event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
      const [, started] = recorder.events[0]!;
      expect(started).toEqual({ provider: 'demo', clientId: 'client-1', attempt: 2, method: 'POST', keyKind: 'hmac' });
      const [, done] = recorder.events[3]!;
      expect(done).toMatchObject({
        flow: 'b2b2c',
        url: `${server.url}/token`,
        serverAddress: '127.0.0.1',
        serverPort: server.port,
        status: 200,
        token: { accessToken: `${accessToken.slice(0, 4)}…`, hasRefreshToken: true },
      });
      expect(typeof done.durationMs).toBe('number');
      const printed = inspect(recorder.events, { depth: 8 }) + JSON.stringify(recorder.events);
      for (const value of [secret, accessToken, refreshToken, authCode]) expect(printed).not.toContain(value);
    } finally {
      recorder.stop();
    }
  });

  it('kunci:token.fetch: a refusal is published on error with its code and status', async () => {
    answer = { status: 401, code: 'denied' };
    const recorder = record(KUNCI_CHANNELS.tokenFetch);
    try {
      const provider = demoProvider(server, random(), random(), random());
      await expect(provider.fetchToken()).rejects.toMatchObject({ code: 'CREDENTIALS_REJECTED' });
      expect(recorder.events.map(([event]) => event)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
      expect(recorder.events[2]![1]).toMatchObject({
        attempt: 1,
        flow: 'b2b',
        status: 401,
        errorCode: 'CREDENTIALS_REJECTED',
      });
    } finally {
      recorder.stop();
    }
  });

  it('kunci:service.sign: a synchronous trace of the signature, without the tokens', () => {
    const accessToken = random();
    const customerToken = random();
    const recorder = record(KUNCI_CHANNELS.serviceSign);
    try {
      const provider = demoProvider(server, random(), random(), random());
      provider.signRequest!({ method: 'post', url: 'https://api.example.com/v1/pay?x=1', accessToken, customerToken });
      expect(recorder.events.map(([event]) => event)).toEqual(['start', 'end']);
      expect(recorder.events[1]![1]).toEqual({
        provider: 'demo',
        clientId: 'client-1',
        method: 'POST',
        serverAddress: 'api.example.com',
        customer: true,
        keyKind: 'hmac',
        durationMs: expect.any(Number) as unknown,
      });
      expect(JSON.stringify(recorder.events)).not.toContain(accessToken);
    } finally {
      recorder.stop();
    }
  });

  it('kunci:service.sign: a path signed through signingFor names the host it goes to, for that signature only', () => {
    const provider = demoProvider(server, random(), random(), random());
    const sign = (): unknown => provider.signRequest!({ method: 'get', url: '/v1/balance', accessToken: random() });
    // Nobody listens: the signature runs as it is.
    expect(signingFor('api.example.com', sign)).toMatchObject({ headers: expect.any(Object) as unknown });
    const recorder = record(KUNCI_CHANNELS.serviceSign);
    try {
      signingFor('api.example.com', sign);
      sign();
      signingFor(undefined, sign);
      const ends = recorder.events.filter(([event]) => event === 'end').map(([, message]) => message.serverAddress);
      expect(ends).toEqual(['api.example.com', undefined, undefined]);
    } finally {
      recorder.stop();
    }
  });

  it('kunci:token.get: the hashed key, the source the caller sets, and the masked token', async () => {
    const authCode = random();
    const recorder = record(KUNCI_CHANNELS.tokenGet);
    try {
      const served = token(random());
      await traceTokenGet(
        { provider: 'demo', clientId: 'client-1' },
        `demo:client-1:${authCode}`,
        true,
        'miss',
        (message) => {
          if (message !== undefined) message.source = 'store';
          return Promise.resolve(served);
        },
      );
      const [, done] = recorder.events[3]!;
      expect(done).toMatchObject({
        flow: 'b2b2c',
        kind: 'miss',
        source: 'store',
        keyHash: hashCacheKey(`demo:client-1:${authCode}`),
        token: { accessToken: `${served.accessToken.slice(0, 4)}…` },
      });
      expect(JSON.stringify(recorder.events)).not.toContain(authCode);
      expect(JSON.stringify(recorder.events)).not.toContain(served.accessToken);
    } finally {
      recorder.stop();
    }
  });

  it('kunci:store.*: reads say whether the store held the key; writes and locks their outcome', async () => {
    const reads = record(KUNCI_CHANNELS.storeRead);
    const writes = record(KUNCI_CHANNELS.storeWrite);
    const locks = record(KUNCI_CHANNELS.storeLock);
    const owner = { provider: 'demo', clientId: 'client-1' };
    try {
      await traceStoreOperation(owner, 'get', 'k', () => Promise.resolve(undefined));
      await traceStoreOperation(owner, 'set', 'k', () => Promise.resolve());
      await expect(traceStoreOperation(owner, 'delete', 'k', () => Promise.reject(new Error('down')))).rejects.toThrow(
        'down',
      );
      // The lock's own calls are part of the lock step, not operations of their own.
      await traceStoreOperation(owner, 'lock', 'k', () => Promise.resolve());
      await traceStoreLock(owner, 'k', () => Promise.resolve({ release: () => Promise.resolve() }));
      expect(reads.events.at(-1)![1]).toMatchObject({ operation: 'get', found: false, keyHash: hashCacheKey('k') });
      expect(writes.events.filter(([event]) => event === 'asyncEnd').map(([, message]) => message.operation)).toEqual([
        'set',
        'delete',
      ]);
      expect(writes.events.find(([event]) => event === 'error')![1]).toMatchObject({ operation: 'delete' });
      expect(locks.events.at(-1)![1]).toMatchObject({ outcome: 'acquired' });
    } finally {
      reads.stop();
      writes.stop();
      locks.stop();
    }
  });

  it('kunci:token.retry: a plain message, built only for a subscriber', () => {
    const messages: unknown[] = [];
    const listener = (message: unknown): void => void messages.push(message);
    publishTokenRetry({ provider: 'demo', clientId: 'c' }, 'k', 1, 'RATE_LIMITED', 50);
    channel(KUNCI_CHANNELS.tokenRetry).subscribe(listener);
    try {
      publishTokenRetry({ provider: 'demo', clientId: 'c' }, 'k', 1, 'RATE_LIMITED', 50);
    } finally {
      channel(KUNCI_CHANNELS.tokenRetry).unsubscribe(listener);
    }
    expect(messages).toEqual([
      {
        provider: 'demo',
        clientId: 'c',
        keyHash: hashCacheKey('k'),
        attempt: 1,
        errorCode: 'RATE_LIMITED',
        delayMs: 50,
      },
    ]);
  });
});

describe('token counters', () => {
  it('sum every manager per provider, and keep a retired manager’s counts', () => {
    const provider = `p-${random()}`;
    const first = createTokenCounters({}, provider);
    const second = createTokenCounters({}, provider);
    first.memoryHits += 3;
    second.memoryHits += 2;
    second.lockWaits++;
    expect(tokenCounterTotals().get(provider)).toMatchObject({ memoryHits: 5, lockWaits: 1, misses: 0 });
    retireTokenCounters(first);
    retireTokenCounters(first);
    second.memoryHits++;
    expect(tokenCounterTotals().get(provider)).toMatchObject({ memoryHits: 6, lockWaits: 1 });
    expect(Object.keys(tokenCounterTotals().get(provider)!).sort()).toEqual([...TOKEN_COUNTER_NAMES].sort());
  });
});
