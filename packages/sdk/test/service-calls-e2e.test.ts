import { randomBytes } from 'node:crypto';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import nock from 'nock';
import { createKlikooEmulator } from '@kunci/klikoo/emulator';
import { createPivotSnapEmulator } from '@kunci/pivot-snap/emulator';
import {
  startLoopbackServer,
  type EmulatedRequest,
  type LoopbackServer,
  type ProviderEmulator,
} from '@kunci/core/emulator';
import { expectNoSecrets, testKeyPair, useStrictNock } from '#test-kit';
import { attachTokenManager, createTokenProvider, isAuthError, TokenManager, type ProviderConfig } from '../src';
import {
  AUTH_CODE,
  KLIKOO_CLIENT_ID,
  klikooConfig as fixtureKlikooConfig,
  SNAP_CLIENT_ID,
  snapConfig as fixtureSnapConfig,
} from './fixtures';

// Signed API calls through axios and attachTokenManager, against the providers' emulators on a
// loopback server that verifies every signature. Secrets are random per run.

useStrictNock();
beforeAll(() => nock.enableNetConnect(/^127\.0\.0\.1:\d+$/));

const SNAP_SECRET = `snap-${randomBytes(12).toString('hex')}`;
const KLIKOO_SECRET = randomBytes(16).toString('hex');
const BALANCE = '/wallet-backend/snap/v1.0/balance-inquiry';
const INQUIRY = '/v1/open-api/account/inquiry';

/** The envelopes of the emulators' service answers. */
type SnapAnswer = { responseCode: string; responseMessage: string };
type KlikooAnswer = { response_code: string; response_message: string };

/** The emulators' clock: the real one, shifted by a test. */
let shift = 0;
const serverClock = (): number => Date.now() + shift;

/** One server per provider; under `/gw` as well, to prove the signed path is the one on the wire. */
async function serve(emulator: ProviderEmulator): Promise<LoopbackServer> {
  return startLoopbackServer((request: EmulatedRequest) =>
    emulator.handle({ ...request, path: request.path.replace(/^\/gw(?=\/)/, '') }),
  );
}

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  shift = 0;
  for (const item of opened.splice(0).reverse()) await item.close();
});

// The shared fixtures' configs, with this file's random signing secrets (its redaction checks look for them).
function snapConfig(baseUrl: string, extra: Record<string, unknown> = {}): ProviderConfig {
  return { ...fixtureSnapConfig(baseUrl), clientSecret: SNAP_SECRET, channelId: '95221', ...extra };
}

function klikooConfig(baseUrl: string, extra: Record<string, unknown> = {}): ProviderConfig {
  return { ...fixtureKlikooConfig(baseUrl), clientSecret: KLIKOO_SECRET, ...extra };
}

async function snapSetup(
  configExtra: Record<string, unknown> = {},
  prefix = '',
): Promise<{ server: LoopbackServer; api: AxiosInstance; tokens: TokenManager }> {
  const server = await serve(
    createPivotSnapEmulator({
      clients: [{ clientId: SNAP_CLIENT_ID, publicKey: testKeyPair().publicKey, clientSecret: SNAP_SECRET }],
      customers: [{ authCode: AUTH_CODE }],
      clock: serverClock,
    }),
  );
  opened.push(server);
  const tokens = new TokenManager(createTokenProvider(snapConfig(`${server.url}${prefix}`, configExtra)), {
    retry: false,
  });
  opened.push(tokens);
  const api = axios.create({ baseURL: `${server.url}${prefix}` });
  return { server, api, tokens };
}

async function klikooSetup(
  configExtra: Record<string, unknown> = {},
): Promise<{ server: LoopbackServer; api: AxiosInstance; tokens: TokenManager }> {
  const server = await serve(
    createKlikooEmulator({
      clients: [{ clientId: KLIKOO_CLIENT_ID, clientSecret: KLIKOO_SECRET, publicKey: testKeyPair().publicKey }],
      clock: serverClock,
    }),
  );
  opened.push(server);
  const tokens = new TokenManager(createTokenProvider(klikooConfig(server.url, configExtra)), { retry: false });
  opened.push(tokens);
  return { server, api: axios.create({ baseURL: server.url }), tokens };
}

