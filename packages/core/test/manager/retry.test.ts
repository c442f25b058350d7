import { expect } from '@jest/globals';
import { TokenManager } from '../../src/manager';
import { backoffDelay, DEFAULT_RETRY } from '../../src/manager/fetcher';
import type { TokenManagerOptions } from '../../src/manager';
import { authError, FakeProvider, makeToken } from './fake-provider';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();
const ALMOST_ONE = 0.999999;

beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

function setup(options: TokenManagerOptions, ...errors: Error[]) {
  const provider = new FakeProvider().script(...errors);
  const manager = new TokenManager(provider, options);
  const result = manager.getToken().then(
    (token) => ({ token, error: undefined }),
    (error: unknown) => ({ token: undefined, error }),
  );
  const offsets = () => provider.calls.map((call) => call.at - T0);
  return { provider, manager, result, offsets };
}

describe('retries', () => {
  it('defaults to three attempts with a 200 ms base and a 5 s cap', () => {
    expect(DEFAULT_RETRY).toEqual({ attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 });
  });

  it('computes full-jitter delays between zero and the exponential cap', () => {
    const options = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((retry) => backoffDelay(retry, options, () => 0))).toEqual([0, 0, 0, 0, 0]);
    expect([0, 1, 2, 3, 4].map((retry) => backoffDelay(retry, options, () => ALMOST_ONE))).toEqual([
      99, 199, 399, 799, 999,
    ]);
    expect(backoffDelay(2, options, () => 0.5)).toBe(200);
  });

  it('retries a retryable error at once when random() is 0, three attempts in all', async () => {
    const { provider, result, offsets } = setup(
      { random: () => 0 },
      authError('RATE_LIMITED'),
      authError('PROVIDER_UNAVAILABLE'),
      authError('NETWORK'),
      authError('TIMEOUT'),
    );
    await jest.advanceTimersByTimeAsync(0);
    const { error } = await result;
    expect(error).toMatchObject({ code: 'NETWORK' });
    expect(provider.calls).toHaveLength(3);
    expect(offsets()).toEqual([0, 0, 0]);
  });

  it('waits up to the exponential cap when random() is close to 1', async () => {
    const { provider, result, offsets } = setup(
      { random: () => ALMOST_ONE, retry: { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 1_500 } },
      authError('PROVIDER_UNAVAILABLE'),
      authError('PROVIDER_UNAVAILABLE'),
      authError('PROVIDER_UNAVAILABLE'),
    );
    await jest.advanceTimersByTimeAsync(998);
    expect(provider.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(provider.calls).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(10_000);
    const { token } = await result;
    expect(token?.accessToken).toMatch(/^SECRETACCESS/);
    expect(offsets()).toEqual([0, 999, 999 + 1_499, 999 + 1_499 + 1_499]);
  });

  it('waits for Retry-After instead of the backoff', async () => {
    const { provider, result, offsets } = setup(
      { random: () => 0 },
      authError('RATE_LIMITED', { retryAfterMs: 2_000, status: 429 }),
    );
    await jest.advanceTimersByTimeAsync(1_999);
    expect(provider.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect((await result).token).toBeDefined();
    expect(offsets()).toEqual([0, 2_000]);
  });

  it('gives up at once when Retry-After reaches past the shared request deadline', async () => {
    const { provider, result } = setup(
      { fetchTimeoutMs: 10_000 },
      authError('RATE_LIMITED', { retryAfterMs: 60_000, status: 429 }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect((await result).error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 60_000 });
    expect(provider.calls).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops retrying when the next wait would pass the total time budget', async () => {
    const { provider, result, offsets } = setup(
      {
        fetchTimeoutMs: 1_000,
        random: () => ALMOST_ONE,
        retry: { attempts: 10, baseDelayMs: 800, maxDelayMs: 10_000 },
      },
      authError('NETWORK'),
      authError('NETWORK'),
      authError('NETWORK'),
    );
    await jest.advanceTimersByTimeAsync(5_000);
    expect((await result).error).toMatchObject({ code: 'NETWORK' });
    expect(offsets()).toEqual([0, 799]);
    expect(provider.calls).toHaveLength(2);
  });

  it.each([
    'CREDENTIALS_REJECTED',
    'SIGNATURE_REJECTED',
    'REQUEST_REJECTED',
    'ACCESS_DENIED',
    'RESPONSE_INVALID',
  ] as const)('never retries %s', async (code) => {
    const { provider, result } = setup({ random: () => 0 }, authError(code));
    await jest.advanceTimersByTimeAsync(10_000);
    expect((await result).error).toMatchObject({ code });
    expect(provider.calls).toHaveLength(1);
  });

  it('does not retry at all with retry: false', async () => {
    const { provider, result } = setup({ retry: false }, authError('PROVIDER_UNAVAILABLE'));
    expect((await result).error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(provider.calls).toHaveLength(1);
  });

  it('wraps a provider failure that is not an AuthError, without retrying it', async () => {
    const { provider, result } = setup({ random: () => 0 }, new TypeError('cannot read x of undefined'));
    const { error } = await result;
    expect(error).toMatchObject({ code: 'RESPONSE_INVALID', message: expect.stringMatching(/TypeError/) });
    expect(provider.calls).toHaveLength(1);
  });

  it('reports every attempt as a fetch event', async () => {
    const provider = new FakeProvider().script(authError('NETWORK'), makeToken());
    const manager = new TokenManager(provider, { random: () => 0 });
    const attempts: number[] = [];
    manager.on('fetch', (event) => attempts.push(event.attempt));
    const tokens: number[] = [];
    manager.on('token', (event) => tokens.push(event.attempts));
    await manager.getToken();
    expect(attempts).toEqual([1, 2]);
    expect(tokens).toEqual([2]);
  });
});
