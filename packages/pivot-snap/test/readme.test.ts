import { expect } from '@jest/globals';
import { startLoopbackServer, type LoopbackServer } from '@kunci/core/emulator';
import { TokenManager } from '@kunci/core';
import { startSandbox } from '@kunci/sandbox';
import { testKeyPair } from '#test-kit';
import { createPivotSnapEmulator } from '../src/emulator';
import { createPivotSnapProvider } from '../src';

// The README's and docs/providers/pivot-snap.md's examples, run against the emulator on loopback.
describe('README examples', () => {
  let server: LoopbackServer;
  const env = { PIVOT_BASE_URL: '', PIVOT_CLIENT_ID: 'my-client-id', PIVOT_PRIVATE_KEY: testKeyPair().privateKeyPem };
  const bindingId = 'binding-123';
  beforeAll(async () => {
    const emulator = createPivotSnapEmulator({
      clients: [{ clientId: env.PIVOT_CLIENT_ID, publicKey: testKeyPair().publicKeyPem }],
      customers: [{ authCode: bindingId }],
    });
    server = await startLoopbackServer((request) => emulator.handle(request));
    env.PIVOT_BASE_URL = server.url;
    Object.assign(process.env, env);
  });
  afterAll(async () => {
    for (const name of Object.keys(env)) delete process.env[name];
    await server.close();
  });

  it('README example for B2B and B2B2C tokens with the TokenManager', async () => {
    const snap = createPivotSnapProvider({
      baseUrl: process.env.PIVOT_BASE_URL, // https://api-stg.pivot-payment.com, https://api.pivot-payment.com
      clientId: process.env.PIVOT_CLIENT_ID,
      privateKey: 'env:PIVOT_PRIVATE_KEY', // PEM (PKCS#8 or PKCS#1) or a Base64 body; or file:./pivot.pem
    });

    const b2b = await snap.fetchToken(); // B2B: one HTTP call, no cache
    const customer = await snap.fetchToken({ authCode: bindingId }); // B2B2C: the binding id
    const next = await snap.fetchToken({ authCode: bindingId, refreshToken: customer.refreshToken });

    const tokens = new TokenManager(snap, { refreshBeforeSeconds: 60 });
    const t = await tokens.getToken(); // cached until due for refresh
    const c = await tokens.getToken({ authCode: bindingId }); // one token per customer
    await tokens.close();

    expect(b2b).toMatchObject({ provider: 'pivot-snap', tokenType: 'Bearer', expiresIn: 900, responseCode: '2007300' });
    expect(customer).toMatchObject({ responseCode: '2007400', refreshToken: expect.any(String) });
    expect(next.refreshToken).not.toBe(customer.refreshToken);
    expect([t.responseCode, c.responseCode]).toEqual(['2007300', '2007400']);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/open-api/v1/access-token/b2b',
      '/open-api/v1/access-token/b2b2c',
      '/open-api/v1/access-token/b2b2c',
      '/open-api/v1/access-token/b2b',
      '/open-api/v1/access-token/b2b2c',
    ]);
  });

  it('README example for testing with the emulator', async () => {
    const { publicKeyPem, privateKeyPem } = testKeyPair();
    const sandbox = await startSandbox({
      clients: [{ provider: 'pivot-snap', clientId: 'my-client-id', publicKey: publicKeyPem }],
    });
    try {
      const snap = createPivotSnapProvider({
        baseUrl: sandbox.baseUrl('pivot-snap'),
        clientId: 'my-client-id',
        privateKey: privateKeyPem,
      });
      expect((await snap.fetchToken()).expiresIn).toBe(900);
      expect((await snap.fetchToken({ authCode: 'binding-42' })).refreshToken).toBeDefined();
    } finally {
      await sandbox.close();
    }
  });
});
