import { TokenManager } from '../../src/manager';
import type { Call } from './fake-provider';
import { authError, FakeProvider, makeToken } from './fake-provider';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();

beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

/** The provider answers as a server whose clock is `skewMs` ahead, and refuses the first timestamp. */
function skewedServer(skewMs: number, withDateOnError = true) {
  return (call: Call) => {
    call.options?.onResponse?.({ status: 400, serverDate: new Date(Date.now() + skewMs), receivedAt: new Date() });
    return Promise.reject(
      authError(
        'TIMESTAMP_REJECTED',
        withDateOnError ? { serverDate: new Date(Date.now() + skewMs), status: 400 } : { status: 400 },
      ),
    );
  };
}

describe('clock skew', () => {
  it('retries a rejected timestamp once with the measured offset, and keeps using it', async () => {
    const provider = new FakeProvider().script(skewedServer(-120_000));
    const manager = new TokenManager(provider);
    await manager.getToken();
    expect(provider.calls.map((call) => call.options?.clockOffsetMs)).toEqual([0, -120_000]);
    await manager.invalidate();
    await manager.getToken();
    expect(provider.calls[2]?.options?.clockOffsetMs).toBe(-120_000);
  });

  it('uses the serverDate of the AuthError when no response info came', async () => {
    const provider = new FakeProvider().script(() =>
      Promise.reject(authError('TIMESTAMP_REJECTED', { serverDate: new Date(T0 + 90_000) })),
    );
    const manager = new TokenManager(provider);
    await manager.getToken();
    expect(provider.calls.map((call) => call.options?.clockOffsetMs)).toEqual([0, 90_000]);
  });

  it('retries only once: a second rejection surfaces', async () => {
    const provider = new FakeProvider().script(skewedServer(-120_000), skewedServer(-240_000));
    const manager = new TokenManager(provider);
    await expect(manager.getToken()).rejects.toMatchObject({ code: 'TIMESTAMP_REJECTED' });
    expect(provider.calls).toHaveLength(2);
  });

  it('does not retry when nothing new was learned about the clock', async () => {
    const provider = new FakeProvider().script(authError('TIMESTAMP_REJECTED'));
    const manager = new TokenManager(provider);
    await expect(manager.getToken()).rejects.toMatchObject({ code: 'TIMESTAMP_REJECTED' });
    expect(provider.calls).toHaveLength(1);
  });

  it('ignores a difference within the Date header resolution, and notes a larger one', async () => {
    const provider = new FakeProvider().script(
      (call) => {
        call.options?.onResponse?.({ status: 200, serverDate: new Date(T0 - 800), receivedAt: new Date(T0) });
        return Promise.resolve(makeToken({ lifetimeMs: 1_000 }));
      },
      (call) => {
        call.options?.onResponse?.({ status: 200, serverDate: new Date(T0 + 5_000), receivedAt: new Date(T0) });
        return Promise.resolve(makeToken({ lifetimeMs: 1_000 }));
      },
    );
    const manager = new TokenManager(provider);
    await manager.getToken();
    jest.setSystemTime(T0 + 1_000);
    await manager.getToken();
    jest.setSystemTime(T0 + 2_000);
    await manager.getToken();
    expect(provider.calls.map((call) => call.options?.clockOffsetMs)).toEqual([0, 0, 5_000]);
  });
});