const serviceRequests = (server: LoopbackServer): EmulatedRequest[] =>
  server.requests.filter((r) => !r.path.includes('/access-token'));

async function refusal(call: Promise<unknown>): Promise<AxiosError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AxiosError)) throw new Error(`expected an axios error, got ${String(error)}`);
  return error;
}

describe('Pivot SNAP service calls through the interceptor', () => {
  it('B2B calls are signed for the path on the wire: object, string and no body; baseURL with a path prefix; absolute URLs; params', async () => {
    const { server, api, tokens } = await snapSetup({}, '/gw');
    attachTokenManager(api, tokens);
    const body = { partnerReferenceNo: 'INV-1', note: 'Rp 10.000 — lunas' };
    const object = await api.post(BALANCE, body);
    expect(object.data).toEqual({ responseCode: '2000000', responseMessage: 'Successful' });
    const text = await api.post<SnapAnswer>(BALANCE, '{ "partnerReferenceNo" : "INV 2" }');
    const absolute = await api.post<SnapAnswer>(`${server.url}/gw${BALANCE}?channel=web`, { a: [1, null] });
    const get = await api.get<SnapAnswer>('/wallet-backend/snap/v1.0/history', { params: { page: 2, q: "a b's" } });
    for (const answer of [text, absolute, get]) expect(answer.data.responseCode).toBe('2000000');

    const sent = serviceRequests(server);
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /gw${BALANCE}`,
      `POST /gw${BALANCE}`,
      `POST /gw${BALANCE}?channel=web`,
      "GET /gw/wallet-backend/snap/v1.0/history?page=2&q=a+b's",
    ]);
    // The bytes that arrived are the ones signed: serialized once, minified.
    expect(sent.map((r) => r.body)).toEqual([
      JSON.stringify(body),
      '{"partnerReferenceNo":"INV 2"}',
      '{"a":[1,null]}',
      '',
    ]);
    for (const r of sent) {
      expect(r.headers['x-partner-id']).toBe(SNAP_CLIENT_ID);
      expect(r.headers['channel-id']).toBe('95221');
      expect(r.headers['x-external-id']).toMatch(/^\d+$/);
    }
    // Two calls never share an external id.
    expect(new Set(sent.map((r) => r.headers['x-external-id'])).size).toBe(sent.length);
  });

  it("a customer's call carries Authorization-Customer and is accepted", async () => {
    const { server, api, tokens } = await snapSetup();
    attachTokenManager(api, tokens);
    const answer = await api.post<SnapAnswer>(
      BALANCE,
      { partnerReferenceNo: 'INV-3' },
      { kunci: { authCode: AUTH_CODE } },
    );
    expect(answer.data.responseCode).toBe('2000000');
    const [call] = serviceRequests(server);
    expect(call?.headers['authorization-customer']).toMatch(/^Bearer \S+$/);
    expect(call?.headers['authorization-customer']).not.toBe(call?.headers.authorization);
  });

  it('a wrong client secret is refused with 4010000 Invalid Signature; nothing printed holds either secret', async () => {
    const wrong = `wrong-${randomBytes(12).toString('hex')}`;
    const { api, tokens } = await snapSetup({ clientSecret: wrong });
    attachTokenManager(api, tokens);
    const error = await refusal(api.post(BALANCE, { partnerReferenceNo: 'INV-4' }));
    expect([error.response?.status, error.response?.data]).toEqual([
      401,
      { responseCode: '4010000', responseMessage: 'Unauthorized. Invalid Signature' },
    ]);
    expectNoSecrets(error, [wrong, SNAP_SECRET]);
    expectNoSecrets(tokens, [wrong, SNAP_SECRET]);
  });

  it('a reused X-EXTERNAL-ID is refused with 4090000', async () => {
    const { api, tokens } = await snapSetup();
    attachTokenManager(api, tokens, { externalId: () => '424242' });
    expect((await api.post<SnapAnswer>(BALANCE, {})).data.responseCode).toBe('2000000');
    const error = await refusal(api.post(BALANCE, {}));
    expect(error.response?.data).toEqual({ responseCode: '4090000', responseMessage: 'Conflict' });
  });

  it('a 401 for an expired token is retried once, with a new token, timestamp, external id and signature', async () => {
    // Milliseconds in X-TIMESTAMP, so that a retry within the same second still shows a new one.
    const { server, api, tokens } = await snapSetup({ clock: serverClock, timestamp: { milliseconds: true } });
    attachTokenManager(api, tokens);
    await api.post(BALANCE, { n: 1 });
    // The provider's side moves past the token's 15 minutes; the manager still holds it as fresh.
    shift = 1_000_000;
    const answer = await api.post<SnapAnswer>(BALANCE, { n: 2 });
    expect(answer.data.responseCode).toBe('2000000');
    const [, refused, retried] = serviceRequests(server);
    expect(refused?.headers.authorization).not.toBe(retried?.headers.authorization);
    for (const header of ['x-timestamp', 'x-external-id', 'x-signature'])
      expect(refused?.headers[header]).not.toBe(retried?.headers[header]);
    expect(retried?.body).toBe(refused?.body);
    expect(server.requests.filter((r) => r.path.endsWith('/access-token/b2b'))).toHaveLength(2);
  });

  it('the clock offset the manager measured goes into X-TIMESTAMP', async () => {
    const { server, api, tokens } = await snapSetup();
    attachTokenManager(api, tokens);
    shift = 120_000;
    await api.post(BALANCE, {});
    expect(tokens.clockOffsetMs).toBeGreaterThan(110_000);
    const [call] = serviceRequests(server);
    expect(Math.abs(Date.parse(call?.headers['x-timestamp'] ?? '') - serverClock())).toBeLessThan(5_000);
  });

  it('{ sign: false } sends the bearer token only; without clientSecret a signed call fails before it is sent', async () => {
    const { server, api, tokens } = await snapSetup();
    attachTokenManager(api, tokens, { sign: false });
    const unsigned = await refusal(api.post(BALANCE, {}));
    expect(unsigned.response?.data).toEqual({
      responseCode: '4000002',
      responseMessage: 'Invalid Mandatory Field X-TIMESTAMP',
    });
    expect(serviceRequests(server)[0]?.headers.authorization).toMatch(/^Bearer /);

    const tokenOnly = new TokenManager(
      createTokenProvider({
        provider: 'pivot-snap',
        baseUrl: server.url,
        clientId: SNAP_CLIENT_ID,
        privateKey: testKeyPair().privateKeyPem,
      }),
    );
    opened.push(tokenOnly);
    const other = axios.create({ baseURL: server.url });
    attachTokenManager(other, tokenOnly);
    const before = serviceRequests(server).length;
    const error: unknown = await other.post(BALANCE, {}).catch((caught: unknown) => caught);
    expect(isAuthError(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toMatch(/clientSecret is required.*channelId is required/);
    expect(serviceRequests(server)).toHaveLength(before);
    // The token itself was fetched: a token-only config still works.
    expect((await tokenOnly.getToken()).responseCode).toBe('2007300');
  });

  it('the manager logs nothing that holds the client secret', async () => {
    const lines: string[] = [];
    const log = (...args: unknown[]): void => void lines.push(JSON.stringify(args));
    const { server } = await snapSetup();
    const wrong = `wrong-${randomBytes(12).toString('hex')}`;
    const tokens = new TokenManager(createTokenProvider(snapConfig(server.url, { clientSecret: wrong })), {
      logger: { debug: log, info: log, warn: log, error: log },
      retry: false,
    });
    opened.push(tokens);
    const api = axios.create({ baseURL: server.url });
    attachTokenManager(api, tokens);
    await refusal(api.post(BALANCE, {}));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) for (const secret of [wrong, SNAP_SECRET]) expect(line).not.toContain(secret);
  });
});

describe('Klikoo calls through the interceptor', () => {
  it('a signed call is accepted; a signature made with another secret is refused with 400006508', async () => {
    const { server, api, tokens } = await klikooSetup();
    attachTokenManager(api, tokens);
    expect((await api.post(INQUIRY, { account_number: '0812 3456' })).data).toEqual({
      response_code: '200002000',
      response_message: 'Sukses',
      data: null,
    });
    expect(
      (await api.get<KlikooAnswer>('/v1/open-api/product/list', { params: { category: 'pulsa' } })).data.response_code,
    ).toBe('200002000');

    // Registered before attachTokenManager, so it runs after it: re-signs with a secret Klikoo does not know.
    const forged = axios.create({ baseURL: server.url });
    const wrong = randomBytes(16).toString('hex');
    const impostor = createTokenProvider(klikooConfig(server.url, { clientSecret: wrong }));
    forged.interceptors.request.use((config) => {
      const token = String(config.headers.get('Authorization')).slice('Bearer '.length);
      const signed = impostor.signRequest?.({ method: 'POST', url: INQUIRY, body: config.data, accessToken: token });
      config.headers.set('Open-Api-Signature', signed?.headers['Open-Api-Signature']);
      return config;
    });
    attachTokenManager(forged, tokens);
    const error = await refusal(forged.post(INQUIRY, { account_number: '1' }));
    expect([error.response?.status, error.response?.data]).toEqual([
      400,
      { response_code: '400006508', response_message: 'Signature tidak sesuai' },
    ]);
    expectNoSecrets(error, [wrong, KLIKOO_SECRET]);
  });

  it("methodCase 'lower' is refused by an emulator that expects upper case, and accepted by one told so", async () => {
    const { api, tokens } = await klikooSetup({ signing: { methodCase: 'lower' } });
    attachTokenManager(api, tokens);
    expect((await refusal(api.post(INQUIRY, {}))).response?.data).toMatchObject({ response_code: '400006508' });
    const lower = await serve(
      createKlikooEmulator({
        clients: [{ clientId: KLIKOO_CLIENT_ID, clientSecret: KLIKOO_SECRET, publicKey: testKeyPair().publicKey }],
        signing: { methodCase: 'lower' },
      }),
    );
    opened.push(lower);
    const lowerTokens = new TokenManager(
      createTokenProvider(klikooConfig(lower.url, { signing: { methodCase: 'lower' } })),
    );
    opened.push(lowerTokens);
    const lowerApi = axios.create({ baseURL: lower.url });
    attachTokenManager(lowerApi, lowerTokens);
    expect((await lowerApi.post<KlikooAnswer>(INQUIRY, {})).data.response_code).toBe('200002000');
  });

  it('an expired token (401006535) is retried once with a new token and signature', async () => {
    const { server, api, tokens } = await klikooSetup({ clock: serverClock });
    attachTokenManager(api, tokens);
    await api.post(INQUIRY, { n: 1 });
    shift = 1_000_000;
    const answer = await api.post(INQUIRY, { n: 2 }).catch((error: AxiosError) => error.response);
    expect(answer?.data).toMatchObject({ response_code: '200002000' });
    const [, refused, retried] = serviceRequests(server);
    expect(refused?.headers['open-api-signature']).not.toBe(retried?.headers['open-api-signature']);
    expect(refused?.headers.authorization).not.toBe(retried?.headers.authorization);
    expect(server.requests.filter((r) => r.path === '/v1/open-api/access-token')).toHaveLength(2);
  });
});
