import { expect } from '@jest/globals';
import axios, { AxiosError, AxiosHeaders } from 'axios';
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { attachTokenManager, TokenManager } from '../../src/manager';
import { tokenRejection } from '../../src/manager/token-rejection';
import type { AttachTokenManagerOptions } from '../../src/manager';
import type { TokenProvider } from '../../src/provider';
import { deferred } from '../../test-kit/deferred';
import { FakeProvider, makeToken } from './fake-provider';

interface Sent {
  url: string | undefined;
  authorization: unknown;
  customer: unknown;
}

type Answer = { status: number; data?: unknown; headers?: Record<string, string>; after?: Promise<void> };

/** An axios instance whose adapter records each request and answers from a script (then 200). */
function client(manager: TokenManager, answers: Answer[], options?: AttachTokenManagerOptions) {
  const sent: Sent[] = [];
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    sent.push({
      url: config.url,
      authorization: config.headers.get('Authorization'),
      customer: config.headers.get('Authorization-Customer'),
    });
    const answer = answers.shift() ?? { status: 200, data: { ok: true } };
    await answer.after;
    const response: AxiosResponse = {
      data: answer.data ?? {},
      status: answer.status,
      statusText: String(answer.status),
      headers: new AxiosHeaders(answer.headers ?? {}),
      config,
      request: {},
    };
    if (answer.status >= 400) {
      throw new AxiosError(
        `Request failed with status code ${answer.status}`,
        AxiosError.ERR_BAD_REQUEST,
        config,
        {},
        response,
      );
    }
    return response;
  };
  const instance = axios.create({ baseURL: 'https://api.example.test', adapter });
  const detach = attachTokenManager(instance, manager, options);
  return { instance, sent, detach };
}

function setup(answers: Answer[] = [], options?: AttachTokenManagerOptions) {
  let n = 0;
  const provider = new FakeProvider('client-1', true, (call) =>
    makeToken({ value: `${call.request?.authCode === undefined ? 'B2B' : 'CUSTOMER'}TOKEN-${++n}-secretsecret` }),
  );
  const manager = new TokenManager(provider);
  return { provider, manager, ...client(manager, answers, options) };
}

const snap401 = (code: string): Answer => ({
  status: 401,
  data: { responseCode: code, responseMessage: 'Unauthorized' },
});

describe('attachTokenManager', () => {
  it('puts the bearer token on every request', async () => {
    const { instance, sent, provider } = setup();
    await instance.get('/v1/balance');
    await instance.post('/v1/transfer', { amount: 1 });
    expect(sent.map((s) => s.authorization)).toEqual([
      'Bearer B2BTOKEN-1-secretsecret',
      'Bearer B2BTOKEN-1-secretsecret',
    ]);
    expect(sent.map((s) => s.customer)).toEqual([undefined, undefined]);
    expect(provider.calls).toHaveLength(1);
  });

  it('adds Authorization-Customer for a B2B2C customer', async () => {
    const { instance, sent } = setup([], {
      customer: (config) => (config.url?.startsWith('/wallet') ? 'alice' : undefined),
    });
    await instance.get('/wallet/balance');
    await instance.get('/v1/other', { kunci: { authCode: 'bob' } });
    await instance.get('/v1/merchant');
    expect(sent).toEqual([
      {
        url: '/wallet/balance',
        authorization: 'Bearer B2BTOKEN-1-secretsecret',
        customer: 'Bearer CUSTOMERTOKEN-2-secretsecret',
      },
      {
        url: '/v1/other',
        authorization: 'Bearer B2BTOKEN-1-secretsecret',
        customer: 'Bearer CUSTOMERTOKEN-3-secretsecret',
      },
      { url: '/v1/merchant', authorization: 'Bearer B2BTOKEN-1-secretsecret', customer: undefined },
    ]);
  });

  it('leaves token requests and requests marked skip alone', async () => {
    const { instance, sent, provider } = setup();
    await instance.post('/open-api/v1/access-token/b2b', {});
    await instance.post('/v1/access-token', {});
    await instance.get('/v1/own-auth', { kunci: { skip: true }, headers: { Authorization: 'Basic abc' } });
    expect(sent.map((s) => s.authorization)).toEqual([undefined, undefined, 'Basic abc']);
    expect(provider.calls).toHaveLength(0);
  });

  it('retries once with a new token after a 401 that names the token', async () => {
    const { instance, sent, provider } = setup([snap401('4015401')]);
    const response = await instance.get('/v1/balance');
    expect(response.status).toBe(200);
    expect(sent.map((s) => s.authorization)).toEqual([
      'Bearer B2BTOKEN-1-secretsecret',
      'Bearer B2BTOKEN-2-secretsecret',
    ]);
    expect(provider.calls).toHaveLength(2);
  });

  it('does not retry a 401 that is not about the token', async () => {
    const { instance, sent, provider } = setup([snap401('4015400')]);
    await expect(instance.get('/v1/balance')).rejects.toMatchObject({ response: { status: 401 } });
    expect(sent).toHaveLength(1);
    expect(provider.calls).toHaveLength(1);
  });

  it('surfaces the second 401: one retry, never a loop', async () => {
    const { instance, sent, provider } = setup([snap401('4015401'), snap401('4015401'), snap401('4015401')]);
    await expect(instance.get('/v1/balance')).rejects.toMatchObject({
      response: { status: 401, data: { responseCode: '4015401' } },
    });
    expect(sent).toHaveLength(2);
    expect(provider.calls).toHaveLength(2);
  });

  it('renews only the customer token when the 401 names it', async () => {
    const { instance, sent, provider } = setup([snap401('4015402')], { customer: () => 'alice' });
    await instance.get('/wallet/balance');
    expect(sent.map((s) => [s.authorization, s.customer])).toEqual([
      ['Bearer B2BTOKEN-1-secretsecret', 'Bearer CUSTOMERTOKEN-2-secretsecret'],
      ['Bearer B2BTOKEN-1-secretsecret', 'Bearer CUSTOMERTOKEN-3-secretsecret'],
    ]);
    expect(provider.calls.map((call) => call.request)).toEqual([{}, { authCode: 'alice' }, { authCode: 'alice' }]);
  });

  it('fetches one new token for many requests rejected together, however late a rejection comes', async () => {
    const late = deferred<void>();
    const { instance, sent, provider } = setup([
      snap401('4015401'),
      snap401('4015401'),
      { ...snap401('4015401'), after: late.promise },
    ]);
    const early = Promise.all([instance.get('/a'), instance.get('/b')]);
    const slow = instance.get('/c');
    await early;
    late.resolve();
    await slow;
    // /c was rejected with the first token after the second one had arrived: it keeps the second.
    expect(sent.map((s) => s.authorization)).toEqual([
      ...Array<string>(3).fill('Bearer B2BTOKEN-1-secretsecret'),
      ...Array<string>(3).fill('Bearer B2BTOKEN-2-secretsecret'),
    ]);
    expect(provider.calls).toHaveLength(2);
  });

  it('takes a custom predicate, and detaches', async () => {
    const { instance, sent, detach } = setup([{ status: 401 }], {
      isTokenRejected: (error) => error.response?.status === 401,
    });
    await instance.get('/v1/balance');
    expect(sent).toHaveLength(2);
    detach();
    await instance.get('/v1/balance');
    expect(sent[2]?.authorization).toBeUndefined();
  });
});

