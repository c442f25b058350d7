import { expect } from '@jest/globals';
import { TokenManager } from '../../src/manager';
import { DEFAULT_REFRESH_BEFORE_SECONDS, refreshAt } from '../../src/manager/memory-store';
import type { TokenManagerEvents } from '../../src/manager';
import type { AccessToken } from '../../src/token';
import { deferred } from '../../test-kit/deferred';
import { authError, FakeProvider, flush, makeToken } from './fake-provider';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();

beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

/** A manager whose first token (of `lifetimeMs`) is already cached. */
async function primed(lifetimeMs: number, options: ConstructorParameters<typeof TokenManager>[1] = {}) {
  const first = makeToken({ lifetimeMs });
  const provider = new FakeProvider().script(first);
  const manager = new TokenManager(provider, options);
  await manager.getToken();
  return { provider, manager, first };
}

describe('the refresh window', () => {
  it('is a minute by default', () => {
    expect(DEFAULT_REFRESH_BEFORE_SECONDS).toBe(60);
    const token = makeToken({ lifetimeMs: 900_000 });
    expect(refreshAt(token, 60_000)).toBe(T0 + 840_000);
  });

  it('is half the life of a token that lives less than two windows', () => {
    expect(refreshAt(makeToken({ lifetimeMs: 60_000 }), 60_000)).toBe(T0 + 30_000);
    expect(refreshAt(makeToken({ lifetimeMs: 100_000 }), 60_000)).toBe(T0 + 50_000);
  });

  it('never ends after the token expires, even for a token that claims to be issued after it expires', async () => {
    const odd = makeToken({ issuedAt: T0 + 2_000_000, lifetimeMs: -500_000 });
    expect(refreshAt(odd, 60_000)).toBe(odd.expiresAt.getTime());
    const provider = new FakeProvider().script(odd);
    const manager = new TokenManager(provider);
    await expect(manager.getToken()).resolves.toBe(odd);
    jest.setSystemTime(odd.expiresAt.getTime());
    await expect(manager.getToken()).resolves.not.toBe(odd);
  });

  it('serves a 15-minute token from cache until 60 s are left, then refreshes once', async () => {
    const { provider, manager, first } = await primed(900_000);
    jest.setSystemTime(T0 + 839_999);
    await expect(manager.getToken()).resolves.toBe(first);
    expect(provider.calls).toHaveLength(1);
    jest.setSystemTime(T0 + 840_000);
    await expect(manager.getToken()).resolves.toBe(first);
    await expect(manager.getToken()).resolves.toBe(first);
    expect(provider.calls).toHaveLength(2);
  });

  it.each([
    ['a 60 s token when 30 s are left (half its life)', 60_000, {}, 30_000],
    ['a 15-minute token 300 s ahead with refreshBeforeSeconds: 300', 900_000, { refreshBeforeSeconds: 300 }, 600_000],
    ['a 15-minute token only at expiry with refreshBeforeSeconds: 0', 900_000, { refreshBeforeSeconds: 0 }, 900_000],
  ])('refreshes %s, not a millisecond before', async (_name, lifetimeMs, options, dueAt) => {
    const { provider, manager } = await primed(lifetimeMs, options);
    jest.setSystemTime(T0 + dueAt - 1);
    await manager.getToken();
    expect(provider.calls).toHaveLength(1);
    jest.setSystemTime(T0 + dueAt);
    await manager.getToken();
    expect(provider.calls).toHaveLength(2);
  });
});

