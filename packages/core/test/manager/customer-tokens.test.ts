import { expect } from '@jest/globals';
import { TokenManager } from '../../src/manager';
import { cacheKey } from '../../src/manager/cache-key';
import { authError, FakeProvider, flush, makeToken } from './fake-provider';
import { FakeStore } from './fake-store';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();

beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

let rotation = 0;
/** A B2B2C provider that rotates the refresh token on every answer. */
function customerProvider() {
  return new FakeProvider('client-1', true, () =>
    makeToken({ refreshToken: `REFRESHSECRET-${++rotation}`, refreshTokenLifetimeMs: 86_400_000 }),
  );
}

describe('cache keys', () => {
  it('are provider, client id and (for a customer) the auth code', () => {
    const owner = { provider: 'pivot-snap', clientId: 'client-1' };
    expect(cacheKey(owner)).toBe('pivot-snap:client-1');
    expect(cacheKey(owner, {})).toBe('pivot-snap:client-1');
    expect(cacheKey(owner, { authCode: 'alice' })).toBe('pivot-snap:client-1:alice');
    expect(cacheKey(owner, { authCode: 'alice', refreshToken: 'ignored' })).toBe('pivot-snap:client-1:alice');
  });

  it('cannot collide through a separator inside a part', () => {
    expect(cacheKey({ provider: 'p', clientId: 'a:b' })).not.toBe(
      cacheKey({ provider: 'p', clientId: 'a' }, { authCode: 'b' }),
    );
    expect(cacheKey({ provider: 'p', clientId: 'a' }, { authCode: 'b%3Ac' })).not.toBe(
      cacheKey({ provider: 'p', clientId: 'a' }, { authCode: 'b:c' }),
    );
  });
});

