import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { startLoopbackServer, type LoopbackServer } from '@kunci/core/emulator';
import { verifyRsaSha256 } from '@kunci/core/provider';
import {
  catchSync,
  expectAuthError,
  expectNoSecrets,
  FIXED_NOW,
  otherKeyPair,
  testKeyPair,
  useStrictNock,
} from '#test-kit';
import { createKlikooEmulator } from '../src/emulator';
import { createKlikooProvider } from '../src';
import errorCredentials from './fixtures/error-credentials.json';
import errorSignature from './fixtures/error-signature.json';
import success from './fixtures/success.json';
import {
  BASE_URL,
  CLIENT_ID,
  CLIENT_SECRET,
  expectedBody,
  klikooRequestProblems,
  TOKEN_PATH,
  validKlikooConfig,
} from './klikoo-test-client';

const make = (overrides: Record<string, unknown> = {}) =>
  createKlikooProvider({ ...validKlikooConfig(), clock: () => FIXED_NOW, ...overrides });

describe('klikoo config', () => {
  it.each([
    ['a free-form id', 'my-client-id'],
    ['a UUID v1', 'a8098c1a-f86e-11da-bd1a-00112444be1e'],
    ['a UUID without dashes', '7d1e5b8a2c4f4a9e9b3d6f0a1c2e4b58'],
    ['an empty string', ''],
  ])('refuses %s as clientId, saying a UUID v4 is needed', (_title, clientId) => {
    const error = catchSync(() => make({ clientId }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('clientId must be a UUID v4');
  });

  it.each([
    ['31 characters', CLIENT_SECRET.slice(1)],
    ['33 characters', `${CLIENT_SECRET}x`],
    ['a password-like value', 'hunter2-is-not-a-klikoo-secret'],
  ])('refuses a clientSecret of %s without echoing it', (_title, clientSecret) => {
    const error = catchSync(() => make({ clientSecret }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('clientSecret must be 32 characters long');
    expectNoSecrets(error, [clientSecret]);
  });

  it('checks the length of the resolved secret, not of its env: reference', () => {
    process.env.KLIKOO_QUIRKS_SHORT_SECRET = 'short-secret-value';
    try {
      const error = catchSync(() => make({ clientSecret: 'env:KLIKOO_QUIRKS_SHORT_SECRET' }));
      expect(error.message).toContain(
        'clientSecret must be 32 characters long, as Klikoo issues it (the value given has 18)',
      );
      expectNoSecrets(error, ['short-secret-value']);
    } finally {
      delete process.env.KLIKOO_QUIRKS_SHORT_SECRET;
    }
  });

  it('refuses a clientSecret of only spaces as empty', () => {
    const error = catchSync(() => make({ clientSecret: '   ' }));
    expect(error.message).toContain('clientSecret is empty');
  });

  it('reports every problem in one CONFIG_INVALID', () => {
    const error = catchSync(() =>
      make({ clientId: 'nope', clientSecret: 'short', privateKey: 'not a key', timestamp: { offset: 'WIB' } }),
    );
    expect(error.message).toContain('clientId must be a UUID v4');
    expect(error.message).toContain('timestamp.offset');
    const later = catchSync(() => make({ clientSecret: 'short', privateKey: 'not a key' }));
    expect(later.message).toContain('clientSecret must be 32 characters');
    expect(later.message).toContain('privateKey is not a readable private key');
  });

  it('takes no provider field when called directly, but refuses one naming another provider', () => {
    const { provider: _omitted, ...config } = validKlikooConfig();
    expect(createKlikooProvider(config).provider).toBe('klikoo');
    const error = catchSync(() => make({ provider: 'pivot-snap' }));
    expect(error.message).toContain("provider must be 'klikoo'");
  });

  it('refuses an RSA key under 2048 bits, and an encrypted key without its passphrase', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(catchSync(() => make({ privateKey: weak })).message).toContain('at least RSA-2048');
    expect(catchSync(() => make({ privateKey: testKeyPair().encryptedPem })).message).toContain(
      'set privateKeyPassphrase',
    );
    const wrong = catchSync(() =>
      make({ privateKey: testKeyPair().encryptedPem, privateKeyPassphrase: 'wrong passphrase' }),
    );
    expect(wrong.message).toContain('cannot be decrypted');
    expectNoSecrets(wrong, [testKeyPair().fingerprint, 'wrong passphrase']);
  });

  it('never prints the secret or the key of a provider', () => {
    expectNoSecrets(make(), [CLIENT_SECRET, testKeyPair().fingerprint, '-----BEGIN']);
  });
});

describe('klikoo over nock', () => {
  useStrictNock();

  /** Answers 200 with the documented body when the request is what Klikoo expects. */
  function expectSignedRequest(timestamp?: string, secret = CLIENT_SECRET): { problems: string[] } {
    const seen = { problems: [] as string[] };
    nock(BASE_URL)
      .post(TOKEN_PATH)
      .reply(function reply(_uri, body) {
        const headers = Object.fromEntries(
          Object.entries(this.req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
        );
        const problems = klikooRequestProblems(headers, body, timestamp).filter((p) => !p.startsWith('body'));
        if (JSON.stringify(body) !== JSON.stringify(expectedBody(CLIENT_ID, secret))) problems.push('body differs');
        seen.problems.push(...problems);
        return [200, success];
      });
    return seen;
  }

  it('README example: fetches the documented token', async () => {
    const seen = expectSignedRequest();
    const token = await make().fetchToken();
    expect(seen.problems).toEqual([]);
    expect(token).toMatchObject({
      accessToken: 'user_access_token',
      tokenType: 'Bearer',
      expiresIn: 900,
      provider: 'klikoo',
      responseCode: '200012000',
      responseMessage: 'Sukses',
    });
    expect(token.expiresAt).toEqual(new Date(FIXED_NOW + 900_000));
  });

  it('timestamp { milliseconds: true } writes and signs 2025-11-26T10:31:03.123+07:00', async () => {
    const seen = expectSignedRequest('2025-11-26T10:31:03.123+07:00');
    await make({ clock: () => FIXED_NOW + 123, timestamp: { milliseconds: true } }).fetchToken();
    expect(seen.problems).toEqual([]);
  });

  it("timestamp { offset: 'Z' } writes and signs UTC", async () => {
    const seen = expectSignedRequest('2025-11-26T03:31:03Z');
    await make({ timestamp: { offset: 'Z' } }).fetchToken();
    expect(seen.problems).toEqual([]);
  });

  it('the clock offset a caller measured shifts the signed timestamp', async () => {
    const seen = expectSignedRequest('2025-11-26T10:32:03+07:00');
    await make().fetchToken(undefined, { clockOffsetMs: 60_000 });
    expect(seen.problems).toEqual([]);
  });

  it('honours a custom path', async () => {
    nock(BASE_URL).post('/v2/open-api/access-token').reply(200, success);
    await make({ path: '/v2/open-api/access-token' }).fetchToken();
  });

  it.each([
    ['a PKCS#1 PEM', () => ({ privateKey: testKeyPair().pkcs1Pem })],
    ['a bare Base64 body', () => ({ privateKey: testKeyPair().base64Body })],
    [
      'an encrypted PEM with its passphrase',
      () => ({ privateKey: testKeyPair().encryptedPem, privateKeyPassphrase: testKeyPair().passphrase }),
    ],
    ['a PEM whose newlines arrived as \\n', () => ({ privateKey: testKeyPair().privateKeyPem.replace(/\n/g, '\\n') })],
  ])('signs with %s', async (_title, overrides) => {
    const seen = expectSignedRequest();
    await make(overrides()).fetchToken();
    expect(seen.problems).toEqual([]);
  });

  describe('env: and file: references', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'kunci-klikoo-'));
      writeFileSync(join(dir, 'klikoo.pem'), testKeyPair().privateKeyPem);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    afterEach(() => {
      delete process.env.KLIKOO_QUIRKS_SECRET;
    });

    it('reads clientSecret from env: and privateKey from file:, and signs with them', async () => {
      process.env.KLIKOO_QUIRKS_SECRET = `${CLIENT_SECRET}\n`;
      const seen = expectSignedRequest();
      await make({
        clientSecret: 'env:KLIKOO_QUIRKS_SECRET',
        privateKey: `file:${join(dir, 'klikoo.pem')}`,
      }).fetchToken();
      expect(seen.problems).toEqual([]);
    });

    it('names an unset variable and a missing file in one CONFIG_INVALID', () => {
      const error = catchSync(() =>
        make({ clientSecret: 'env:KLIKOO_QUIRKS_SECRET', privateKey: `file:${join(dir, 'missing.pem')}` }),
      );
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain(
        'clientSecret refers to environment variable KLIKOO_QUIRKS_SECRET, which is not set or empty',
      );
      expect(error.message).toContain('missing.pem');
    });
  });

  it('fetchToken({ authCode }) → REQUEST_REJECTED, and nothing is sent: Klikoo has no customer tokens', async () => {
    const provider = make();
    expect(provider.supportsCustomerTokens).toBe(false);
    const error = await expectAuthError(provider.fetchToken({ authCode: 'binding-123' }), 'REQUEST_REJECTED');
    expect(error.message).toContain('no customer (B2B2C) tokens');
    await expectAuthError(provider.fetchToken({ authCode: 'binding-123', refreshToken: 'rt' }), 'REQUEST_REJECTED');
  });

  it('the documented error body, with data null → CREDENTIALS_REJECTED with the provider words', async () => {
    nock(BASE_URL).post(TOKEN_PATH).reply(401, errorCredentials);
    const error = await expectAuthError(make().fetchToken(), 'CREDENTIALS_REJECTED');
    expect(error).toMatchObject({
      status: 401,
      providerCode: '401016570',
      providerMessage: 'Kredensial tidak sesuai',
      retryable: false,
    });
    expect(error.message).toContain(
      'klikoo rejected the credentials (HTTP 401, code 401016570, "Kredensial tidak sesuai")',
    );
  });

  it('an error body with a data object and no status of its own → the code decides', async () => {
    nock(BASE_URL)
      .post(TOKEN_PATH)
      .reply(200, { ...errorSignature, data: { hint: 'periksa kunci publik' } });
    const error = await expectAuthError(make().fetchToken(), 'SIGNATURE_REJECTED');
    expect(error.providerCode).toBe('400016508');
  });

  it('a numeric response_code is read like a string one', async () => {
    nock(BASE_URL)
      .post(TOKEN_PATH)
      .reply(200, { ...success, response_code: 200012000 });
    nock(BASE_URL).post(TOKEN_PATH).reply(400, { response_code: 400016505, response_message: 'Waktu tidak sesuai' });
    const provider = make();
    expect((await provider.fetchToken()).responseCode).toBe('200012000');
    await expectAuthError(provider.fetchToken(), 'TIMESTAMP_REJECTED');
  });

  it('a success code without data → RESPONSE_INVALID naming the field', async () => {
    nock(BASE_URL).post(TOKEN_PATH).reply(200, { response_code: '200012000', response_message: 'Sukses', data: null });
    const error = await expectAuthError(make().fetchToken(), 'RESPONSE_INVALID');
    expect(error.message).toContain('data must be an object');
  });

  it('a provider error that echoes the client secret is scrubbed from every printed form', async () => {
    nock(BASE_URL)
      .post(TOKEN_PATH)
      .reply(401, {
        response_code: '401016570',
        response_message: `Kredensial tidak sesuai: client_secret ${CLIENT_SECRET} salah`,
        data: {
          detail: `received ${CLIENT_SECRET}`,
          additional_info: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
        },
      });
    const error = await expectAuthError(make().fetchToken(), 'CREDENTIALS_REJECTED');
    expect(error.providerMessage).toBe('Kredensial tidak sesuai: client_secret [redacted] salah');
    expect(error.message).toContain('[redacted]');
    expectNoSecrets(error, [CLIENT_SECRET, testKeyPair().fingerprint]);
    expectNoSecrets(error.cause, [CLIENT_SECRET]);
  });

  it('a secret echoed in an HTML gateway page is not kept either', async () => {
    nock(BASE_URL)
      .post(TOKEN_PATH)
      .reply(502, `<html><body>upstream said ${CLIENT_SECRET}</body></html>`, { 'content-type': 'text/html' });
    const error = await expectAuthError(make().fetchToken(), 'PROVIDER_UNAVAILABLE');
    expectNoSecrets(error, [CLIENT_SECRET]);
  });
});

describe('klikoo against its emulator over a loopback server', () => {
  let server: LoopbackServer;
  const emulatorClock = { now: FIXED_NOW };
  beforeAll(async () => {
    const emulator = createKlikooEmulator({
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, publicKey: testKeyPair().publicKeyPem }],
      clock: () => emulatorClock.now,
    });
    server = await startLoopbackServer((request) => emulator.handle(request));
  });
  afterAll(() => server.close());
  const local = (overrides: Record<string, unknown> = {}) => make({ baseUrl: server.url, ...overrides });

  it('gets a token, signed over client_id|Open-Api-Timestamp', async () => {
    const token = await local().fetchToken();
    expect(token).toMatchObject({
      provider: 'klikoo',
      expiresIn: 900,
      responseCode: '200012000',
      responseMessage: 'Sukses',
    });
    expect(token.accessToken.split('.')).toHaveLength(3);
    const sent = server.requests[server.requests.length - 1];
    expect(sent?.headers['open-api-timestamp']).toBe('2025-11-26T10:31:03+07:00');
    expect(
      verifyRsaSha256(
        testKeyPair().publicKey,
        `${CLIENT_ID}|2025-11-26T10:31:03+07:00`,
        sent?.headers['open-api-signature'] ?? '',
      ),
    ).toBe(true);
  });

  it('accepts millisecond timestamps too', async () => {
    await expect(local({ timestamp: { milliseconds: true } }).fetchToken()).resolves.toMatchObject({
      provider: 'klikoo',
    });
  });

  it('a signature made with another key → SIGNATURE_REJECTED (400016508)', async () => {
    const error = await expectAuthError(
      local({ privateKey: otherKeyPair().privateKeyPem }).fetchToken(),
      'SIGNATURE_REJECTED',
    );
    expect(error).toMatchObject({
      status: 400,
      providerCode: '400016508',
      providerMessage: 'Signature tidak sesuai',
      retryable: false,
    });
    expectNoSecrets(error, [CLIENT_SECRET, otherKeyPair().fingerprint]);
  });

  it('a timestamp outside the window → TIMESTAMP_REJECTED (400016505); the measured offset fixes it', async () => {
    const slow = local({ clock: () => FIXED_NOW - 6 * 60_000 });
    const error = await expectAuthError(slow.fetchToken(), 'TIMESTAMP_REJECTED');
    expect(error).toMatchObject({ status: 400, providerCode: '400016505', providerMessage: 'Waktu tidak sesuai' });
    expect(error.serverDate).toBeInstanceOf(Date);
    await expect(slow.fetchToken(undefined, { clockOffsetMs: 6 * 60_000 })).resolves.toMatchObject({
      provider: 'klikoo',
    });
  });

  it('a wrong secret of the right length → CREDENTIALS_REJECTED (401016570), without echoing it', async () => {
    const wrong = 'ffffffffffffffffffffffffffffffff';
    const error = await expectAuthError(local({ clientSecret: wrong }).fetchToken(), 'CREDENTIALS_REJECTED');
    expect(error).toMatchObject({ status: 401, providerCode: '401016570' });
    expectNoSecrets(error, [wrong]);
  });

  it('an unknown client → CREDENTIALS_REJECTED (401016570)', async () => {
    const error = await expectAuthError(
      local({ clientId: '0b6c3f0e-9a51-4d8e-8f3a-2b1c0d9e8f7a' }).fetchToken(),
      'CREDENTIALS_REJECTED',
    );
    expect(error.providerCode).toBe('401016570');
  });
});

describe('klikoo: the facts it gives the interceptor', () => {
  const provider = () => createKlikooProvider(validKlikooConfig());

  it('declares its configured token path', () => {
    expect(provider().tokenPaths).toEqual([TOKEN_PATH]);
    expect(createKlikooProvider({ ...validKlikooConfig(), path: '/v2/token' }).tokenPaths).toEqual(['/v2/token']);
  });

  it.each([
    [{ response_code: '401016500', response_message: 'Token tidak sesuai' }, 'access'],
    [{ response_code: 401006535, response_message: 'Token kadaluarsa' }, 'access'],
    [{ response_code: '401016570', response_message: 'Kredensial tidak sesuai' }, false],
    [{ response_code: '400006508' }, false],
    [{ responseCode: '4017301' }, false],
  ])('a 401 with %j names %s', (body, expected) => {
    expect(provider().isTokenRejected?.({ status: 401, headers: {}, body })).toBe(expected);
  });
});
