import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { startLoopbackServer } from '@kunci/core/emulator';
import { catchSync, expectAuthError, expectNoSecrets, FIXED_NOW, useStrictNock } from '#test-kit';
import { createPivotLegacyEmulator } from '../src/emulator';
import { createPivotLegacyProvider } from '../src';

const BASE = 'https://api.pivot-payment.com';
const MERCHANT_ID = 'merchant-1';
const SECRET = 'ms_live_quirks_0123456789abcdef';
const ok = {
  code: '00',
  message: 'Success',
  data: { accessToken: 'jwt.token.value', expiresIn: '900', tokenType: 'Bearer' },
};
const make = (overrides: Record<string, unknown> = {}) =>
  createPivotLegacyProvider({
    provider: 'pivot-legacy',
    baseUrl: BASE,
    merchantId: MERCHANT_ID,
    merchantSecret: SECRET,
    clock: () => FIXED_NOW,
    ...overrides,
  });

describe('pivot-legacy quirks', () => {
  useStrictNock();

  it('takes a config without provider, and refuses one that names another provider', () => {
    const { provider: _omitted, ...rest } = {
      provider: 'pivot-legacy',
      baseUrl: BASE,
      merchantId: MERCHANT_ID,
      merchantSecret: SECRET,
    };
    expect(createPivotLegacyProvider(rest).provider).toBe('pivot-legacy');
    expect(catchSync(() => make({ provider: 'klikoo' })).message).toContain("provider must be 'pivot-legacy'");
  });

  it('has no customer tokens: an authCode is refused before anything is sent', async () => {
    const provider = make();
    expect(provider.supportsCustomerTokens).toBe(false);
    const error = await expectAuthError(provider.fetchToken({ authCode: 'binding-1' }), 'REQUEST_REJECTED');
    expect(error.message).toContain('no customer (B2B2C) tokens');
  });

  it('honours a path override and a base URL with a prefix', async () => {
    nock(BASE)
      .post('/gateway/v2/token', { grantType: 'client_credentials' })
      .matchHeader('x-merchant-id', MERCHANT_ID)
      .reply(200, ok);
    const token = await make({ baseUrl: `${BASE}/gateway/`, path: '/v2/token' }).fetchToken();
    expect(token).toMatchObject({
      accessToken: 'jwt.token.value',
      expiresIn: 900,
      responseCode: '00',
      provider: 'pivot-legacy',
    });
  });

  it('reads the merchant secret from env: and file:', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kunci-legacy-'));
    writeFileSync(join(dir, 'secret'), `${SECRET}\n`);
    process.env.KUNCI_TEST_LEGACY_SECRET = SECRET;
    nock(BASE).post('/v1/access-token').matchHeader('x-merchant-secret', SECRET).twice().reply(200, ok);
    await make({ merchantSecret: 'env:KUNCI_TEST_LEGACY_SECRET' }).fetchToken();
    await make({ merchantSecret: `file:${join(dir, 'secret')}` }).fetchToken();
    delete process.env.KUNCI_TEST_LEGACY_SECRET;
    const error = catchSync(() => make({ merchantSecret: 'env:KUNCI_TEST_LEGACY_UNSET' }));
    expect(error.message).toContain('merchantSecret refers to environment variable KUNCI_TEST_LEGACY_UNSET');
  });

  it('an unknown code under 200 is an error, by error.type when the code is unknown', async () => {
    nock(BASE)
      .post('/v1/access-token')
      .reply(200, { code: 'something_new', message: 'Partner down', error: { type: 'PARTNER_ERROR' } });
    nock(BASE)
      .post('/v1/access-token')
      .reply(200, { code: 'something_else', message: 'Bad field', error: { type: 'API_ERROR' } });
    const provider = make();
    await expectAuthError(provider.fetchToken(), 'PROVIDER_UNAVAILABLE');
    await expectAuthError(provider.fetchToken(), 'REQUEST_REJECTED');
  });

  it('the HTTP status decides first when the body has an error code', async () => {
    nock(BASE)
      .post('/v1/access-token')
      .reply(429, { code: 'api_validation_error', message: 'slow down' }, { 'retry-after': '2' });
    const error = await expectAuthError(make().fetchToken(), 'RATE_LIMITED');
    expect(error.retryAfterMs).toBe(2000);
  });

  describe('against the emulator on loopback', () => {
    beforeAll(() => nock.enableNetConnect('127.0.0.1'));
    afterAll(() => nock.disableNetConnect());

    it('a wrong merchant secret → CREDENTIALS_REJECTED, and the secret is never printed', async () => {
      const emulator = createPivotLegacyEmulator({
        merchants: [{ merchantId: MERCHANT_ID, merchantSecret: 'the-right-secret-value' }],
      });
      const server = await startLoopbackServer((request) => emulator.handle(request));
      try {
        const error = await expectAuthError(
          make({ baseUrl: server.url, clock: Date.now }).fetchToken(),
          'CREDENTIALS_REJECTED',
        );
        expect(error).toMatchObject({ status: 401, providerCode: 'credentials_invalid' });
        expectNoSecrets(error, [SECRET, 'the-right-secret-value']);
      } finally {
        await server.close();
      }
    });
  });
});

describe('pivot-legacy: the facts it gives the interceptor', () => {
  it('declares its configured token path, and no token codes of its own', () => {
    const config = {
      provider: 'pivot-legacy',
      baseUrl: 'https://api.example.test',
      merchantId: 'm-1',
      merchantSecret: 'secret-0123456789',
    };
    expect(createPivotLegacyProvider(config).tokenPaths).toEqual(['/v1/access-token']);
    expect(createPivotLegacyProvider({ ...config, path: '/v2/token' }).tokenPaths).toEqual(['/v2/token']);
    expect(
      createPivotLegacyProvider(config).isTokenRejected?.({
        status: 401,
        headers: {},
        body: { code: 'credentials_invalid' },
      }),
    ).toBe(false);
  });
});
