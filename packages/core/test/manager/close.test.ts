import { TokenManager, TokenManagerClosedError } from '../../src/manager';
import type { AccessToken } from '../../src/token';
import { deferred } from '../../test-kit/deferred';
import { authError, FakeProvider, flush, makeToken } from './fake-provider';
import { FakeStore } from './fake-store';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();

beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

describe('close()', () => {
  it('aborts the fetch in progress through the provider’s signal and rejects its callers', async () => {
    const provider = new FakeProvider().script(deferred<AccessToken>());
    const manager = new TokenManager(provider);
    const waiting = manager.getToken();
    await flush();
    expect(jest.getTimerCount()).toBe(1);
    await manager.close();
    await expect(waiting).rejects.toBeInstanceOf(TokenManagerClosedError);
    expect(provider.calls[0]?.options?.signal?.aborted).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects later calls with a clear error, even for a cached token', async () => {
    const manager = new TokenManager(new FakeProvider());
    await manager.getToken();
    await manager.close();
    await expect(manager.getToken()).rejects.toThrow(/TokenManager for pivot-snap is closed/);
    await expect(manager.getToken()).rejects.toMatchObject({ code: 'MANAGER_CLOSED' });
    await expect(manager.close()).resolves.toBeUndefined();
  });

  it('clears a retry backoff wait and a lock poll', async () => {
    const store = new FakeStore();
    store.locks.set('pivot-snap:client-1:alice', T0 + 60_000);
    const provider = new FakeProvider().script(authError('NETWORK'));
    const manager = new TokenManager(provider, {
      store,
      random: () => 0.9,
      retry: { baseDelayMs: 10_000, maxDelayMs: 10_000 },
    });
    const errors: unknown[] = [];
    manager.on('error', (event) => errors.push(event));
    const retrying = manager.getToken();
    const polling = manager.getToken({ authCode: 'alice' });
    await flush();
    expect(provider.calls).toHaveLength(1);
    // Two deadlines, one backoff wait, one lock poll.
    expect(jest.getTimerCount()).toBe(4);
    await manager.close();
    expect(jest.getTimerCount()).toBe(0);
    await expect(retrying).rejects.toBeInstanceOf(TokenManagerClosedError);
    await expect(polling).rejects.toBeInstanceOf(TokenManagerClosedError);
    expect(provider.calls).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('stops a background refresh without reporting it as a failure', async () => {
    const provider = new FakeProvider().script(makeToken(), deferred<AccessToken>());
    const manager = new TokenManager(provider);
    const phases: string[] = [];
    manager.on('refresh', (event) => phases.push(event.phase));
    manager.on('error', () => phases.push('error'));
    await manager.getToken();
    jest.setSystemTime(T0 + 850_000);
    await manager.getToken();
    await manager.close();
    await flush();
    expect(provider.calls[1]?.options?.signal?.aborted).toBe(true);
    expect(phases).toEqual(['started']);
    expect(jest.getTimerCount()).toBe(0);
  });
});
