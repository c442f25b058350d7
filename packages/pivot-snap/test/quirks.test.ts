import { createPrivateKey } from 'node:crypto';
import { startLoopbackServer } from '@kunci/core/emulator';
import { verifyRsaSha256 } from '@kunci/core/provider';
import { catchSync, expectAuthError, expectNoSecrets, FIXED_NOW, otherKeyPair, useStrictNock } from '#test-kit';
import { buildPivotSnapRequest } from '../src/request';
import { createPivotSnapEmulator } from '../src/emulator';
import { createPivotSnapProvider, LEGACY_PIVOT_SNAP_PATHS, pivotSnapStringToSign, signPivotSnap } from '../src';
import b2b2cSuccess from './fixtures/b2b2c-success.json';
import invalidSignature from './fixtures/error-invalid-signature.json';
import {
  B2B2C_PATH,
  B2B_PATH,
  BASE_URL,
  capture,
  CLIENT_ID,
  keys,
  makeProvider,
  only,
  SIGNED_AT,
  signedBy,
  type SentRequest,
} from './helpers';

// What the provider contract does not cover. Key formats are in key-formats.test.ts.
describe('pivot-snap: the signed timestamp', () => {
  useStrictNock();

  it.each([
    ['the default: Jakarta offset, no milliseconds', undefined, FIXED_NOW, SIGNED_AT],
    ['UTC with Z', { offset: 'Z' }, FIXED_NOW, '2025-11-26T03:31:03Z'],
    ['milliseconds', { milliseconds: true }, FIXED_NOW + 45, '2025-11-26T10:31:03.045+07:00'],
    ['Z and milliseconds', { offset: 'Z', milliseconds: true }, FIXED_NOW + 999, '2025-11-26T03:31:03.999Z'],
    ['another offset', { offset: '+08:00' }, FIXED_NOW, '2025-11-26T11:31:03+08:00'],
  ])('%s: X-TIMESTAMP is written so, and exactly that string is signed', async (_title, timestamp, now, header) => {
    const sent = capture(B2B_PATH);
    await makeProvider({ clock: () => now, ...(timestamp !== undefined ? { timestamp } : {}) }).fetchToken();
    expect(signedBy(only(sent), header)).toBe(true);
  });

  it('fetchToken(request, { clockOffsetMs }) shifts the signed timestamp by the measured skew', async () => {
    const sent: SentRequest[] = [];
    capture(B2B_PATH, { into: sent });
    capture(B2B2C_PATH, { body: b2b2cSuccess, into: sent });
    const provider = makeProvider();
    await provider.fetchToken(undefined, { clockOffsetMs: 90_000 });
    await provider.fetchToken({ authCode: 'binding-123' }, { clockOffsetMs: -3_600_000 });
    expect(signedBy(sent[0] as SentRequest, '2025-11-26T10:32:33+07:00')).toBe(true);
    expect(signedBy(sent[1] as SentRequest, '2025-11-26T09:31:03+07:00')).toBe(true);
  });

  it('refuses a malformed offset or milliseconds option by path', () => {
    const error = catchSync(() => makeProvider({ timestamp: { offset: '+7', milliseconds: 'yes' } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('timestamp.offset');
    expect(error.message).toContain('timestamp.milliseconds');
  });

  it('the request builder is pure and shows what it signs (for `kunci sign`)', () => {
    const credentials = {
      clientId: CLIENT_ID,
      privateKey: createPrivateKey(keys.privateKeyPem),
      paths: LEGACY_PIVOT_SNAP_PATHS,
      timestamp: { offset: '+07:00', milliseconds: false },
    };
    const first = buildPivotSnapRequest(credentials, {}, FIXED_NOW);
    expect(buildPivotSnapRequest(credentials, {}, FIXED_NOW)).toEqual(first);
    const signed = signPivotSnap(credentials, FIXED_NOW);
    expect(signed).toEqual({
      timestamp: SIGNED_AT,
      stringToSign: `${CLIENT_ID}|${SIGNED_AT}`,
      signature: first.headers['X-SIGNATURE'],
    });
    expect(pivotSnapStringToSign(CLIENT_ID, SIGNED_AT)).toBe(`${CLIENT_ID}|${SIGNED_AT}`);
    expect(verifyRsaSha256(keys.publicKey, signed.stringToSign, signed.signature)).toBe(true);
  });
});

describe('pivot-snap: paths, base URL and bodies', () => {
  useStrictNock();

  it("Pivot's older /snap/v1.0 paths, when configured, are the ones hit", async () => {
    const sent: SentRequest[] = [];
    capture(LEGACY_PIVOT_SNAP_PATHS.b2b, { into: sent });
    capture(LEGACY_PIVOT_SNAP_PATHS.b2b2c, { body: b2b2cSuccess, into: sent });
    const provider = makeProvider({ paths: { ...LEGACY_PIVOT_SNAP_PATHS } });
    await provider.fetchToken();
    await provider.fetchToken({ authCode: 'binding-123' });
    expect(sent.map((s) => s.path)).toEqual(['/snap/v1.0/access-token/b2b', '/snap/v1.0/access-token/b2b2c']);
  });

  it('overriding one path keeps the default of the other', async () => {
    const sent: SentRequest[] = [];
    capture('/custom/b2b', { into: sent });
    capture(B2B2C_PATH, { body: b2b2cSuccess, into: sent });
    const provider = makeProvider({ paths: { b2b: '/custom/b2b' } });
    await provider.fetchToken();
    await provider.fetchToken({ authCode: 'binding-123' });
    expect(sent.map((s) => s.path)).toEqual(['/custom/b2b', B2B2C_PATH]);
  });

  it('a baseUrl with a path prefix (and a trailing slash) keeps the prefix', async () => {
    const sent = capture(`/pivot${B2B_PATH}`, { baseUrl: 'https://gateway.example.co.id' });
    await makeProvider({ baseUrl: 'https://gateway.example.co.id/pivot/' }).fetchToken();
    expect(only(sent).path).toBe(`/pivot${B2B_PATH}`);
  });

  it('refuses a path without a leading slash and an unknown path key, by path', () => {
    const error = catchSync(() => makeProvider({ paths: { b2b: 'open-api/v1/access-token/b2b', b2c: '/x' } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('paths.b2b must be a path starting with /');
    expect(error.message).toContain('paths.b2c is not a known option');
  });

  it.each([
    ['a string', '/snap/v1.0'],
    ['an array', ['/snap/v1.0/access-token/b2b']],
  ])('refuses %s as paths', (_title, paths) => {
    expect(catchSync(() => makeProvider({ paths })).message).toContain('paths must be an object');
  });

  it("takes no provider field when called directly, and refuses another provider's name", async () => {
    capture(B2B_PATH);
    await createPivotSnapProvider({
      baseUrl: BASE_URL,
      clientId: CLIENT_ID,
      privateKey: keys.privateKeyPem,
      clock: () => FIXED_NOW,
    }).fetchToken();
    expect(catchSync(() => makeProvider({ provider: 'klikoo' })).message).toContain("provider must be 'pivot-snap'");
  });

  it('refuses a clientId that cannot travel in a header', () => {
    const error = catchSync(() => makeProvider({ clientId: 'client id\r\nX-Injected: 1' }));
    expect(error.message).toContain('clientId must be visible ASCII');
  });

  it('the B2B2C body without a refresh token omits the field; with one, sends it beside the auth code', async () => {
    const sent: SentRequest[] = [];
    capture(B2B2C_PATH, { body: b2b2cSuccess, into: sent });
    capture(B2B2C_PATH, { body: b2b2cSuccess, into: sent });
    const provider = makeProvider();
    await provider.fetchToken({ authCode: 'binding-123' });
    await provider.fetchToken({ authCode: 'binding-123', refreshToken: 'rt-1' });
    expect(JSON.stringify(sent[0]?.body)).toBe(
      '{"grantType":"authorization_code","authCode":"binding-123","additionalInfo":{}}',
    );
    expect(JSON.stringify(sent[1]?.body)).toBe(
      '{"grantType":"authorization_code","authCode":"binding-123","refreshToken":"rt-1","additionalInfo":{}}',
    );
    expect(sent.map((s) => signedBy(s))).toEqual([true, true]);
  });

  it('a refresh token without its auth code is refused before anything is sent', async () => {
    await expectAuthError(makeProvider().fetchToken({ refreshToken: 'rt-1' }), 'REQUEST_REJECTED');
  });
});

describe('pivot-snap: answers the contract does not cover', () => {
  useStrictNock();

  it('the documented error body: a sentence that says what to check, with the evidence', async () => {
    capture(B2B_PATH, { status: 401, body: invalidSignature });
    const error = await expectAuthError(makeProvider().fetchToken(), 'SIGNATURE_REJECTED');
    expect(error.message).toBe(
      'pivot-snap could not verify the signature (HTTP 401, code 4017300, "Unauthorized. Invalid Signature"): check that the public key registered with the provider matches privateKey.',
    );
  });

  it('a B2B success code answering a customer request is not a customer token → RESPONSE_INVALID naming paths.b2b2c', async () => {
    capture(B2B2C_PATH, {
      body: {
        responseCode: '2007300',
        responseMessage: 'Successful',
        accessToken: 'b2b-token',
        tokenType: 'Bearer',
        expiresIn: '900',
      },
    });
    const error = await expectAuthError(makeProvider().fetchToken({ authCode: 'binding-123' }), 'RESPONSE_INVALID');
    expect(error.message).toContain('paths.b2b2c');
    expect(error.providerCode).toBe('2007300');
  });

  it('a customer token without a refresh token is still a token, with no refresh fields', async () => {
    const { refreshToken: _r, refreshTokenExpiryTime: _e, ...body } = b2b2cSuccess;
    capture(B2B2C_PATH, { body });
    const token = await makeProvider().fetchToken({ authCode: 'binding-123' });
    expect(token.expiresAt).toEqual(new Date('2025-11-27T10:46:03+07:00'));
    expect('refreshToken' in token || 'refreshTokenExpiresAt' in token).toBe(false);
  });

  it('a refresh token with a malformed expiry → RESPONSE_INVALID (never a guessed expiry)', async () => {
    capture(B2B2C_PATH, { body: { ...b2b2cSuccess, refreshTokenExpiryTime: '26/11/2025 10:46' } });
    const error = await expectAuthError(makeProvider().fetchToken({ authCode: 'binding-123' }), 'RESPONSE_INVALID');
    expect(error.message).toContain('refreshTokenExpiryTime');
  });

  it('a provider that echoes the refresh token in its message does not get it printed', async () => {
    const refreshToken = 'rt_echoed_5c4b3a29180f7e6d5c4b3a2918';
    capture(B2B2C_PATH, {
      status: 401,
      body: { responseCode: '4017402', responseMessage: `Invalid Customer Token ${refreshToken}` },
    });
    const error = await expectAuthError(
      makeProvider().fetchToken({ authCode: 'binding-123', refreshToken }),
      'GRANT_REJECTED',
    );
    expectNoSecrets(error, [refreshToken]);
  });
});

describe('pivot-snap: against the emulator over a loopback server', () => {
  const SKEW_MS = 10 * 60_000;

  async function withEmulator(emulatorNow: number, run: (baseUrl: string) => Promise<void>): Promise<void> {
    const emulator = createPivotSnapEmulator({
      clients: [{ clientId: CLIENT_ID, publicKey: keys.publicKeyPem }],
      clock: () => emulatorNow,
    });
    const server = await startLoopbackServer((request) => emulator.handle(request));
    try {
      await run(server.url);
    } finally {
      await server.close();
    }
  }

  it('a signature made with another key → SIGNATURE_REJECTED (4017300 Invalid Signature)', async () => {
    await withEmulator(FIXED_NOW, async (baseUrl) => {
      const provider = makeProvider({ baseUrl, privateKey: otherKeyPair().privateKeyPem });
      const error = await expectAuthError(provider.fetchToken(), 'SIGNATURE_REJECTED');
      expect(error).toMatchObject({
        status: 401,
        providerCode: '4017300',
        providerMessage: 'Unauthorized. Invalid Signature',
        retryable: false,
      });
      expectNoSecrets(error, [otherKeyPair().fingerprint]);
    });
  });

  it('an unregistered client → CREDENTIALS_REJECTED (4017300 Unknown Client)', async () => {
    await withEmulator(FIXED_NOW, async (baseUrl) => {
      const error = await expectAuthError(
        makeProvider({ baseUrl, clientId: 'someone-else' }).fetchToken(),
        'CREDENTIALS_REJECTED',
      );
      expect(error.providerMessage).toBe('Unauthorized. Unknown Client');
    });
  });

  it('clock skew beyond the tolerance → TIMESTAMP_REJECTED; the same skew passed as clockOffsetMs → a token', async () => {
    await withEmulator(FIXED_NOW + SKEW_MS, async (baseUrl) => {
      const provider = makeProvider({ baseUrl });
      const error = await expectAuthError(provider.fetchToken(), 'TIMESTAMP_REJECTED');
      expect(error).toMatchObject({
        status: 400,
        providerCode: '4007301',
        providerMessage: 'Invalid Field Format X-TIMESTAMP',
      });
      expect(error.serverDate).toEqual(new Date(FIXED_NOW + SKEW_MS));
      const token = await provider.fetchToken(undefined, { clockOffsetMs: SKEW_MS });
      expect(token.responseCode).toBe('2007300');
    });
  });

  it('skew within the tolerance is accepted, in either direction', async () => {
    await withEmulator(FIXED_NOW - 4 * 60_000, async (baseUrl) => {
      expect((await makeProvider({ baseUrl }).fetchToken()).expiresIn).toBe(900);
    });
    await withEmulator(FIXED_NOW + 4 * 60_000, async (baseUrl) => {
      expect((await makeProvider({ baseUrl }).fetchToken()).expiresIn).toBe(900);
    });
  });
});

describe('pivot-snap: the facts it gives the interceptor', () => {
  it('declares its configured token paths', () => {
    expect(makeProvider().tokenPaths).toEqual([B2B_PATH, B2B2C_PATH]);
    expect(makeProvider({ paths: LEGACY_PIVOT_SNAP_PATHS }).tokenPaths).toEqual([
      LEGACY_PIVOT_SNAP_PATHS.b2b,
      LEGACY_PIVOT_SNAP_PATHS.b2b2c,
    ]);
    expect(makeProvider({ baseUrl: `${BASE_URL}/gateway/` }).baseUrl).toBe(`${BASE_URL}/gateway`);
  });

  it.each([
    [{ responseCode: '4017301', responseMessage: 'Invalid Token (B2B)' }, 'access'],
    [{ responseCode: '4015403' }, 'access'],
    [{ responseCode: '4015402', responseMessage: 'Invalid Customer Token' }, 'customer'],
    [{ responseCode: '4015404' }, 'customer'],
    [{ responseCode: '4017300', responseMessage: 'Unauthorized. Invalid Signature' }, false],
    [{ responseCode: '4035401' }, false],
    [{ response_code: '401016500' }, false],
    ['<html>401</html>', false],
  ])('a 401 with %j names %s', (body, expected) => {
    expect(makeProvider().isTokenRejected?.({ status: 401, headers: {}, body })).toBe(expected);
  });
});
