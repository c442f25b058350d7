import axios from 'axios';
import { catchSync, expectNoSecrets, testKeyPair, useStrictNock } from '#test-kit';
import {
  createTokenProvider,
  type KlikooConfigInput,
  type PivotLegacyConfigInput,
  type PivotSnapConfigInput,
  type ProviderConfig,
} from '../src';
import { AUTH_CODE, klikooConfig, legacyConfig, secrets, snapConfig, useEmulatorServer } from './fixtures';

useStrictNock();

describe('createTokenProvider: one real fetch per provider and flow, against the emulators on loopback', () => {
  const emulatorServer = useEmulatorServer();

  it.each([
    ['pivot-snap', 'B2B', (url: string) => snapConfig(url), undefined, '/open-api/v1/access-token/b2b', '2007300'],
    [
      'pivot-snap',
      'B2B2C',
      (url: string) => snapConfig(url),
      { authCode: AUTH_CODE },
      '/open-api/v1/access-token/b2b2c',
      '2007400',
    ],
    ['pivot-legacy', 'client credentials', (url: string) => legacyConfig(url), undefined, '/v1/access-token', '00'],
    [
      'klikoo',
      'client credentials',
      (url: string) => klikooConfig(url),
      undefined,
      '/v1/open-api/access-token',
      '200012000',
    ],
  ] as const)('%s %s', async (provider, _flow, config, request, path, responseCode) => {
    const server = emulatorServer();
    const before = server.requests.length;
    const tokens = createTokenProvider(config(server.url));
    expect(tokens.provider).toBe(provider);
    const token = await tokens.fetchToken(request);
    expect(token).toMatchObject({ provider, tokenType: 'Bearer', responseCode });
    expect(token.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(server.requests.slice(before).map((r) => r.path)).toEqual([path]);
    expectNoSecrets([tokens, token], [...secrets(), token.accessToken]);
  });
});

describe('createTokenProvider: choosing the provider', () => {
  const valid = ['"pivot-snap"', '"pivot-legacy"', '"klikoo"'];

  it.each([
    ['an unknown name', { ...legacyConfig('https://api.example.com'), provider: 'pivot_snap' }],
    ['a name of another type', { ...legacyConfig('https://api.example.com'), provider: 7 }],
    ['an inherited property name', { ...legacyConfig('https://api.example.com'), provider: 'toString' }],
  ])('refuses %s with one CONFIG_INVALID naming the valid values', (_title, config) => {
    const error = catchSync(() => createTokenProvider(config as unknown as ProviderConfig));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', provider: 'kunci', retryable: false });
    expect(error.message).toContain('provider is not a known provider');
    for (const name of valid) expect(error.message).toContain(name);
    expectNoSecrets(error, secrets());
  });

  it('refuses a missing provider, saying it is missing', () => {
    const { provider: _omitted, ...config } = legacyConfig('https://api.example.com');
    const error = catchSync(() => createTokenProvider(config as unknown as ProviderConfig));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(
      'The kunci config has a problem: provider is missing: use one of "pivot-snap", "pivot-legacy", "klikoo", "snap".',
    );
  });

  it.each([
    ['null', null],
    ['a string', 'pivot-snap'],
    ['an array', []],
  ])('refuses %s as config', (_title, config) => {
    expect(catchSync(() => createTokenProvider(config as unknown as ProviderConfig)).code).toBe('CONFIG_INVALID');
  });

  it('hands the rest of the check to the named provider: its problems, its name, no secret echoed', () => {
    const config = { ...snapConfig('ftp://nowhere'), clientId: undefined, privateKey: 12345 };
    const error = catchSync(() => createTokenProvider(config as unknown as ProviderConfig));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', provider: 'pivot-snap' });
    for (const field of ['baseUrl', 'clientId', 'privateKey']) expect(error.message).toContain(field);
    expectNoSecrets(error, [...secrets(), '12345']);
  });
});

describe('the config input types, derived from the config classes', () => {
  const { encryptedPem, passphrase } = testKeyPair();
  const common = {
    baseUrl: 'http://tokens.internal.example',
    allowInsecureHttp: true,
    timeoutMs: 5_000,
    maxResponseBytes: 32 * 1024,
    proxy: false as const,
    httpClient: axios.create(),
    clock: Date.now,
  };
  // Required<…> makes the compiler insist that every option of the input type is listed here.
  const full: {
    [K in ProviderConfig['provider']]: Required<Extract<ProviderConfig, { provider: K }>>;
  } = {
    'pivot-snap': {
      ...common,
      provider: 'pivot-snap',
      clientId: 'snap-client',
      privateKey: encryptedPem,
      privateKeyPassphrase: passphrase,
      paths: { b2b: '/snap/v1.0/access-token/b2b', b2b2c: '/snap/v1.0/access-token/b2b2c' },
      timestamp: { offset: 'Z', milliseconds: true },
      clientSecret: 'env:KUNCI_TEST_MERCHANT_SECRET',
      partnerId: 'snap-partner',
      channelId: '95221',
      signing: { includeQuery: false, emptyBody: '{}', methodCase: 'upper' },
    } satisfies Required<PivotSnapConfigInput>,
    'pivot-legacy': {
      ...common,
      provider: 'pivot-legacy',
      merchantId: 'm',
      merchantSecret: 'env:KUNCI_TEST_MERCHANT_SECRET',
      path: '/v2/access-token',
    } satisfies Required<PivotLegacyConfigInput>,
    klikoo: {
      ...common,
      provider: 'klikoo',
      clientId: '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02',
      clientSecret: 'x'.repeat(32),
      privateKey: encryptedPem,
      privateKeyPassphrase: passphrase,
      path: '/v2/open-api/access-token',
      timestamp: { offset: '+07:00', milliseconds: false },
      signing: { includeQuery: true, emptyBody: '', methodCase: 'lower' },
    } satisfies Required<KlikooConfigInput>,
    snap: {
      ...common,
      provider: 'snap',
      profile: 'dana',
      clientId: 'snap-client',
      privateKey: encryptedPem,
      privateKeyPassphrase: passphrase,
      paths: { b2b: '/v1.0/access-token/b2b.htm', b2b2c: '/v1.0/access-token/b2b2c.htm' },
      timestamp: { offset: '+07:00', milliseconds: false },
      clientSecret: 'env:KUNCI_TEST_MERCHANT_SECRET',
      partnerId: 'snap-partner',
      channelId: '95221',
      serviceSignature: 'asymmetric',
      tokenWithAsymmetric: true,
      customerGrantType: 'AUTHORIZATION_CODE',
      signing: { includeQuery: true, emptyBody: '', methodCase: 'upper', minify: 'strip-all' },
      headers: { ORIGIN: 'www.example.com', 'X-DEVICE-ID': 'device-1' },
    },
  };

  beforeAll(() => {
    process.env.KUNCI_TEST_MERCHANT_SECRET = 'a-merchant-secret-from-the-environment';
  });
  afterAll(() => {
    delete process.env.KUNCI_TEST_MERCHANT_SECRET;
  });

  it.each(Object.entries(full))('%s: every option of the input type is accepted', (provider, config) => {
    expect(createTokenProvider(config).provider).toBe(provider);
  });
});
