import { expect } from '@jest/globals';
import axios, { type AxiosError } from 'axios';
import { attachTokenManager, isAuthError, TokenManager } from '@kunci/core';
import { startLoopbackServer, type LoopbackServer } from '@kunci/core/emulator';
import { expectAuthError } from '#test-kit';
import { createSnapProvider, SNAP_PROFILES, type SnapProfileName, type SnapServiceRequest } from '../src';
import { createSnapEmulator, type SnapEmulatorOptions } from '../src/entries/emulator';
import { CHANNEL_ID, CLIENT_ID, CLIENT_SECRET, keys, PROFILE_NAMES } from './helpers';

// Token and signed service calls through the axios interceptor, against the profile's emulator on
// loopback: each profile's paths, timestamp format and service-signature scheme, end to end.

const AUTH_CODE = 'binding-123';
const SERVICE_PATH = '/v1.0/debit/payment-host-to-host';
const BODY = { partnerReferenceNo: 'INV 1', additionalInfo: { note: 'Rp 10.000 — lunas ✓', tags: ['a b', null] } };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emulated(profile: SnapProfileName, options: Partial<SnapEmulatorOptions> = {}): Promise<LoopbackServer> {
  const emulator = createSnapEmulator({
    profile,
    clients: [{ clientId: CLIENT_ID, publicKey: keys.publicKey, clientSecret: CLIENT_SECRET }],
    customers: [{ authCode: AUTH_CODE }],
    ...options,
  });
  const server = await startLoopbackServer((request) => emulator.handle(request));
  cleanups.push(() => server.close());
  return server;
}

function client(server: LoopbackServer, profile: SnapProfileName, overrides: Record<string, unknown> = {}) {
  const provider = createSnapProvider({
    provider: 'snap',
    profile,
    baseUrl: server.url,
    clientId: CLIENT_ID,
    privateKey: keys.privateKeyPem,
    clientSecret: CLIENT_SECRET,
    channelId: CHANNEL_ID,
    ...overrides,
  });
  const tokens = new TokenManager(provider, { retry: false });
  cleanups.push(() => tokens.close());
  const api = axios.create({ baseURL: server.url });
  attachTokenManager(api, tokens);
  return { api, tokens, provider };
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number | undefined; body: unknown }> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (caught: unknown) => caught as AxiosError,
  );
  return { status: error.response?.status, body: error.response?.data };
}

describe.each(PROFILE_NAMES)('profile %s against its emulator', (profile) => {
  const settings = SNAP_PROFILES[profile];

  it(`a B2B token at ${settings.paths.b2b}, then a signed call (${settings.serviceSignature}) is accepted`, async () => {
    const server = await emulated(profile);
    const { api } = client(server, profile);
    const answer = await api.post(SERVICE_PATH, BODY);
    expect(answer.data).toEqual({ responseCode: '2000000', responseMessage: 'Successful' });
    const withToken = settings.serviceSignature === 'symmetric' || settings.tokenWithAsymmetric;
    // Calls that carry no B2B token (DANA's asymmetric default): the interceptor fetches none.
    const [token, call] = withToken ? server.requests : [undefined, ...server.requests];
    if (withToken) expect(token?.path).toBe(settings.paths.b2b);
    expect(server.requests).toHaveLength(withToken ? 2 : 1);
    expect(call?.headers.authorization).toEqual(withToken ? expect.stringMatching(/^Bearer \S+$/) : undefined);
    const timestamp = call?.headers['x-timestamp'] ?? '';
    expect(timestamp).toMatch(
      settings.timestamp.milliseconds ? /\.\d{3}(Z|[+-]\d{2}:\d{2})$/ : /:\d{2}(Z|[+-]\d{2}:\d{2})$/,
    );
    expect(timestamp.endsWith(settings.timestamp.offset)).toBe(true);
  });

  it(`a customer's token at ${settings.paths.b2b2c} (grant ${settings.customerGrantType}) goes with Authorization-Customer`, async () => {
    const server = await emulated(profile);
    const { api } = client(server, profile);
    const answer = await api.post(SERVICE_PATH, BODY, { kunci: { authCode: AUTH_CODE } });
    expect(answer.status).toBe(200);
    const call = server.requests.find((request) => request.path === SERVICE_PATH);
    expect(call?.headers['authorization-customer']).toMatch(/^Bearer \S+$/);
    expect(server.requests.map((request) => request.path)).toContain(settings.paths.b2b2c);
  });

  it('a call signed with another key or secret is refused as an invalid signature', async () => {
    const server = await emulated(profile);
    const other =
      settings.serviceSignature === 'symmetric'
        ? { clientSecret: 'another-client-secret-0123456789abcd' }
        : { serviceSignature: 'symmetric' as const };
    const { api } = client(server, profile, other);
    const refused = await refusal(api.post(SERVICE_PATH, BODY));
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ responseCode: '4010000' });
  });

  it('a timestamp in another format than the profile says is refused at the token call', async () => {
    const server = await emulated(profile);
    const other = settings.timestamp.milliseconds ? { milliseconds: false } : { milliseconds: true };
    const { provider } = client(server, profile, { timestamp: other });
    const error = await expectAuthError(provider.fetchToken(), 'TIMESTAMP_REJECTED');
    expect(error.providerCode).toBe('4007301');
  });
});