describe('B2B2C customer tokens', () => {
  it('keeps one token per customer, apart from the B2B token', async () => {
    const provider = customerProvider();
    const manager = new TokenManager(provider);
    const alice = await manager.getToken({ authCode: 'alice' });
    const bob = await manager.getToken({ authCode: 'bob' });
    const b2b = await manager.getToken();
    expect(new Set([alice, bob, b2b]).size).toBe(3);
    await expect(manager.getToken({ authCode: 'alice' })).resolves.toBe(alice);
    await expect(manager.getToken({ authCode: 'bob' })).resolves.toBe(bob);
    expect(provider.calls).toHaveLength(3);

    await manager.invalidate({ authCode: 'alice' });
    await expect(manager.getToken({ authCode: 'bob' })).resolves.toBe(bob);
    await expect(manager.getToken()).resolves.toBe(b2b);
    await expect(manager.getToken({ authCode: 'alice' })).resolves.not.toBe(alice);
    expect(provider.calls).toHaveLength(4);
  });

  it('sends the refresh token of the last answer with the next fetch', async () => {
    const provider = customerProvider();
    const manager = new TokenManager(provider);
    const first = await manager.getToken({ authCode: 'alice' });
    jest.setSystemTime(T0 + 850_000);
    await manager.getToken({ authCode: 'alice' });
    await flush();
    const second = await manager.getToken({ authCode: 'alice' });
    expect(second).not.toBe(first);
    jest.setSystemTime(T0 + 850_000 + 900_000);
    await manager.getToken({ authCode: 'alice' });
    expect(provider.calls.map((call) => call.request)).toEqual([
      { authCode: 'alice' },
      { authCode: 'alice', refreshToken: first.refreshToken },
      { authCode: 'alice', refreshToken: second.refreshToken },
    ]);
  });

  it('uses the refresh token of an expired access token, but never an expired refresh token', async () => {
    const provider = new FakeProvider().script(
      makeToken({ refreshToken: 'REFRESHSECRET-long', refreshTokenLifetimeMs: 3_600_000 }),
      makeToken({ refreshToken: 'REFRESHSECRET-short', refreshTokenLifetimeMs: 600_000 }),
    );
    const manager = new TokenManager(provider);
    await manager.getToken({ authCode: 'alice' });
    jest.setSystemTime(T0 + 1_000_000);
    await manager.getToken({ authCode: 'alice' });
    jest.setSystemTime(T0 + 2_000_000);
    await manager.getToken({ authCode: 'alice' });
    expect(provider.calls.map((call) => call.request)).toEqual([
      { authCode: 'alice' },
      { authCode: 'alice', refreshToken: 'REFRESHSECRET-long' },
      { authCode: 'alice' },
    ]);
  });

  it('sends a refresh token the caller passes when it has none of its own', async () => {
    const provider = customerProvider();
    const manager = new TokenManager(provider);
    await manager.getToken({ authCode: 'alice', refreshToken: 'REFRESHSECRET-from-db' });
    expect(provider.calls[0]?.request).toEqual({ authCode: 'alice', refreshToken: 'REFRESHSECRET-from-db' });
  });

  it('falls back to the auth code alone when the refresh token is rejected', async () => {
    const provider = customerProvider().script(
      makeToken({ refreshToken: 'REFRESHSECRET-old', refreshTokenLifetimeMs: 86_400_000, lifetimeMs: 60_000 }),
      authError('GRANT_REJECTED'),
    );
    const manager = new TokenManager(provider);
    await manager.getToken({ authCode: 'alice' });
    jest.setSystemTime(T0 + 60_000);
    const token = await manager.getToken({ authCode: 'alice' });
    expect(token.refreshToken).toMatch(/^REFRESHSECRET-\d+$/);
    expect(provider.calls.map((call) => call.request)).toEqual([
      { authCode: 'alice' },
      { authCode: 'alice', refreshToken: 'REFRESHSECRET-old' },
      { authCode: 'alice' },
    ]);
  });

  it.each([
    ['in memory', () => undefined],
    ['in a fleet store', () => new FakeStore()],
  ])('keeps the last refresh token when a refresh answer brings none, %s (RFC 6749 §6)', async (_where, store) => {
    for (let round = 0; round < 5; round++) {
      jest.setSystemTime(T0);
      let issued = 0;
      let latest = `REFRESHSECRET-from-db-${round}`;
      // Each answer issues a new refresh token or none, at random; the first always does.
      const answers = Array.from({ length: 8 }, (_, i) => i === 0 || (i > 1 && Math.random() < 0.5));
      const expected: { authCode: string; refreshToken: string }[] = [];
      const provider = new FakeProvider('client-1', true, () => {
        const rotates = answers[issued++] ?? false;
        if (rotates) latest = `REFRESHSECRET-${round}-${issued}`;
        return makeToken(rotates ? { refreshToken: latest, refreshTokenLifetimeMs: 86_400_000 } : {});
      });
      const fleetStore = store();
      const manager = new TokenManager(provider, fleetStore === undefined ? {} : { store: fleetStore });
      for (let step = 0; step < answers.length; step++) {
        expected.push({ authCode: 'alice', refreshToken: latest });
        const token = await manager.getToken({ authCode: 'alice', refreshToken: `REFRESHSECRET-from-db-${round}` });
        // The token handed out carries the refresh token in force, as the store does.
        expect(token.refreshToken).toBe(latest);
        if (fleetStore !== undefined)
          expect(fleetStore.tokens.get('pivot-snap:client-1:alice')?.refreshToken).toBe(latest);
        jest.setSystemTime(token.expiresAt.getTime() + 1);
      }
      expect(provider.calls.map((call) => call.request)).toEqual(expected);
      await manager.close();
    }
  });

  it('surfaces GRANT_REJECTED when the auth code alone is rejected too', async () => {
    const provider = customerProvider().script(
      authError('GRANT_REJECTED'),
      authError('GRANT_REJECTED'),
      authError('GRANT_REJECTED'),
    );
    const manager = new TokenManager(provider);
    await expect(manager.getToken({ authCode: 'alice', refreshToken: 'REFRESHSECRET-x' })).rejects.toMatchObject({
      code: 'GRANT_REJECTED',
    });
    expect(provider.calls.map((call) => call.request)).toEqual([
      { authCode: 'alice', refreshToken: 'REFRESHSECRET-x' },
      { authCode: 'alice' },
    ]);
    await expect(manager.getToken({ authCode: 'alice' })).rejects.toMatchObject({ code: 'GRANT_REJECTED' });
    expect(provider.calls).toHaveLength(3);
  });

  it('refuses customer tokens from a provider without them, and an empty auth code', async () => {
    const provider = new FakeProvider('client-1', false);
    const manager = new TokenManager(provider);
    await expect(manager.getToken({ authCode: 'alice' })).rejects.toMatchObject({
      code: 'REQUEST_REJECTED',
      message: expect.stringMatching(/no customer \(B2B2C\) tokens/),
    });
    const customers = customerProvider();
    const b2b2c = new TokenManager(customers);
    await expect(b2b2c.getToken({ authCode: '' })).rejects.toMatchObject({ code: 'REQUEST_REJECTED' });
    // The same check as the providers' fetchToken, before an auth code becomes part of a key.
    await expect(b2b2c.getToken({ authCode: 'two words' })).rejects.toMatchObject({
      code: 'REQUEST_REJECTED',
      message: expect.stringMatching(/getToken was called with a bad request: authCode/),
    });
    await expect(b2b2c.getToken({ refreshToken: 'rt-alone' })).rejects.toMatchObject({
      code: 'REQUEST_REJECTED',
      message: expect.stringMatching(/a refreshToken needs the authCode/),
    });
    expect(provider.calls).toHaveLength(0);
    expect(customers.calls).toHaveLength(0);
  });
});
