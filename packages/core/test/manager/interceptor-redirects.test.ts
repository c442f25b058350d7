import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import nock from 'nock';
import { attachTokenManager, TokenManager } from '../../src/manager';
import { useStrictNock } from '../../test-kit';
import { FakeProvider, makeToken } from './fake-provider';

// A real API on loopback that redirects, and real axios (follow-redirects) following it: which of
// kunci's headers arrive where the redirect leads.

interface Api {
  url: string;
  /** What each path received, by path. */
  seen: Map<string, IncomingHttpHeaders>;
  close(): Promise<void>;
}

async function startApi(host: string, redirects: Record<string, () => string> = {}): Promise<Api> {
  const seen = new Map<string, IncomingHttpHeaders>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.set(path, req.headers);
    const to = redirects[path];
    if (to !== undefined) res.writeHead(302, { location: to() }).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

useStrictNock();

describe('the interceptor on a redirected request', () => {
  let api: Api;
  let otherPort: Api;
  let otherHost: Api;
  const access = makeToken({ value: 'ACCESS-redirect-0123456789abcdef' });
  const customer = makeToken({ value: 'CUSTOMER-redirect-0123456789abcdef' });
  const manager = new TokenManager(new FakeProvider().script(access, customer));

  beforeAll(async () => {
    nock.enableNetConnect(/^(127\.0\.0\.[12]|localhost):\d+$/);
    otherPort = await startApi('127.0.0.1');
    otherHost = await startApi('127.0.0.2');
    api = await startApi('127.0.0.1', {
      '/same-origin': () => '/landing',
      '/other-port': () => `${otherPort.url}/landing`,
      '/other-host': () => `${otherHost.url}/landing`,
      '/other-host-name': () => `${api.url.replace('127.0.0.1', 'localhost')}/by-name`,
    });
  });

  afterAll(async () => {
    await manager.close();
    await Promise.all([api.close(), otherPort.close(), otherHost.close()]);
  });

  async function follow(path: string): Promise<void> {
    const instance = axios.create({ baseURL: api.url });
    attachTokenManager(instance, manager);
    const response = await instance.get(path, { kunci: { authCode: 'customer-redirect-1' } });
    expect(response.status).toBe(200);
    const first = api.seen.get(path);
    expect([first?.authorization, first?.['authorization-customer']]).toEqual([
      `Bearer ${access.accessToken}`,
      `Bearer ${customer.accessToken}`,
    ]);
  }

  it('keeps both headers on a redirect within the origin (same scheme, host and port)', async () => {
    await follow('/same-origin');
    const landing = api.seen.get('/landing');
    expect([landing?.authorization, landing?.['authorization-customer']]).toEqual([
      `Bearer ${access.accessToken}`,
      `Bearer ${customer.accessToken}`,
    ]);
  });

  it.each([
    ['another port', '/other-port', () => otherPort.seen.get('/landing')],
    ['another host (127.0.0.2)', '/other-host', () => otherHost.seen.get('/landing')],
    ['another host name for the same address (localhost)', '/other-host-name', () => api.seen.get('/by-name')],
  ])('sends no kunci header to %s', async (_title, path, landing) => {
    await follow(path);
    const headers = landing();
    expect(headers).toBeDefined();
    expect([headers?.authorization, headers?.['authorization-customer']]).toEqual([undefined, undefined]);
    expect(JSON.stringify(headers)).not.toContain('redirect-0123456789abcdef');
  });

  it("still runs the request's own beforeRedirect", async () => {
    const instance = axios.create({ baseURL: api.url });
    attachTokenManager(instance, manager);
    const seen: string[] = [];
    await instance.get('/other-port', {
      kunci: { authCode: 'customer-redirect-1' },
      beforeRedirect: (options) => seen.push(String(options.href)),
    });
    expect(seen).toEqual([`${otherPort.url}/landing`]);
    expect(otherPort.seen.get('/landing')?.['authorization-customer']).toBeUndefined();
  });
});
