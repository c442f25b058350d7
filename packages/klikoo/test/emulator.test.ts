import { createPrivateKey } from 'node:crypto';
import { parseJsonObject, type EmulatedRequest } from '@kunci/core/emulator';
import { FIXED_NOW, otherKeyPair, testKeyPair } from '#test-kit';
import { buildKlikooRequest, DEFAULT_KLIKOO_PATH, klikooStringToSign, type KlikooCredentials } from '../src';
import { createKlikooEmulator } from '../src/emulator';
import { CLIENT_ID, CLIENT_SECRET, TIMESTAMP_AT_FIXED_NOW } from './klikoo-test-client';

const credentials = (overrides: Partial<KlikooCredentials> = {}): KlikooCredentials => ({
  path: DEFAULT_KLIKOO_PATH,
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  privateKey: createPrivateKey(testKeyPair().privateKeyPem),
  timestamp: { offset: '+07:00', milliseconds: false },
  ...overrides,
});

/** What the emulator would receive for a request built by the provider's own builder. */
function signedRequest(overrides: Partial<KlikooCredentials> = {}, nowMs = FIXED_NOW): EmulatedRequest {
  const prepared = buildKlikooRequest(credentials(overrides), nowMs);
  const headers = Object.fromEntries(
    Object.entries(prepared.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return { method: 'POST', path: prepared.path, headers, body: JSON.stringify(prepared.body) };
}

const emulator = createKlikooEmulator({
  clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, publicKey: testKeyPair().publicKey }],
  clock: () => FIXED_NOW,
});

function answer(request: EmulatedRequest): { status: number; body: Record<string, unknown> } {
  const response = emulator.handle(request);
  return { status: response.status, body: parseJsonObject(response.body) ?? {} };
}

const withBody = (request: EmulatedRequest, body: unknown): EmulatedRequest => ({
  ...request,
  body: JSON.stringify(body),
});

