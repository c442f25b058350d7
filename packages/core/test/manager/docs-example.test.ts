import axios, { AxiosHeaders } from 'axios';
import type { InternalAxiosRequestConfig } from 'axios';
import { attachTokenManager, TokenManager } from '../../src/manager';
import { FakeProvider } from './fake-provider';

// docs/token-manager.md, with a fake provider in place of createTokenProvider and an adapter in
// place of the network: the calls and what they return are the ones the guide shows.
describe('docs example for the TokenManager (docs/token-manager.md)', () => {
  it('runs as written', async () => {
    const snap = new FakeProvider();
    const bindingId = 'binding-123';
    const lines: string[] = [];
    const pino = () => {
      const log = (_obj: Record<string, unknown>, msg: string) => void lines.push(msg);
      return { debug: log, info: log, warn: log, error: log };
    };
    const metrics = {
      counts: [] as unknown[],
      increment: (name: string, tags: unknown) => void metrics.counts.push({ name, tags }),
    };

    const tokens = new TokenManager(snap, { refreshBeforeSeconds: 60, logger: pino() });
    const b2b = await tokens.getToken();
    const alice = await tokens.getToken({ authCode: bindingId });
    await tokens.invalidate({ authCode: bindingId });
    tokens.on('error', ({ error, stale }) => metrics.increment('kunci.error', { code: error.code, stale }));

    const sent: InternalAxiosRequestConfig[] = [];
    const api = axios.create({
      baseURL: 'https://api.pivot-payment.com',
      adapter: (config) => {
        sent.push(config);
        return Promise.resolve({ data: {}, status: 200, statusText: 'OK', headers: new AxiosHeaders(), config });
      },
    });
    const detach = attachTokenManager(api, tokens);
    await api.get('/wallet-backend/snap/v1.0/balance', { kunci: { authCode: bindingId } });

    expect(b2b.accessToken).not.toBe(alice.accessToken);
    expect(sent[0]?.headers.get('Authorization')).toBe(`Bearer ${b2b.accessToken}`);
    expect(sent[0]?.headers.get('Authorization-Customer')).toMatch(/^Bearer SECRETACCESS/);
    expect(sent[0]?.headers.get('Authorization-Customer')).not.toBe(`Bearer ${alice.accessToken}`);
    expect(snap.calls.map((call) => call.request)).toEqual([{}, { authCode: bindingId }, { authCode: bindingId }]);
    expect(lines).toContain('kunci: token fetched');
    expect(metrics.counts).toEqual([]);
    detach();
    await tokens.close();
  });
});
