import { expect } from '@jest/globals';
import { getEventListeners } from 'node:events';
import { isAuthError } from '../../src/errors';
import { TokenManager } from '../../src/manager';
import { deferred } from '../../test-kit/deferred';
import { authError, FakeProvider, makeToken } from './fake-provider';
import type { AccessToken } from '../../src/token';

beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
afterEach(() => jest.useRealTimers());

describe('single flight', () => {
  it('makes one request for 1,000 concurrent cold callers, and they all get its token', async () => {
    const answer = deferred<AccessToken>();
    const provider = new FakeProvider().script(answer);
    const manager = new TokenManager(provider);
    const callers = Array.from({ length: 1000 }, () => manager.getToken());
    const token = makeToken();
    answer.resolve(token);
    const tokens = await Promise.all(callers);
    expect(provider.calls).toHaveLength(1);
    expect(tokens.every((t) => t === token)).toBe(true);
    await expect(manager.getToken()).resolves.toBe(token);
    expect(provider.calls).toHaveLength(1);
  });

  it('shares one request per key, not across keys', async () => {
    const provider = new FakeProvider();
    const manager = new TokenManager(provider);
    const [b2b, alice, alice2, bob] = await Promise.all([
      manager.getToken(),
      manager.getToken({ authCode: 'alice' }),
      manager.getToken({ authCode: 'alice' }),
      manager.getToken({ authCode: 'bob' }),
    ]);
    expect(provider.calls.map((call) => call.request)).toEqual([{}, { authCode: 'alice' }, { authCode: 'bob' }]);
    expect(alice).toBe(alice2);
    expect(new Set([b2b, alice, bob]).size).toBe(3);
  });

  it('a cache hit answers with one settled promise per cached token; a new token gets its own', async () => {
    const provider = new FakeProvider();
    const manager = new TokenManager(provider);
    const first = await manager.getToken();
    const hit = manager.getToken();
    expect(manager.getToken()).toBe(hit);
    await expect(hit).resolves.toBe(first);
    await manager.invalidate();
    const second = await manager.getToken();
    expect(second).not.toBe(first);
    const nextHit = manager.getToken();
    expect(nextHit).not.toBe(hit);
    await expect(nextHit).resolves.toBe(second);
    expect(provider.calls).toHaveLength(2);
  });

  it('never caches a rejection: the next call asks again', async () => {
    const provider = new FakeProvider().script(authError('CREDENTIALS_REJECTED'));
    const manager = new TokenManager(provider);
    const [first, second] = await Promise.allSettled([manager.getToken(), manager.getToken()]);
    expect(first).toMatchObject({ status: 'rejected', reason: { code: 'CREDENTIALS_REJECTED' } });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'CREDENTIALS_REJECTED' } });
    expect(provider.calls).toHaveLength(1);
    const token = await manager.getToken();
    expect(provider.calls).toHaveLength(2);
    expect(token.accessToken).toMatch(/^SECRETACCESS/);
  });

  it('lets one caller abandon its wait while the others get the token', async () => {
    const answer = deferred<AccessToken>();
    const provider = new FakeProvider().script(answer);
    const manager = new TokenManager(provider);
    const impatient = new AbortController();
    const leaving = manager.getToken({ signal: impatient.signal });
    const staying = [manager.getToken(), manager.getToken()];
    impatient.abort();
    await expect(leaving).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/AbortSignal/) });
    expect(provider.calls[0]?.options?.signal?.aborted).toBe(false);
    const token = makeToken();
    answer.resolve(token);
    await expect(Promise.all(staying)).resolves.toEqual([token, token]);
    expect(provider.calls).toHaveLength(1);
  });

  it('rejects at once for a signal that is already aborted, without a request', async () => {
    const provider = new FakeProvider();
    const manager = new TokenManager(provider);
    const error = await manager.getToken({ signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(isAuthError(error) && error.code).toBe('TIMEOUT');
    expect(provider.calls).toHaveLength(0);
  });

  it('times out the shared request after fetchTimeoutMs, aborting the provider call', async () => {
    const provider = new FakeProvider().script(deferred<AccessToken>());
    const manager = new TokenManager(provider, { fetchTimeoutMs: 5_000 });
    const callers = [manager.getToken(), manager.getToken()];
    const settled = Promise.allSettled(callers);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(provider.calls[0]?.options?.signal?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const results = await settled;
    for (const result of results) {
      expect(result).toMatchObject({
        status: 'rejected',
        reason: { code: 'TIMEOUT', message: expect.stringMatching(/5000 ms/) },
      });
    }
    expect(provider.calls[0]?.options?.signal?.aborted).toBe(true);
    expect(provider.calls).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  describe('one AbortSignal shared by many callers', () => {
    beforeEach(() => jest.useRealTimers());

    it('100 callers on one signal: no listener-leak warning, and aborting ends every wait but not the request', async () => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => {
        warnings.push(warning);
      };
      process.on('warning', onWarning);
      try {
        const answer = deferred<AccessToken>();
        const provider = new FakeProvider().script(answer);
        const manager = new TokenManager(provider);
        const request = new AbortController();
        const waits = Array.from({ length: 100 }, () => manager.getToken({ signal: request.signal }));
        await new Promise((resolve) => setImmediate(resolve));
        // Node warns of a leak past 10 listeners on one signal; kunci adds one, whatever the callers.
        expect(getEventListeners(request.signal, 'abort')).toHaveLength(1);
        request.abort();
        const outcomes = await Promise.allSettled(waits);
        expect(
          outcomes.every(
            (outcome) =>
              outcome.status === 'rejected' && isAuthError(outcome.reason) && outcome.reason.code === 'TIMEOUT',
          ),
        ).toBe(true);
        expect(provider.calls[0]?.options?.signal?.aborted).toBe(false);
        answer.resolve(makeToken());
        await new Promise((resolve) => setImmediate(resolve));
        expect(warnings.map((warning) => warning.name)).toEqual([]);
        await manager.close();
      } finally {
        process.off('warning', onWarning);
      }
    });
  });
});
