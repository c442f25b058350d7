import axios from 'axios';
import { parseRetryAfter, postJson } from '../src/transport';
import { startLoopbackServer, type LoopbackServer } from '../src/loopback-server';
import { expectAuthError } from '../test-kit';

const base = {
  provider: 'test',
  headers: { 'Content-Type': 'application/json' },
  body: { a: 1 },
  timeoutMs: 2_000,
  maxResponseBytes: 1024,
  clock: Date.now,
};

describe('postJson over a loopback server', () => {
  let server: LoopbackServer;
  afterEach(async () => server.close());

  it('sends JSON and returns status, lower-case headers, text, parsed JSON, Date and Retry-After', async () => {
    server = await startLoopbackServer(() => ({
      status: 429,
      headers: { 'content-type': 'application/json', 'Retry-After': '3', Date: 'Sun, 22 Nov 2026 03:00:00 GMT' },
      body: '{"x":1}',
    }));
    const raw = await postJson({ ...base, url: `${server.url}/token` });
    expect(raw).toMatchObject({ status: 429, text: '{"x":1}', json: { x: 1 }, retryAfterMs: 3000 });
    expect(raw.serverDate?.toISOString()).toBe('2026-11-22T03:00:00.000Z');
    expect(raw.headers['content-type']).toBe('application/json');
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/token', body: '{"a":1}' });
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('keeps non-JSON bodies as text only', async () => {
    server = await startLoopbackServer(() => ({ status: 502, body: '<html>bad gateway</html>' }));
    const raw = await postJson({ ...base, url: server.url });
    expect(raw).toMatchObject({ status: 502, text: '<html>bad gateway</html>', json: undefined });
  });

  it('does not follow redirects', async () => {
    server = await startLoopbackServer((req) =>
      req.path === '/token'
        ? { status: 307, headers: { location: '/elsewhere' }, body: '' }
        : { status: 200, body: '{"stolen":true}' },
    );
    const raw = await postJson({ ...base, url: `${server.url}/token` });
    expect(raw.status).toBe(307);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a body over maxResponseBytes', async () => {
    server = await startLoopbackServer(() => ({ status: 200, body: JSON.stringify({ pad: 'x'.repeat(5000) }) }));
    await expectAuthError(postJson({ ...base, url: server.url }), 'RESPONSE_INVALID');
  });

  it('times out the whole exchange even when the server trickles bytes', async () => {
    const { createServer } = await import('node:http');
    const trickle = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => trickle.listen(0, '127.0.0.1', resolve));
    const { port } = trickle.address() as { port: number };
    server = {
      url: '',
      port,
      requests: [],
      close: () =>
        new Promise((resolve) => {
          trickle.closeAllConnections();
          trickle.close(() => resolve());
        }),
    };
    const started = Date.now();
    const error = await expectAuthError(
      postJson({ ...base, url: `http://127.0.0.1:${port}`, timeoutMs: 150, maxResponseBytes: 1_000_000 }),
      'TIMEOUT',
    );
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error.message).toContain('150 ms');
  });

  it('uses an injected axios instance', async () => {
    server = await startLoopbackServer(() => ({ status: 200, body: '{}' }));
    const client = axios.create({ headers: { 'X-Custom': 'yes' } });
    await postJson({ ...base, url: server.url, httpClient: client });
    expect(server.requests[0]?.headers['x-custom']).toBe('yes');
  });

  it('an already aborted signal → TIMEOUT naming the caller', async () => {
    server = await startLoopbackServer(() => ({ status: 200, body: '{}' }));
    const error = await expectAuthError(postJson({ ...base, url: server.url, signal: AbortSignal.abort() }), 'TIMEOUT');
    expect(error.message).toContain('abandoned by the caller');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 03:00:10 GMT', Date.parse('2026-11-22T03:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 02:00:00 GMT', Date.parse('2026-11-22T03:00:00Z'))).toBe(0);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });

  const now = Date.parse('2026-11-22T03:00:00Z');
  it.each<[string, number | undefined]>([
    ['0', 0],
    ['1', 1_000],
    [' 7 ', 7_000],
    ['86400', 86_400_000],
    ['999999', 86_400_000],
    ['Sun, 22 Nov 2026 03:00:05 GMT', 5_000],
    ['Sunday, 22-Nov-26 03:00:05 GMT', 5_000],
    ['Sun Nov 22 03:00:05 2026', 5_000],
    ['-1', undefined],
    ['-0', undefined],
    ['+5', undefined],
    ['1.5', undefined],
    ['1e3', undefined],
    ['0x10', undefined],
    ['', undefined],
    ['   ', undefined],
    ['2026', 2_026_000],
    ['2026-11-22T03:00:05Z', undefined],
    ['22 Nov 2026 03:00:05 GMT', undefined],
    ['Sun, 22 Nov 2026 03:00:05 +0700', undefined],
    ['Sun, 31 Feb 2026 03:00:05 GMT', undefined],
    ['NaN', undefined],
    ['Infinity', undefined],
    ['12345678901', undefined],
    ['5, 6', undefined],
  ])('Retry-After %j → %p ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