describe('stale-while-revalidate', () => {
  it('serves the due token at once and the refreshed one once it arrives', async () => {
    const { provider, manager, first } = await primed(900_000);
    const refresh = deferred<AccessToken>();
    provider.script(refresh);
    const phases: string[] = [];
    manager.on('refresh', (event) => phases.push(event.phase));
    jest.setSystemTime(T0 + 850_000);
    await expect(manager.getToken()).resolves.toBe(first);
    await expect(manager.getToken()).resolves.toBe(first);
    expect(provider.calls).toHaveLength(2);
    expect(provider.calls[1]?.options?.signal).toBeDefined();
    const second = makeToken();
    refresh.resolve(second);
    await flush();
    await expect(manager.getToken()).resolves.toBe(second);
    expect(phases).toEqual(['started', 'succeeded']);
  });

  it('keeps serving the valid token when the refresh fails, reports it, and backs off', async () => {
    const { provider, manager, first } = await primed(900_000, { retry: false });
    const errors: TokenManagerEvents['error'][] = [];
    const refreshes: TokenManagerEvents['refresh'][] = [];
    manager.on('error', (event) => errors.push(event));
    manager.on('refresh', (event) => refreshes.push(event));
    provider.script(authError('PROVIDER_UNAVAILABLE'), authError('PROVIDER_UNAVAILABLE'));
    jest.setSystemTime(T0 + 850_000);

    await expect(manager.getToken()).resolves.toBe(first);
    await flush();
    expect(provider.calls).toHaveLength(2);
    expect(errors).toEqual([
      expect.objectContaining({
        stale: true,
        background: true,
        error: expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE' }),
      }),
    ]);
    expect(refreshes.map((event) => event.phase)).toEqual(['started', 'failed']);
    expect(refreshes[1]?.nextAttemptInMs).toBe(1_000);

    // Within the backoff interval, hits do not call the provider again.
    for (let i = 0; i < 50; i++) await expect(manager.getToken()).resolves.toBe(first);
    jest.setSystemTime(T0 + 850_999);
    await manager.getToken();
    expect(provider.calls).toHaveLength(2);

    // Then one attempt per interval, and the interval doubles.
    jest.setSystemTime(T0 + 851_000);
    await expect(manager.getToken()).resolves.toBe(first);
    await manager.getToken();
    await flush();
    expect(provider.calls).toHaveLength(3);
    expect(refreshes[3]?.nextAttemptInMs).toBe(2_000);
    jest.setSystemTime(T0 + 852_999);
    await manager.getToken();
    expect(provider.calls).toHaveLength(3);
    jest.setSystemTime(T0 + 853_000);
    await manager.getToken();
    await flush();
    expect(provider.calls).toHaveLength(4);
    await expect(manager.getToken()).resolves.not.toBe(first);
  });

  it('makes callers wait for a new token once the cached one has expired', async () => {
    const { provider, manager, first } = await primed(900_000);
    const next = deferred<AccessToken>();
    provider.script(next);
    jest.setSystemTime(T0 + 900_000);
    let settled = false;
    const waiting = manager.getToken().then((token) => {
      settled = true;
      return token;
    });
    await flush();
    expect(settled).toBe(false);
    expect(provider.calls).toHaveLength(2);
    const second = makeToken();
    next.resolve(second);
    await expect(waiting).resolves.toBe(second);
    expect(second).not.toBe(first);
  });

  it('surfaces the failure to callers once the token has expired', async () => {
    const { provider, manager } = await primed(900_000, { retry: false });
    provider.script(authError('PROVIDER_UNAVAILABLE'));
    jest.setSystemTime(T0 + 900_001);
    await expect(manager.getToken()).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });

  it('does not keep the process alive: every timer of a background refresh is unref()ed', async () => {
    const { provider, manager } = await primed(900_000, { retry: { baseDelayMs: 100 } });
    provider.script(authError('NETWORK'), deferred<AccessToken>());
    const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout');
    jest.setSystemTime(T0 + 850_000);
    await manager.getToken();
    await flush();
    // The shared request's deadline and the retry's backoff wait.
    expect(setTimeoutSpy).toHaveBeenCalledTimes(2);
    for (const result of setTimeoutSpy.mock.results) {
      expect((result.value as NodeJS.Timeout).hasRef()).toBe(false);
    }
    setTimeoutSpy.mockRestore();
    await manager.close();
    expect(jest.getTimerCount()).toBe(0);
  });
});