describe('tokenRejection', () => {
  const error = (status: number, data: unknown, headers: Record<string, string> = {}) =>
    new AxiosError(
      'x',
      'ERR_BAD_REQUEST',
      undefined,
      {},
      {
        status,
        data,
        headers: new AxiosHeaders(headers),
        statusText: '',
        config: { headers: new AxiosHeaders() },
      },
    );
  const withCodes = new FakeProvider();
  const withoutCodes: TokenProvider = {
    provider: 'pivot-legacy',
    clientId: 'm-1',
    supportsCustomerTokens: false,
    fetchToken: () => Promise.reject(new Error('unused')),
  };

  it.each([
    [401, { responseCode: '4017301' }, {}, 'access'],
    [401, { responseCode: '4015402' }, {}, 'customer'],
    [401, JSON.stringify({ responseCode: '4015403' }), {}, 'access'],
    [401, { responseCode: '4017300', responseMessage: 'Unauthorized. Invalid Signature' }, {}, false],
    [401, { code: 'token_expired' }, {}, 'access'],
    [401, '', { 'WWW-Authenticate': 'Bearer error="invalid_token"' }, true],
    [403, { responseCode: '4035401' }, {}, false],
    [500, { responseCode: '4015401' }, {}, false],
  ])('a provider with codes of its own: status %s, body %j, headers %j: %s', (status, data, headers, expected) => {
    expect(tokenRejection(withCodes, error(status, data, headers))).toBe(expected);
  });

  it.each([
    [401, JSON.stringify({ code: 'token_expired' }), {}, 'access'],
    [401, { error: 'invalid_token' }, {}, 'access'],
    [401, '', { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="expired"' }, true],
    [401, { responseCode: '4015401' }, {}, false],
    [401, { response_code: '401016500' }, {}, false],
    [401, '<html>401</html>', {}, false],
    [500, { error: 'invalid_token' }, {}, false],
  ])('a provider without: status %s, body %j, headers %j: %s', (status, data, headers, expected) => {
    expect(tokenRejection(withoutCodes, error(status, data, headers))).toBe(expected);
  });

  it('sends no token to the token paths the provider declares, and every token to a provider that declares none', async () => {
    const provider = new FakeProvider();
    const manager = new TokenManager(Object.assign(provider, { tokenPaths: ['/auth/token'] }));
    const { instance, sent } = client(manager, []);
    await instance.post('/auth/token', {});
    await instance.post('https://api.example.test/prefix/auth/token?x=1', {});
    await instance.post('/v1/access-token', {});
    expect(sent.map((s) => s.authorization)).toEqual([
      undefined,
      undefined,
      expect.stringMatching(/^Bearer SECRETACCESS/),
    ]);
    expect(provider.calls).toHaveLength(1);
  });
});
