import { randomBytes } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import axios from 'axios';
import { BaseProviderConfig, validateConfig } from '../src/config';
import { HttpTokenProvider, type HttpProviderSpec, type HttpSettings } from '../src/http-provider';
import { startLoopbackServer, type LoopbackServer } from '../src/loopback-server';
import { httpSettings } from '../src/provider-config';
import { createAccessToken } from '../src/token';
import { isAuthError, type AuthError } from '../src/errors';
// Not the test kit's index: it loads nock, whose interceptors stand in front of node's http and
// cannot pass a CONNECT tunnel through.
import { expectNoSecrets } from '../test-kit/secrets';

function catchSync(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (error) {
    if (isAuthError(error)) return error;
    throw error;
  }
  throw new Error('expected an AuthError');
}

interface Proxy {
  url: string;
  /** `METHOD target` of every request and CONNECT it received, with its Proxy-Authorization. */
  seen: Array<{ line: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/**
 * A forward proxy on loopback: a request in absolute form is passed on to its target; a CONNECT
 * is recorded and refused (the test has no certificate to finish a TLS tunnel with).
 */
async function startProxy(): Promise<Proxy> {
  const seen: Proxy['seen'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    seen.push({ line: `${req.method} ${req.url}`, authorization: req.headers['proxy-authorization'] });
    const target = new URL(req.url ?? '');
    const forward = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req, socket: Socket) => {
    seen.push({ line: `CONNECT ${req.url}`, authorization: req.headers['proxy-authorization'] });
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const random = (): string => randomBytes(12).toString('hex');

function spec(): HttpProviderSpec<'b2b'> {
  return {
    provider: 'demo',
    clientId: 'client-1',
    supportsCustomerTokens: false,
    secrets: [],
    tokenPaths: ['/token'],
    prepare: () => ({ flow: 'b2b', path: '/token', headers: {}, body: {} }),
    readCode: (body) => (typeof body.code === 'string' ? { code: body.code } : undefined),
    isSuccess: (code) => code === 'ok',
    mapCode: () => 'CREDENTIALS_REJECTED',
    readToken: (body) =>
      createAccessToken({
        accessToken: String(body.token),
        tokenType: 'Bearer',
        expiresIn: 900,
        expiresAt: new Date(Date.now() + 900_000),
        issuedAt: new Date(),
        provider: 'demo',
        responseCode: 'ok',
        responseMessage: 'ok',
      }),
  };
}

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

describe('token requests through a proxy', () => {
  let target: LoopbackServer;
  let proxy: Proxy;
  let saved: Record<string, string | undefined>;
  const settings = (more: Partial<HttpSettings> = {}): HttpSettings => ({
    baseUrl: target.url,
    timeoutMs: 5000,
    maxResponseBytes: 4096,
    clock: Date.now,
    ...more,
  });

  beforeEach(async () => {
    saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
    for (const name of PROXY_VARIABLES) delete process.env[name];
    target = await startLoopbackServer(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'ok', token: 'tok-through' }),
    }));
    proxy = await startProxy();
  });
  afterEach(async () => {
    for (const name of PROXY_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await Promise.all([target.close(), proxy.close()]);
  });

  it('HTTP_PROXY from the environment', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const token = await new HttpTokenProvider(spec(), settings()).fetchToken();
    expect(token.accessToken).toBe('tok-through');
    expect(proxy.seen).toEqual([{ line: `POST ${target.url}/token`, authorization: undefined }]);
    expect(target.requests).toHaveLength(1);
  });

  it('NO_PROXY keeps a host off the proxy', async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = '127.0.0.1';
    await new HttpTokenProvider(spec(), settings()).fetchToken();
    expect(proxy.seen).toEqual([]);
    expect(target.requests).toHaveLength(1);
  });

  it('an https target through HTTPS_PROXY is tunnelled: the proxy sees CONNECT, never the request', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    const provider = new HttpTokenProvider(spec(), settings({ baseUrl: `https://127.0.0.1:${target.port}` }));
    await expect(provider.fetchToken()).rejects.toMatchObject({ name: 'AuthError' });
    expect(proxy.seen).toEqual([{ line: `CONNECT 127.0.0.1:${target.port}`, authorization: undefined }]);
    expect(target.requests).toHaveLength(0);
  });

  it('the config’s proxy, with credentials, over the environment’s; its password in no error', async () => {
    const password = random();
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    const config = validateConfig(
      BaseProviderConfig,
      { provider: 'demo', baseUrl: target.url, proxy: `${proxy.url.replace('//', `//egress:${password}@`)}` },
      'demo',
    );
    const provider = new HttpTokenProvider(spec(), httpSettings(config));
    expect((await provider.fetchToken()).accessToken).toBe('tok-through');
    expect(proxy.seen).toEqual([
      {
        line: `POST ${target.url}/token`,
        authorization: `Basic ${Buffer.from(`egress:${password}`).toString('base64')}`,
      },
    ]);
    // The same proxy, gone: the error names the target, not the proxy's credentials.
    await proxy.close();
    const error = await provider.fetchToken().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NETWORK' });
    expectNoSecrets(error, [password]);
  });

  it('proxy: false ignores the environment', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const config = validateConfig(BaseProviderConfig, { provider: 'demo', baseUrl: target.url, proxy: false }, 'demo');
    await new HttpTokenProvider(spec(), httpSettings(config)).fetchToken();
    expect(proxy.seen).toEqual([]);
    expect(target.requests).toHaveLength(1);
  });

  it('a custom agent on the httpClient carries the request', async () => {
    const connections: string[] = [];
    class CountingAgent extends Agent {
      override createConnection(...args: Parameters<Agent['createConnection']>): ReturnType<Agent['createConnection']> {
        connections.push(`${String(args[0].host)}:${String(args[0].port)}`);
        return super.createConnection(...args);
      }
    }
    const agent = new CountingAgent();
    try {
      const httpClient = axios.create({ httpAgent: agent, proxy: false });
      await new HttpTokenProvider(spec(), settings({ httpClient })).fetchToken();
      expect(connections).toEqual([`127.0.0.1:${target.port}`]);
    } finally {
      agent.destroy();
    }
  });

  it.each([
    ['a path', 'http://proxy.internal:3128/x', 'without a path'],
    ['another scheme', 'socks5://proxy.internal:1080', 'http:// or https://'],
    ['no URL', 'proxy.internal', 'not a valid URL'],
    ['a number', 3128, 'must be a URL'],
  ])('refuses a proxy with %s, never quoting it', (_title, proxySetting, problem) => {
    const password = random();
    const value = typeof proxySetting === 'string' ? proxySetting.replace('//', `//u:${password}@`) : proxySetting;
    const error = catchSync(() =>
      validateConfig(
        BaseProviderConfig,
        { provider: 'demo', baseUrl: 'https://api.example.com', proxy: value },
        'demo',
      ),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(problem);
    expectNoSecrets(error, [password]);
  });
});
