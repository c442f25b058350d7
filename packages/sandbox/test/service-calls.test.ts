import { expect } from '@jest/globals';
import axios, { type AxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { expectNoSecrets } from '#test-kit';
import {
  attachTokenManager,
  createTokenProvider,
  TokenManager,
  type AttachTokenManagerOptions,
  type ProviderConfig,
} from '@kunci/sdk';
import type { SandboxRequest } from '../src';
import { useSandbox } from './helpers';

// Signed API calls (not token calls) through the axios interceptor against the sandbox: what
// they get back and the verdict each leaves in sandbox.requests.

const sandbox = useSandbox();

const managers: TokenManager[] = [];
afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.close();
});

const SNAP_PATH = '/wallet-backend/snap/v1.0/balance-inquiry';
const KLIKOO_PATH = '/v1/open-api/account/inquiry';

/**
 * An axios client of the sandbox's API for one provider. `tamper` changes each request after it
 * was signed (axios runs request interceptors last-registered first).
 */
function client(
  name: 'pivot-snap' | 'klikoo',
  change: Record<string, unknown> = {},
  options: AttachTokenManagerOptions = {},
  tamper?: (config: InternalAxiosRequestConfig) => void,
): AxiosInstance {
  const config = { ...sandbox().config().providers[name], ...change } as ProviderConfig;
  const tokens = new TokenManager(createTokenProvider(config));
  managers.push(tokens);
  const api = axios.create({ baseURL: sandbox().config().providers[name].baseUrl });
  if (tamper !== undefined) {
    api.interceptors.request.use((request) => {
      tamper(request);
      return request;
    });
  }
  attachTokenManager(api, tokens, options);
  return api;
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

const last = (): SandboxRequest | undefined => sandbox().requests[sandbox().requests.length - 1];

describe('sandbox.config() signs API calls', () => {
  it('holds a Pivot SNAP client secret and channel id', () => {
    const snap = sandbox().config().providers['pivot-snap'];
    expect(snap.clientSecret).toMatch(/^[\w-]{32}$/);
    expect(snap.channelId).toMatch(/^\d{5}$/);
  });

  it('pivot-snap: a signed balance inquiry gets the success body; token and call are both in the log', async () => {
    const api = client('pivot-snap');
    const answer = await api.post(SNAP_PATH, { partnerReferenceNo: 'INV-1', additionalInfo: { note: 'saldo  ✓' } });
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ responseCode: '2000000', responseMessage: 'Successful' });
    expect(
      sandbox()
        .requests.slice(-2)
        .map((r) => [r.provider, r.call, r.flow, r.method, r.path, r.status, r.verdict]),
    ).toEqual([
      ['pivot-snap', 'token', 'b2b', 'POST', '/pivot-snap/open-api/v1/access-token/b2b', 200, 'accepted'],
      ['pivot-snap', 'service', undefined, 'POST', `/pivot-snap${SNAP_PATH}`, 200, 'accepted'],
    ]);
  });

  it('pivot-snap: a GET with a query and a customer call are accepted too', async () => {
    const api = client('pivot-snap');
    await expect(api.get('/wallet-backend/snap/v1.0/history', { params: { page: 2 } })).resolves.toMatchObject({
      status: 200,
    });
    await expect(
      api.post(SNAP_PATH, { partnerReferenceNo: 'INV-2' }, { kunci: { authCode: 'BND-service-0001' } }),
    ).resolves.toMatchObject({ status: 200 });
    expect(last()).toMatchObject({ call: 'service', verdict: 'accepted' });
  });

  it('klikoo: a signed account inquiry gets the success body', async () => {
    const api = client('klikoo');
    const answer = await api.post(KLIKOO_PATH, { account_number: '081234567890' });
    expect(answer.data).toEqual({ response_code: '200002000', response_message: 'Sukses', data: null });
    expect(last()).toMatchObject({
      provider: 'klikoo',
      call: 'service',
      path: `/klikoo${KLIKOO_PATH}`,
      status: 200,
      accepted: true,
      verdict: 'accepted',
    });
  });
});

