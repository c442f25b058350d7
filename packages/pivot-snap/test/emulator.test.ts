import { createPrivateKey } from 'node:crypto';
import { startLoopbackServer, type EmulatedRequest, type LoopbackServer } from '@kunci/core/emulator';
import { expectAuthError, FIXED_NOW } from '#test-kit';
import { buildPivotSnapRequest } from '../src/request';
import { createPivotSnapEmulator, type PivotSnapEmulatorOptions } from '../src/emulator';
import { DEFAULT_PIVOT_SNAP_PATHS } from '../src';
import { CLIENT_ID, keys, makeProvider, SIGNED_AT } from './helpers';

const credentials = {
  clientId: CLIENT_ID,
  privateKey: createPrivateKey(keys.privateKeyPem),
  paths: { ...DEFAULT_PIVOT_SNAP_PATHS },
  timestamp: { offset: '+07:00', milliseconds: false },
};

/** A request as the provider would send it, lower-cased as a server sees it, then altered. */
function signedRequest(authCode?: string, alter: (r: EmulatedRequest) => void = () => undefined): EmulatedRequest {
  const prepared = buildPivotSnapRequest(credentials, authCode !== undefined ? { authCode } : {}, FIXED_NOW);
  const headers = Object.fromEntries(Object.entries(prepared.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const request = { method: 'POST', path: prepared.path, headers, body: JSON.stringify(prepared.body) };
  alter(request);
  return request;
}

const emulator = (options: Partial<PivotSnapEmulatorOptions> = {}) =>
  createPivotSnapEmulator({
    clients: [{ clientId: CLIENT_ID, publicKey: keys.publicKey }],
    clock: () => FIXED_NOW,
    ...options,
  });

const answer = (
  request: EmulatedRequest,
  options: Partial<PivotSnapEmulatorOptions> = { customers: [{ authCode: 'binding-123' }] },
) => {
  const response = emulator(options).handle(request);
  return {
    status: response.status,
    date: response.headers?.date,
    body: JSON.parse(response.body) as Record<string, unknown>,
  };
};

describe('pivot-snap emulator: what it answers', () => {
  it('B2B: the documented body, expiresIn as the string "900", its own clock in Date', () => {
    const { status, date, body } = answer(signedRequest());
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['responseCode', 'responseMessage', 'accessToken', 'tokenType', 'expiresIn']);
    expect(body).toMatchObject({
      responseCode: '2007300',
      responseMessage: 'Successful',
      tokenType: 'Bearer',
      expiresIn: '900',
    });
    expect(date).toBe(new Date(FIXED_NOW).toUTCString());
  });

  it('B2B2C: absolute +07:00 expiry times, a day for the refresh token by default', () => {
    const { status, body } = answer(signedRequest('binding-123'));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      responseCode: '2007400',
      accessTokenExpiryTime: '2025-11-26T10:46:03+07:00',
      refreshTokenExpiryTime: '2025-11-27T10:31:03+07:00',
      tokenType: 'Bearer',
    });
    expect(body.accessToken).not.toBe(body.refreshToken);
  });

  it.each<[string, (r: EmulatedRequest) => void, number, string, string]>([
    ['no X-SIGNATURE', (r) => delete r.headers['x-signature'], 400, '4007302', 'Invalid Mandatory Field X-SIGNATURE'],
    [
      'no X-CLIENT-KEY',
      (r) => delete r.headers['x-client-key'],
      400,
      '4007302',
      'Invalid Mandatory Field X-CLIENT-KEY',
    ],
    [
      'an unknown client',
      (r) => (r.headers['x-client-key'] = 'nobody'),
      401,
      '4017300',
      'Unauthorized. Unknown Client',
    ],
    [
      'a timestamp missing its hyphen (as the SNAP access-token page of Pivot prints it)',
      (r) => (r.headers['x-timestamp'] = '2025-1126T10:31:03+07:00'),
      400,
      '4007301',
      'Invalid Field Format X-TIMESTAMP',
    ],
    [
      'a timestamp signed for another instant',
      (r) => (r.headers['x-timestamp'] = '2025-11-26T10:31:04+07:00'),
      401,
      '4017300',
      'Unauthorized. Invalid Signature',
    ],
    ['a body that is not JSON', (r) => (r.body = 'grantType=client_credentials'), 400, '4007300', 'Bad Request'],
    ['no grantType', (r) => (r.body = '{"additionalInfo":{}}'), 400, '4007302', 'Invalid Mandatory Field grantType'],
    [
      'the B2B2C grant on the B2B path',
      (r) => (r.body = '{"grantType":"authorization_code","authCode":"binding-123"}'),
      400,
      '4007301',
      'Invalid Field Format grantType',
    ],
    [
      'a form content type',
      (r) => (r.headers['content-type'] = 'application/x-www-form-urlencoded'),
      400,
      '4007302',
      'Invalid Mandatory Field Content-Type',
    ],
  ])('B2B with %s → %s %s', (_title, alter, status, code, message) => {
    expect(answer(signedRequest(undefined, alter))).toMatchObject({
      status,
      body: { responseCode: code, responseMessage: message },
    });
  });

  it('B2B2C codes carry service 74: an unknown auth code → 4017402, a missing one → 4007402', () => {
    expect(answer(signedRequest('binding-unknown')).body).toEqual({
      responseCode: '4017402',
      responseMessage: 'Invalid Customer Token',
    });
    const noCode = signedRequest('x', (r) => (r.body = '{"grantType":"authorization_code","additionalInfo":{}}'));
    expect(answer(noCode).body).toEqual({
      responseCode: '4007402',
      responseMessage: 'Invalid Mandatory Field authCode',
    });
  });

  it('serves only POST on its two paths; any other path is a service call, which a token request is not', () => {
    const elsewhere = answer(signedRequest(undefined, (r) => (r.path = '/open-api/v1/access-token')));
    expect([elsewhere.status, elsewhere.body.responseCode]).toEqual([400, '4000002']);
    expect(answer(signedRequest(undefined, (r) => (r.method = 'GET'))).status).toBe(404);
    expect([...emulator({ paths: { b2b: '/snap/v1.0/access-token/b2b' } }).tokenPaths]).toEqual([
      ['/snap/v1.0/access-token/b2b', 'b2b'],
      [DEFAULT_PIVOT_SNAP_PATHS.b2b2c, 'b2b2c'],
    ]);
  });

  it('the tolerance is configurable', () => {
    const late = signedRequest();
    expect(answer(late, { clock: () => FIXED_NOW + 61_000, timestampToleranceMs: 60_000 }).body.responseCode).toBe(
      '4007301',
    );
    expect(answer(late, { clock: () => FIXED_NOW + 59_000, timestampToleranceMs: 60_000 }).body.responseCode).toBe(
      '2007300',
    );
    expect(late.headers['x-timestamp']).toBe(SIGNED_AT);
  });
});

