import { channel, tracingChannel } from 'node:diagnostics_channel';
import { KUNCI_CHANNELS, tokenCounterTotals, type TokenCounterValues } from '../../src';
import { hashCacheKey, type TokenRetryMessage } from '../../src/diagnostics';
import { TokenManager } from '../../src/manager';
import { deferred } from '../../test-kit/deferred';
import { authError, FakeProvider, flush, makeToken, type Call } from './fake-provider';
import { FakeStore } from './fake-store';

// What the TokenManager publishes for diagnostics: its counters, the attempt of every provider
// call, a retry message for every retry, and its traced work on the channels.

const T0 = new Date('2026-01-01T00:00:00Z').getTime();

beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

let providers = 0;

/** A fake provider under a name of its own: the totals of its counters are this test's alone. */
function ownProvider(...steps: Parameters<FakeProvider['script']>): FakeProvider {
  const provider = new FakeProvider().script(...steps);
  (provider as { provider: string }).provider = `diagnostics-${++providers}`;
  return provider;
}

function counts(provider: FakeProvider): Partial<TokenCounterValues> {
  const values = tokenCounterTotals().get(provider.provider);
  if (values === undefined) return {};
  // Only the counts that moved: the expectations name what happened.
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== 0));
}

/** Every message of a tracing channel, as `[event, copy of the message]`. */
function record(name: string): { events: Array<[string, Record<string, unknown>]>; stop(): void } {
  const traced = tracingChannel<unknown, object>(name);
  const events: Array<[string, Record<string, unknown>]> = [];
  const push = (event: string) => (message: object) => void events.push([event, { ...message }]);
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

describe('TokenManager counters', () => {
  it('count memory hits, misses, and a due token served while its refresh fails', async () => {
    const provider = ownProvider();
    const manager = new TokenManager(provider, { refreshBeforeSeconds: 60, retry: { attempts: 1 } });
    const token = await manager.getToken();
    await manager.getToken();
    await manager.getToken();
    expect(counts(provider)).toEqual({ misses: 1, memoryHits: 2 });

    provider.script(authError('PROVIDER_UNAVAILABLE'));
    const failed = deferred<void>();
    manager.on('refresh', ({ phase }) => phase === 'failed' && failed.resolve());
    jest.setSystemTime(token.expiresAt.getTime() - 30_000);
    await manager.getToken();
    await failed.promise;
    expect(counts(provider)).toEqual({ misses: 1, memoryHits: 3, servedStale: 1, refreshFailures: 1 });
    await manager.close();
  });

  it('count a store hit, a lock wait and a store error in a fleet', async () => {
    const provider = ownProvider();
    const store = new FakeStore();
    const key = `${provider.provider}:client-1`;
    // Another instance holds the key's lock, and writes its token after the first poll.
    store.locks.set(key, T0 + 60_000);
    const manager = new TokenManager(provider, { store, lock: { waitMs: 1_000, pollMs: 100 } });
    const pending = manager.getToken();
    await flush();
    const theirs = makeToken();
    store.tokens.set(key, theirs);
    await jest.advanceTimersByTimeAsync(100);
    expect(await pending).toBe(theirs);
    expect(provider.calls).toHaveLength(0);
    expect(counts(provider)).toEqual({ misses: 1, storeHits: 1, lockWaits: 1 });

    store.failing = 'throw';
    await manager.invalidate();
    expect(counts(provider)).toEqual({ misses: 1, storeHits: 1, lockWaits: 1, storeErrors: 2 });
    await manager.close();
  });

  it('count no lock wait when the lock was free', async () => {
    const provider = ownProvider();
    const manager = new TokenManager(provider, { store: new FakeStore() });
    await manager.getToken();
    expect(counts(provider)).toEqual({ misses: 1 });
    await manager.close();
  });
});

describe('TokenManager attempts and retries', () => {
  it('number every provider call of a flight, skew and grant retries included, and publish each retry', async () => {
    const provider = ownProvider(makeToken({ refreshToken: 'REFRESHSECRET-1', refreshTokenLifetimeMs: 86_400_000 }));
    const manager = new TokenManager(provider, { random: () => 0 });
    await manager.getToken({ authCode: 'alice' });
    const skewed = (call: Call): Promise<never> => {
      call.options?.onResponse?.({ status: 400, serverDate: new Date(Date.now() + 90_000), receivedAt: new Date() });
      return Promise.reject(authError('TIMESTAMP_REJECTED', { status: 400 }));
    };
    provider.script(skewed, authError('GRANT_REJECTED'), authError('RATE_LIMITED'));
    const retries: TokenRetryMessage[] = [];
    const listener = (message: unknown): void => void retries.push(message as TokenRetryMessage);
    channel(KUNCI_CHANNELS.tokenRetry).subscribe(listener);
    try {
      // Expired: the next fetch sends the refresh token it came with.
      jest.setSystemTime(T0 + 900_000);
      const pending = manager.getToken({ authCode: 'alice' });
      await jest.advanceTimersByTimeAsync(0);
      await pending;
    } finally {
      channel(KUNCI_CHANNELS.tokenRetry).unsubscribe(listener);
    }
    expect(provider.calls.map((call) => call.options?.attempt)).toEqual([1, 1, 2, 3, 4]);
    const keyHash = hashCacheKey(`${provider.provider}:client-1:alice`);
    expect(retries).toEqual([
      {
        provider: provider.provider,
        clientId: 'client-1',
        keyHash,
        attempt: 1,
        errorCode: 'TIMESTAMP_REJECTED',
        delayMs: 0,
      },
      {
        provider: provider.provider,
        clientId: 'client-1',
        keyHash,
        attempt: 2,
        errorCode: 'GRANT_REJECTED',
        delayMs: 0,
      },
      { provider: provider.provider, clientId: 'client-1', keyHash, attempt: 3, errorCode: 'RATE_LIMITED', delayMs: 0 },
    ]);
    expect(JSON.stringify(retries)).not.toContain('alice');
    await manager.close();
  });
});

describe('TokenManager channels', () => {
  it('trace a miss with its source and the fleet store’s steps; a fresh hit publishes nothing', async () => {
    const provider = ownProvider();
    const store = new FakeStore();
    const gets = record(KUNCI_CHANNELS.tokenGet);
    const reads = record(KUNCI_CHANNELS.storeRead);
    const writes = record(KUNCI_CHANNELS.storeWrite);
    const locks = record(KUNCI_CHANNELS.storeLock);
    try {
      const manager = new TokenManager(provider, { store });
      await manager.getToken();
      const published = gets.events.length + reads.events.length + writes.events.length + locks.events.length;
      await manager.getToken();
      expect(gets.events.length + reads.events.length + writes.events.length + locks.events.length).toBe(published);

      expect(gets.events.map(([event]) => event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
      expect(gets.events.at(-1)![1]).toMatchObject({ kind: 'miss', flow: 'b2b', source: 'network' });
      expect(reads.events.filter(([event]) => event === 'asyncEnd').map(([, m]) => m.found)).toEqual([false, false]);
      expect(locks.events.at(-1)![1]).toMatchObject({ outcome: 'acquired' });
      expect(writes.events.at(-1)![1]).toMatchObject({ operation: 'set' });

      // Another instance reads the token from the store: source store, and no lock step.
      const fromStore = new TokenManager(provider, { store });
      const locksBefore = locks.events.length;
      await fromStore.getToken();
      expect(gets.events.at(-1)![1]).toMatchObject({ kind: 'miss', source: 'store' });
      expect(locks.events.length).toBe(locksBefore);
      await Promise.all([manager.close(), fromStore.close()]);
    } finally {
      for (const recorder of [gets, reads, writes, locks]) recorder.stop();
    }
  });
});