describe("refused API calls, with the provider's code and a verdict", () => {
  const SIGNATURE = {
    'pivot-snap': [
      SNAP_PATH,
      401,
      '4010000',
      /^X-SIGNATURE does not verify with the client secret over POST \/pivot-snap\/wallet-backend/,
    ],
    klikoo: [
      KLIKOO_PATH,
      400,
      '400006508',
      /^Open-Api-Signature does not verify with the client secret over POST \/klikoo\/v1/,
    ],
  } as const;

  it('pivot-snap: signed with another client secret', async () => {
    const [path, status, code, verdict] = SIGNATURE['pivot-snap'];
    const wrongSecret = `wrong-${Math.random().toString(36).slice(2)}-${'x'.repeat(24)}`.slice(0, 32);
    const answer = await refusal(client('pivot-snap', { clientSecret: wrongSecret }).post(path, { n: 1 }));
    expect(answer).toEqual({
      status,
      body: { responseCode: code, responseMessage: 'Unauthorized. Invalid Signature' },
    });
    expect(last()).toMatchObject({
      provider: 'pivot-snap',
      call: 'service',
      accepted: false,
      verdict: expect.stringMatching(verdict),
    });
    expectNoSecrets(sandbox().requests, [wrongSecret, sandbox().config().providers['pivot-snap'].clientSecret]);
  });

  it.each(['pivot-snap', 'klikoo'] as const)('%s: a body changed after it was signed', async (name) => {
    const [path, status, code, verdict] = SIGNATURE[name];
    const api = client(name, {}, {}, (config) => {
      config.data = JSON.stringify({ n: 2 });
    });
    const answer = await refusal(api.post(path, { n: 1 }));
    expect(answer.status).toBe(status);
    expect(JSON.stringify(answer.body)).toContain(code);
    expect(last()).toMatchObject({
      provider: name,
      call: 'service',
      accepted: false,
      verdict: expect.stringMatching(verdict),
    });
    expectNoSecrets(sandbox().requests, [sandbox().config().providers[name].clientSecret]);
  });

  it('pivot-snap: a reused X-EXTERNAL-ID is a 409', async () => {
    const api = client('pivot-snap', {}, { externalId: () => '202611221015300001' });
    await api.post(SNAP_PATH, { partnerReferenceNo: 'INV-3' });
    const answer = await refusal(api.post(SNAP_PATH, { partnerReferenceNo: 'INV-4' }));
    expect(answer).toEqual({ status: 409, body: { responseCode: '4090000', responseMessage: 'Conflict' } });
    expect(last()?.verdict).toBe('X-EXTERNAL-ID 202611221015300001 was already used today (reused external id)');
  });

  it.each([
    ['pivot-snap', SNAP_PATH, 401, '4010001', 'the B2B token (Authorization) is not one issued by the sandbox'],
    ['klikoo', KLIKOO_PATH, 401, '401006500', 'the token (Authorization) is not one issued by the sandbox'],
  ] as const)('%s: a token the sandbox never issued', async (name, path, status, code, verdict) => {
    const api = axios.create({ baseURL: sandbox().config().providers[name].baseUrl });
    // Every header a signed call carries, none of them right.
    const headers = {
      authorization: 'Bearer not-a-token-it-issued',
      'x-timestamp': '2026-11-22T10:15:30+07:00',
      'x-signature': 'c2lnbmF0dXJl',
      'x-partner-id': 'partner',
      'x-external-id': '1',
      'channel-id': '95221',
    };
    const answer = await refusal(api.post(path, {}, { headers }));
    expect(answer.status).toBe(status);
    expect(JSON.stringify(answer.body)).toContain(code);
    expect(last()).toMatchObject({ call: 'service', verdict });
  });

  it('pivot-snap: a missing header is named', async () => {
    const api = client('pivot-snap', {}, {}, (config) => {
      config.headers.delete('CHANNEL-ID');
    });
    const answer = await refusal(api.post(SNAP_PATH, {}));
    expect(answer).toEqual({
      status: 400,
      body: { responseCode: '4000002', responseMessage: 'Invalid Mandatory Field CHANNEL-ID' },
    });
    expect(last()?.verdict).toBe('the CHANNEL-ID header is missing');
  });

  it('count() tells token requests from API calls', async () => {
    const api = client('klikoo');
    await api.post(KLIKOO_PATH, {});
    await api.post(KLIKOO_PATH, {});
    expect(sandbox().count({ provider: 'klikoo', call: 'token' })).toBe(1);
    expect(sandbox().count({ provider: 'klikoo', call: 'service' })).toBe(2);
    expect(sandbox().count({ provider: 'klikoo' })).toBe(3);
  });
});
