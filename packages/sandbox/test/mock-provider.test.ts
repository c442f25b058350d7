import { expect } from '@jest/globals';
import { expectNoSecrets, otherKeyPair, testKeyPair, useFakeTimeouts, useStrictNock } from '#test-kit';
import { createTokenProvider, TokenManager, type ProviderConfig } from '@kunci/sdk';
import nock from 'nock';
import { mockProvider } from '@kunci/sandbox/nock';
import { failure, seen } from './helpers';

useStrictNock();

const SNAP: ProviderConfig = {
  provider: 'pivot-snap',
  baseUrl: 'https://api-stg.pivot-payment.com',
  clientId: 'my-client-id',
  privateKey: testKeyPair().privateKeyPem,
};
const LEGACY: ProviderConfig = {
  provider: 'pivot-legacy',
  baseUrl: 'https://api-stg.pivot-payment.com/gateway',
  merchantId: 'my-merchant',
  merchantSecret: 'env:KUNCI_MOCK_MERCHANT_SECRET',
};
const KLIKOO: ProviderConfig = {
  provider: 'klikoo',
  baseUrl: 'https://b2b.klikoo.example',
  clientId: '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02',
  clientSecret: 'mock-klikoo-secret-32-characters',
  privateKey: testKeyPair().base64Body,
};
const MERCHANT_SECRET = `ms-${Math.random().toString(36).slice(2)}`;

beforeAll(() => {
  process.env.KUNCI_MOCK_MERCHANT_SECRET = MERCHANT_SECRET;
});
afterAll(() => {
  delete process.env.KUNCI_MOCK_MERCHANT_SECRET;
});

describe.each([SNAP, LEGACY, KLIKOO])('mockProvider($provider)', (config) => {
  it("answers the config's own requests with a token, on its baseUrl", async () => {
    const mock = mockProvider(config);
    await expect(createTokenProvider(config).fetchToken()).resolves.toMatchObject({
      provider: config.provider,
      tokenType: 'Bearer',
    });
    expect(mock.requests).toEqual([
      expect.objectContaining({ provider: config.provider, flow: 'b2b', status: 200, verdict: 'accepted' }),
    ]);
    mock.done();
  });

  it("answers a request with other credentials with the provider's error", async () => {
    const mock = mockProvider(config);
    const wrong =
      config.provider === 'pivot-legacy'
        ? { ...config, merchantSecret: 'not-the-secret' }
        : { ...config, privateKey: otherKeyPair().privateKeyPem };
    const error = await failure(createTokenProvider(wrong).fetchToken());
    expect(error).toMatchObject({
      code: config.provider === 'pivot-legacy' ? 'CREDENTIALS_REJECTED' : 'SIGNATURE_REJECTED',
    });
    expect(mock.requests[0]?.accepted).toBe(false);
    expectNoSecrets(mock.requests, [MERCHANT_SECRET, 'not-the-secret']);
    mock.done();
  });

  it('plays faults: a 503 the manager retries, a reset, a hang', async () => {
    const mock = mockProvider(config, { faults: [{ kind: 'status', status: 503, times: 1 }] });
    const manager = new TokenManager(createTokenProvider(config), { random: () => 0 });
    try {
      await expect(manager.getToken()).resolves.toMatchObject({ provider: config.provider });
      expect(mock.requests.map((r) => r.status)).toEqual([503, 200]);
      mock.inject({ kind: 'reset', times: 1 });
      await expect(createTokenProvider(config).fetchToken()).rejects.toMatchObject({ code: 'NETWORK' });
      mock.inject({ kind: 'hang', times: 1 });
      // The hang holds the request until the client's timeoutMs passes on the fake clock.
      useFakeTimeouts();
      const timeoutMs = 20_000;
      const hung = createTokenProvider({ ...config, timeoutMs }).fetchToken();
      const failed = failure(hung);
      await seen(mock, 3);
      await jest.advanceTimersByTimeAsync(timeoutMs);
      expect(await failed).toMatchObject({ code: 'TIMEOUT' });
    } finally {
      jest.useRealTimers();
      await manager.close();
    }
    expect(mock.requests.map((r) => r.verdict)).toEqual([
      'fault: status 503',
      'accepted',
      'fault: reset (connection destroyed)',
      'fault: hang (never answered)',
    ]);
    mock.done();
  });
});

describe('mockProvider: expectations', () => {
  it('done() throws when no request came, or fewer or more than `times`; restore() removes the interceptors', async () => {
    const none = mockProvider(KLIKOO);
    expect(() => none.done()).toThrow(
      /expected at least 1 token request\(s\) on https:\/\/b2b\.klikoo\.example, got 0/,
    );
    none.restore();
    const twice = mockProvider(SNAP, { times: 2 });
    await createTokenProvider(SNAP).fetchToken();
    expect(() => twice.done()).toThrow(/expected exactly 2 token request\(s\) on .*, got 1/);
    await createTokenProvider(SNAP).fetchToken();
    twice.done();
    twice.restore();
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('times is exactly: a request past it fails done()', async () => {
    const once = mockProvider(SNAP, { times: 1 });
    await createTokenProvider(SNAP).fetchToken();
    once.done();
    await createTokenProvider(SNAP).fetchToken();
    expect(() => once.done()).toThrow(
      /expected exactly 1 token request\(s\) on https:\/\/api-stg\.pivot-payment\.com, got 2/,
    );
    once.restore();
  });

  it('serves the B2B2C flow with refresh-token rotation', async () => {
    const mock = mockProvider(SNAP, { tokenLifetimeSeconds: 120 });
    const provider = createTokenProvider(SNAP);
    const first = await provider.fetchToken({ authCode: 'BND-mock' });
    const second = await provider.fetchToken({ authCode: 'BND-mock', refreshToken: first.refreshToken as string });
    expect(second.expiresAt.getTime() - second.issuedAt.getTime()).toBeLessThanOrEqual(120_000);
    await expect(
      provider.fetchToken({ authCode: 'BND-mock', refreshToken: first.refreshToken as string }),
    ).rejects.toMatchObject({ code: 'GRANT_REJECTED' });
    expect(mock.count({ flow: 'b2b2c' })).toBe(3);
    mock.done();
  });

  it('refuses a config it cannot read with CONFIG_INVALID naming the field, never the value', () => {
    expect(() => mockProvider({ ...KLIKOO, privateKey: 'not-a-key-7f3e' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('privateKey is not a readable private key'),
      }),
    );
    expect(() => mockProvider({ ...LEGACY, merchantSecret: 'env:KUNCI_MOCK_UNSET' })).toThrow(
      /merchantSecret refers to environment variable KUNCI_MOCK_UNSET/,
    );
  });
});
