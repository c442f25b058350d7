import { testKeyPair } from '#test-kit';
import { createTokenProvider, createTokenProviders, TokenManager } from '../src';
import { FakeProvider } from '../../core/test/manager/fake-provider';

// A project with `exactOptionalPropertyTypes` may pass `undefined` for an option only where the
// type says `| undefined`. kunci's inputs say so everywhere (exact-optional/*.ts, compiled with that
// option by npm run typecheck: tsconfig.doc-blocks.json), and treat undefined as absent (here).

describe('exactOptionalPropertyTypes', () => {
  describe('at run time, undefined is absence', () => {
    const { privateKeyPem } = testKeyPair();
    it.each([
      [
        'pivot-snap',
        {
          provider: 'pivot-snap',
          clientId: 'client',
          privateKey: privateKeyPem,
          privateKeyPassphrase: undefined,
          paths: { b2b: undefined },
          timestamp: { offset: undefined },
        },
      ],
      [
        'pivot-legacy',
        { provider: 'pivot-legacy', merchantId: 'merchant', merchantSecret: 'secret-value-123', path: undefined },
      ],
      [
        'klikoo',
        {
          provider: 'klikoo',
          clientId: '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02',
          clientSecret: 'k'.repeat(32),
          privateKey: privateKeyPem,
          privateKeyPassphrase: undefined,
          path: undefined,
          timestamp: undefined,
        },
      ],
    ])('%s: every optional option given as undefined is accepted', (provider, config) => {
      const common = {
        baseUrl: 'https://api.example.com',
        timeoutMs: undefined,
        maxResponseBytes: undefined,
        allowInsecureHttp: undefined,
        httpClient: undefined,
        clock: undefined,
      };
      expect(createTokenProvider({ ...common, ...config } as never).provider).toBe(provider);
      expect(Object.keys(createTokenProviders({ providers: { only: { ...common, ...config } as never } }))).toEqual([
        'only',
      ]);
    });

    it('TokenManager options and getToken requests given as undefined take the defaults', async () => {
      const provider = new FakeProvider();
      const manager = new TokenManager(provider, {
        retry: { attempts: undefined, baseDelayMs: undefined, maxDelayMs: undefined },
        refreshBackoff: { baseDelayMs: undefined },
        lock: { waitMs: undefined },
        refreshBeforeSeconds: undefined,
        logger: undefined,
        clock: undefined,
      });
      await manager.getToken({ authCode: undefined, refreshToken: undefined, signal: undefined });
      await manager.getToken({ authCode: 'customer-1', refreshToken: undefined });
      expect(provider.calls.map((call) => call.request)).toEqual([{}, { authCode: 'customer-1' }]);
      await manager.close();
    });
  });
});