describe('pivot-snap emulator: refresh tokens rotate (over a loopback server)', () => {
  let server: LoopbackServer;
  let now = FIXED_NOW;
  beforeEach(async () => {
    now = FIXED_NOW;
    const snap = createPivotSnapEmulator({
      clients: [{ clientId: CLIENT_ID, publicKey: keys.publicKeyPem }],
      customers: [{ authCode: 'binding-123', refreshToken: 'rt-initial' }],
      authCodePattern: /^sandbox-/,
      clock: () => now,
    });
    server = await startLoopbackServer((request) => snap.handle(request));
  });
  afterEach(() => server.close());

  it('each answer carries a new refresh token; the previous one is refused → GRANT_REJECTED', async () => {
    const provider = makeProvider({ baseUrl: server.url, clock: () => now });
    const first = await provider.fetchToken({ authCode: 'binding-123', refreshToken: 'rt-initial' });
    expect(first.refreshToken).toBeDefined();
    expect(first.refreshToken).not.toBe('rt-initial');
    const stale = await expectAuthError(
      provider.fetchToken({ authCode: 'binding-123', refreshToken: 'rt-initial' }),
      'GRANT_REJECTED',
    );
    expect(stale.providerCode).toBe('4017402');
    const second = await provider.fetchToken({ authCode: 'binding-123', refreshToken: first.refreshToken as string });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    await expectAuthError(
      provider.fetchToken({ authCode: 'binding-123', refreshToken: first.refreshToken as string }),
      'GRANT_REJECTED',
    );
  });

  it('the token comes back with its absolute expiries; an expired refresh token is refused', async () => {
    const provider = makeProvider({ baseUrl: server.url, clock: () => now });
    const token = await provider.fetchToken({ authCode: 'binding-123' });
    expect(token.expiresAt).toEqual(new Date(FIXED_NOW + 900_000));
    expect(token.refreshTokenExpiresAt).toEqual(new Date(FIXED_NOW + 86_400_000));
    now = FIXED_NOW + 86_400_000;
    await expectAuthError(
      provider.fetchToken({ authCode: 'binding-123', refreshToken: token.refreshToken as string }),
      'GRANT_REJECTED',
    );
  });

  it('an auth code matching the pattern is bound on first use, then rotates like any other', async () => {
    const provider = makeProvider({ baseUrl: server.url, clock: () => now });
    const first = await provider.fetchToken({ authCode: 'sandbox-42', refreshToken: 'whatever-the-app-held' });
    await expectAuthError(
      provider.fetchToken({ authCode: 'sandbox-42', refreshToken: 'whatever-the-app-held' }),
      'GRANT_REJECTED',
    );
    await provider.fetchToken({ authCode: 'sandbox-42', refreshToken: first.refreshToken as string });
    await expectAuthError(provider.fetchToken({ authCode: 'binding-999' }), 'GRANT_REJECTED');
  });
});