/**
 * One call signed by the provider itself and sent without the interceptor (which puts the B2B
 * token in Authorization on every call): what the signer alone sends.
 */
async function signedAlone(server: LoopbackServer, profile: SnapProfileName, overrides: Record<string, unknown> = {}) {
  const { provider } = client(server, profile, overrides);
  const token = await provider.fetchToken();
  const signed = provider.signRequest?.({
    method: 'POST',
    url: SERVICE_PATH,
    body: BODY,
    accessToken: token.accessToken,
  });
  if (signed === undefined) throw new Error('a SNAP provider signs service calls');
  const answer = await axios.post(`${server.url}${SERVICE_PATH}`, signed.body, {
    headers: signed.headers,
    transformRequest: [(data: unknown) => data],
    validateStatus: () => true,
  });
  return { headers: signed.headers, status: answer.status, body: answer.data as unknown };
}

describe('asymmetric service calls, with and without the B2B token', () => {
  it('DANA by default: RSA over METHOD:path:bodyHash:timestamp, and the signer adds no Authorization', async () => {
    const server = await emulated('dana');
    const sent = await signedAlone(server, 'dana');
    expect(sent.status).toBe(200);
    expect(sent.headers.Authorization).toBeUndefined();
    expect(sent.headers['X-SIGNATURE']).toMatch(/^[A-Za-z0-9+/]{342}==$/);
  });

  it('tokenWithAsymmetric: the token goes too, and an emulator that wants it accepts the call', async () => {
    const server = await emulated('dana', { tokenWithAsymmetric: true });
    const sent = await signedAlone(server, 'dana', { tokenWithAsymmetric: true });
    expect(sent.status).toBe(200);
    expect(sent.headers.Authorization).toMatch(/^Bearer \S+$/);
  });

  it('an emulator that wants the token refuses a call without it', async () => {
    const server = await emulated('dana', { tokenWithAsymmetric: true });
    const sent = await signedAlone(server, 'dana');
    expect([sent.status, sent.body]).toEqual([
      400,
      { responseCode: '4000002', responseMessage: 'Invalid Mandatory Field AUTHORIZATION' },
    ]);
  });

  it('through the interceptor an asymmetric call without a token is accepted, and no token is fetched or sent', async () => {
    const server = await emulated('dana');
    const { api, provider } = client(server, 'dana');
    expect(provider.serviceCallsNeedToken).toBe(false);
    expect((await api.post(SERVICE_PATH, BODY)).status).toBe(200);
    expect(server.requests.map((request) => request.path)).toEqual([SERVICE_PATH]);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('with tokenWithAsymmetric the interceptor fetches the B2B token and sends it beside the RSA signature', async () => {
    const server = await emulated('dana', { tokenWithAsymmetric: true });
    const { api, provider } = client(server, 'dana', { tokenWithAsymmetric: true });
    expect(provider.serviceCallsNeedToken).toBeUndefined();
    expect((await api.post(SERVICE_PATH, BODY)).status).toBe(200);
    expect(server.requests.map((request) => request.path)).toEqual(['/v1.0/access-token/b2b.htm', SERVICE_PATH]);
    expect(server.requests[1]?.headers.authorization).toMatch(/^Bearer \S+$/);
  });

  it('any profile can sign asymmetrically: serviceSignature overrides the profile', async () => {
    const server = await emulated('bri', { serviceSignature: 'asymmetric' });
    const { api } = client(server, 'bri', { serviceSignature: 'asymmetric', clientSecret: undefined });
    expect((await api.post(SERVICE_PATH, BODY)).status).toBe(200);
  });
});

describe('the minify rule', () => {
  it("'strip-all' hashes the body without any whitespace: an emulator of the same rule accepts it", async () => {
    const server = await emulated('aspi', { signing: { minify: 'strip-all' } });
    const { api } = client(server, 'aspi', { signing: { minify: 'strip-all' } });
    expect((await api.post(SERVICE_PATH, BODY)).status).toBe(200);
  });

  it("'strip-all' and 'compact' disagree on a body with spaces inside its strings: refused", async () => {
    const server = await emulated('aspi');
    const { api } = client(server, 'aspi', { signing: { minify: 'strip-all' } });
    expect((await refusal(api.post(SERVICE_PATH, BODY))).body).toMatchObject({
      responseMessage: 'Unauthorized. Invalid Signature',
    });
  });

  it('a body without whitespace in its strings hashes the same either way', async () => {
    const server = await emulated('aspi');
    const { api } = client(server, 'aspi', { signing: { minify: 'strip-all' } });
    expect((await api.post(SERVICE_PATH, { partnerReferenceNo: 'INV-1' })).status).toBe(200);
  });
});

describe("the standard's optional headers (ORIGIN, X-DEVICE-ID, X-IP-ADDRESS, X-LATITUDE, X-LONGITUDE)", () => {
  const CONFIG_HEADERS = { ORIGIN: 'www.merchant.example', 'X-DEVICE-ID': 'android-20013adf6cdd8123f' };

  it('the config sets them on every signed call', async () => {
    const server = await emulated('midtrans');
    const { api } = client(server, 'midtrans', { headers: CONFIG_HEADERS });
    await api.post(SERVICE_PATH, BODY);
    const call = server.requests.find((request) => request.path === SERVICE_PATH);
    expect(call?.headers).toMatchObject({ origin: 'www.merchant.example', 'x-device-id': 'android-20013adf6cdd8123f' });
  });

  it('a call sets its own: they win over the config', () => {
    const provider = createSnapProvider({
      provider: 'snap',
      profile: 'midtrans',
      baseUrl: 'https://snap.example.test',
      clientId: CLIENT_ID,
      privateKey: keys.privateKeyPem,
      clientSecret: CLIENT_SECRET,
      channelId: CHANNEL_ID,
      headers: CONFIG_HEADERS,
    });
    const call: SnapServiceRequest = {
      method: 'POST',
      url: SERVICE_PATH,
      body: BODY,
      accessToken: 'token-1',
      headers: { 'X-DEVICE-ID': 'ios-72635bdfd223', 'X-LATITUDE': '-6.108841', 'X-LONGITUDE': '106.778213' },
    };
    const signed = provider.signRequest?.(call);
    expect(signed?.headers).toMatchObject({
      ORIGIN: 'www.merchant.example',
      'X-DEVICE-ID': 'ios-72635bdfd223',
      'X-LATITUDE': '-6.108841',
      'X-LONGITUDE': '106.778213',
    });
  });

  it('a call header that is not one of them, or that could not travel, is REQUEST_REJECTED before anything is sent', () => {
    const provider = createSnapProvider({
      provider: 'snap',
      baseUrl: 'https://snap.example.test',
      clientId: CLIENT_ID,
      privateKey: keys.privateKeyPem,
      clientSecret: CLIENT_SECRET,
      channelId: CHANNEL_ID,
    });
    for (const headers of [{ 'X-SIGNATURE': 'forged' }, { 'X-DEVICE-ID': 'line\r\nX-Injected: 1' }]) {
      let caught: unknown;
      try {
        const call = { method: 'POST', url: SERVICE_PATH, body: BODY, accessToken: 'token-1', headers };
        provider.signRequest?.(call);
      } catch (error) {
        caught = error;
      }
      expect(isAuthError(caught) && caught.code).toBe('REQUEST_REJECTED');
    }
  });

  it("a call's own headers go through the interceptor's request options (kunci.headers), over the config's", async () => {
    for (const profile of ['midtrans', 'dana'] as const) {
      const server = await emulated(profile);
      const { api } = client(server, profile, { headers: CONFIG_HEADERS });
      const perCall = { 'X-DEVICE-ID': 'ios-72635bdfd223', 'X-IP-ADDRESS': '2001:db8::1', 'X-LATITUDE': '-6.108841' };
      expect((await api.post(SERVICE_PATH, BODY, { kunci: { headers: perCall } })).status).toBe(200);
      const call = server.requests.find((request) => request.path === SERVICE_PATH);
      expect(call?.headers).toMatchObject({
        origin: 'www.merchant.example',
        'x-device-id': 'ios-72635bdfd223',
        'x-ip-address': '2001:db8::1',
        'x-latitude': '-6.108841',
      });
    }
  });

  it('the emulator refuses an end-user header longer than the standard allows', async () => {
    const server = await emulated('aspi');
    const { api } = client(server, 'aspi');
    const refused = await refusal(api.post(SERVICE_PATH, BODY, { headers: { 'X-LATITUDE': '-6.10884100001' } }));
    expect(refused.body).toEqual({ responseCode: '4000001', responseMessage: 'Invalid Field Format X-LATITUDE' });
  });
});