describe('createKlikooEmulator', () => {
  it('answers a correct request with the documented success body and a fresh JWT-like token', () => {
    const first = answer(signedRequest());
    const second = answer(signedRequest());
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      response_code: '200012000',
      response_message: 'Sukses',
      data: { token_type: 'Bearer', expires_in: 900 },
    });
    const token = (first.body.data as { access_token: string }).access_token;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(token).not.toBe((second.body.data as { access_token: string }).access_token);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      sub: string;
      exp: number;
    };
    expect(claims).toMatchObject({ sub: CLIENT_ID, exp: FIXED_NOW / 1000 + 900 });
  });

  it.each([
    ['a timestamp in milliseconds', signedRequest({ timestamp: { offset: '+07:00', milliseconds: true } })],
    ['a UTC timestamp', signedRequest({ timestamp: { offset: 'Z', milliseconds: false } })],
    ['a timestamp 4 minutes behind', signedRequest({}, FIXED_NOW - 4 * 60_000)],
  ])('accepts %s', (_title, request) => {
    expect(answer(request).status).toBe(200);
  });

  const cases: Array<[string, (r: EmulatedRequest) => EmulatedRequest, number, string, string]> = [
    [
      'a timestamp 6 minutes ahead',
      () => signedRequest({}, FIXED_NOW + 6 * 60_000),
      400,
      '400016505',
      'Waktu tidak sesuai',
    ],
    [
      'a timestamp without an offset',
      (r) => ({ ...r, headers: { ...r.headers, 'open-api-timestamp': '2025-11-26T10:31:03' } }),
      400,
      '400016505',
      'Waktu tidak sesuai',
    ],
    [
      'a timestamp with a space',
      (r) => ({ ...r, headers: { ...r.headers, 'open-api-timestamp': '2025-11-26 10:31:03+07:00' } }),
      400,
      '400016505',
      'Waktu tidak sesuai',
    ],
    [
      'no timestamp header',
      (r) => ({ ...r, headers: { ...r.headers, 'open-api-timestamp': '' } }),
      400,
      '400016512',
      'Field tidak boleh kosong',
    ],
    [
      'no signature header',
      (r) => ({ ...r, headers: { 'content-type': 'application/json', 'open-api-timestamp': TIMESTAMP_AT_FIXED_NOW } }),
      400,
      '400016512',
      'Field tidak boleh kosong',
    ],
    [
      'a signature by another key',
      () => signedRequest({ privateKey: createPrivateKey(otherKeyPair().privateKeyPem) }),
      400,
      '400016508',
      'Signature tidak sesuai',
    ],
    [
      'a signature over another timestamp',
      (r) => ({ ...r, headers: { ...r.headers, 'open-api-timestamp': '2025-11-26T10:31:04+07:00' } }),
      400,
      '400016508',
      'Signature tidak sesuai',
    ],
    [
      'a grant type other than client_credentials',
      (r) =>
        withBody(r, {
          grant_type: 'password',
          additional_info: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
        }),
      400,
      '400016569',
      'Grant type tidak sesuai',
    ],
    [
      'no grant type',
      (r) => withBody(r, { additional_info: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET } }),
      400,
      '400016512',
      'Field tidak boleh kosong',
    ],
    [
      'no additional_info',
      (r) => withBody(r, { grant_type: 'client_credentials' }),
      400,
      '400016512',
      'Field tidak boleh kosong',
    ],
    [
      'an empty client_secret',
      (r) =>
        withBody(r, { grant_type: 'client_credentials', additional_info: { client_id: CLIENT_ID, client_secret: '' } }),
      400,
      '400016512',
      'Field tidak boleh kosong',
    ],
    [
      'a client_id that is not a UUID',
      (r) =>
        withBody(r, {
          grant_type: 'client_credentials',
          additional_info: { client_id: 'merchant-7', client_secret: CLIENT_SECRET },
        }),
      400,
      '400016568',
      'UUID tidak sesuai',
    ],
    [
      'an unknown client_id',
      (r) =>
        withBody(r, {
          grant_type: 'client_credentials',
          additional_info: { client_id: '0b6c3f0e-9a51-4d8e-8f3a-2b1c0d9e8f7a', client_secret: CLIENT_SECRET },
        }),
      401,
      '401016570',
      'Kredensial tidak sesuai',
    ],
    [
      'a wrong client_secret',
      (r) =>
        withBody(r, {
          grant_type: 'client_credentials',
          additional_info: { client_id: CLIENT_ID, client_secret: 'f'.repeat(32) },
        }),
      401,
      '401016570',
      'Kredensial tidak sesuai',
    ],
    [
      'a body that is not JSON',
      (r) => ({ ...r, body: 'grant_type=client_credentials' }),
      400,
      '400016510',
      'Validasi Error',
    ],
    [
      'a form content type',
      (r) => ({ ...r, headers: { ...r.headers, 'content-type': 'application/x-www-form-urlencoded' } }),
      400,
      '400016510',
      'Validasi Error',
    ],
  ];
  it.each(cases)('refuses %s', (_title, change, status, code, message) => {
    expect(answer(change(signedRequest()))).toEqual({
      status,
      body: { response_code: code, response_message: message },
    });
  });

  it('serves only POST on its path (default or configured); any other path is an API call that wants a token', () => {
    expect(answer({ ...signedRequest(), method: 'GET' }).status).toBe(404);
    const elsewhere = answer({ ...signedRequest(), path: '/v1/access-token' });
    expect([elsewhere.status, elsewhere.body.response_code]).toEqual([401, '401006500']);
    const moved = createKlikooEmulator({
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, publicKey: testKeyPair().publicKeyPem }],
      clock: () => FIXED_NOW,
      path: '/b2b/token',
    });
    expect([...moved.tokenPaths]).toEqual([['/b2b/token', 'b2b']]);
    expect(moved.handle({ ...signedRequest({ path: '/b2b/token' }) }).status).toBe(200);
  });

  it('honours timestampToleranceMs', () => {
    const strict = createKlikooEmulator({
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, publicKey: testKeyPair().publicKey }],
      clock: () => FIXED_NOW,
      timestampToleranceMs: 30_000,
    });
    expect(strict.handle(signedRequest({}, FIXED_NOW - 31_000)).status).toBe(400);
    expect(strict.handle(signedRequest({}, FIXED_NOW - 29_000)).status).toBe(200);
  });
});

describe('buildKlikooRequest', () => {
  it('is pure: the documented headers and body, the same signature for the same instant', () => {
    const a = buildKlikooRequest(credentials(), FIXED_NOW);
    const b = buildKlikooRequest(credentials(), FIXED_NOW);
    expect(a).toEqual(b);
    expect(a).toMatchObject({
      flow: 'b2b',
      path: '/v1/open-api/access-token',
      headers: { 'Content-Type': 'application/json', 'Open-Api-Timestamp': '2025-11-26T10:31:03+07:00' },
      body: {
        grant_type: 'client_credentials',
        additional_info: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
      },
    });
    expect(Object.keys(a.headers).sort()).toEqual(['Content-Type', 'Open-Api-Signature', 'Open-Api-Timestamp']);
    expect(a.headers['Open-Api-Signature']).toMatch(/^[A-Za-z0-9+/]{342}==$/);
  });

  it('klikooStringToSign is client_id|timestamp, exactly as the header carries it', () => {
    expect(klikooStringToSign(CLIENT_ID, '2022-03-21T10:11:40+07:00')).toBe(`${CLIENT_ID}|2022-03-21T10:11:40+07:00`);
  });
});
