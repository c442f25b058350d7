import { inspect } from 'node:util';
import { checkTokenRequest } from '../src/token-request';
import { HttpTokenProvider, type HttpProviderSpec } from '../src/http-provider';
import { startLoopbackServer } from '../src/loopback-server';
import { catchSync, expectAuthError, expectNoSecrets } from '../test-kit';

const SECRET = 'merchant-secret-0123456789';

function spec(): HttpProviderSpec<'f'> {
  return {
    provider: 'demo',
    clientId: 'client-1',
    supportsCustomerTokens: false,
    secrets: [SECRET],
    tokenPaths: ['/token'],
    prepare: (_request, now) => ({
      flow: 'f',
      path: '/token',
      headers: { 'X-Secret': SECRET, 'X-Now': String(now) },
      body: {},
    }),
    readCode: (body) =>
      typeof body.code === 'string'
        ? { code: body.code, ...(typeof body.message === 'string' ? { message: body.message } : {}) }
        : undefined,
    isSuccess: () => false,
    mapCode: () => 'CREDENTIALS_REJECTED',
    readToken: () => {
      throw new Error('unreachable');
    },
  };
}

describe('checkTokenRequest', () => {
  it('accepts nothing, and a customer grant where the provider has one', () => {
    expect(checkTokenRequest('p', undefined, false)).toEqual({});
    expect(checkTokenRequest('p', { authCode: 'b-1', refreshToken: 'r-1' }, true)).toEqual({
      authCode: 'b-1',
      refreshToken: 'r-1',
    });
  });
  it.each([
    ['a string', 'abc', true, 'the request must be an object'],
    ['an empty authCode', { authCode: '' }, true, 'authCode must be a non-empty string'],
    ['an authCode with spaces', { authCode: 'a b' }, true, 'authCode must be at most'],
    ['a refresh token alone', { refreshToken: 'r' }, true, 'a refreshToken needs the authCode'],
    ['a customer grant to a B2B-only provider', { authCode: 'x' }, false, 'has no customer (B2B2C) tokens'],
  ])('refuses %s with REQUEST_REJECTED', (_title, request, customers, message) => {
    const error = catchSync(() => checkTokenRequest('p', request, customers));
    expect(error.code).toBe('REQUEST_REJECTED');
    expect(error.message).toContain(message);
  });
});

describe('HttpTokenProvider', () => {
  it('scrubs a secret the provider echoes back, from message, providerMessage and cause', async () => {
    const server = await startLoopbackServer((req) => ({
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code: 'bad',
        message: `secret ${req.headers['x-secret'] ?? ''} is wrong`,
        detail: { echoed: req.headers['x-secret'] },
      }),
    }));
    try {
      const provider = new HttpTokenProvider(spec(), {
        baseUrl: server.url,
        timeoutMs: 2000,
        maxResponseBytes: 4096,
        clock: Date.now,
      });
      const error = await expectAuthError(provider.fetchToken(), 'CREDENTIALS_REJECTED');
      expect(error.providerMessage).toBe('secret [redacted] is wrong');
      expectNoSecrets(error, [SECRET]);
    } finally {
      await server.close();
    }
  });

  it("signs with the clock plus the caller's offset, and reports each answer", async () => {
    const server = await startLoopbackServer(() => ({
      status: 500,
      headers: { date: 'Sun, 22 Nov 2026 03:00:00 GMT' },
      body: '',
    }));
    try {
      const provider = new HttpTokenProvider(spec(), {
        baseUrl: `${server.url}/`,
        timeoutMs: 2000,
        maxResponseBytes: 4096,
        clock: () => 1_000,
      });
      const seen: unknown[] = [];
      await expectAuthError(
        provider.fetchToken(undefined, { clockOffsetMs: 500, onResponse: (info) => seen.push(info) }),
        'PROVIDER_UNAVAILABLE',
      );
      expect(server.requests[0]?.headers['x-now']).toBe('1500');
      expect(server.requests[0]?.path).toBe('/token');
      expect(seen).toEqual([
        { status: 500, receivedAt: new Date(1_000), serverDate: new Date('2026-11-22T03:00:00Z') },
      ]);
    } finally {
      await server.close();
    }
  });

  it('prints as provider, client id and base URL only', () => {
    const provider = new HttpTokenProvider(spec(), {
      baseUrl: 'https://api.example.com',
      timeoutMs: 1,
      maxResponseBytes: 1,
      clock: Date.now,
    });
    expect(JSON.parse(JSON.stringify(provider))).toEqual({
      provider: 'demo',
      clientId: 'client-1',
      baseUrl: 'https://api.example.com',
    });
    expect(inspect(provider, { showHidden: true, depth: 8 })).not.toContain(SECRET);
  });

  it('turns a bug in a provider spec into an AuthError without leaking it', async () => {
    const broken = {
      ...spec(),
      prepare: () => {
        throw new TypeError(`boom ${SECRET}`);
      },
    };
    const provider = new HttpTokenProvider(broken, {
      baseUrl: 'https://api.example.com',
      timeoutMs: 1,
      maxResponseBytes: 1,
      clock: Date.now,
    });
    const error = await expectAuthError(provider.fetchToken(), 'RESPONSE_INVALID');
    expect(error.message).toContain('TypeError');
    expectNoSecrets(error, [SECRET]);
  });

  it("scrubs the caller's refresh token from a wrapped bug too", async () => {
    const REFRESH = 'rt-caller-0123456789abcdef';
    const broken = {
      ...spec(),
      supportsCustomerTokens: true,
      prepare: (request: { refreshToken?: string }) => {
        throw new TypeError(`boom ${request.refreshToken ?? ''}`);
      },
    };
    const provider = new HttpTokenProvider(broken, {
      baseUrl: 'https://api.example.com',
      timeoutMs: 1,
      maxResponseBytes: 1,
      clock: Date.now,
    });
    const error = await expectAuthError(
      provider.fetchToken({ authCode: 'b-1', refreshToken: REFRESH }),
      'RESPONSE_INVALID',
    );
    expectNoSecrets(error, [REFRESH]);
  });
});
