import { startLoopbackServer, type LoopbackServer } from '@kunci/core/emulator';
import { startSandbox } from '@kunci/sandbox';
import { TokenManager } from '@kunci/core';
import { testKeyPair } from '#test-kit';
import { createKlikooEmulator } from '../src/emulator';
import { createKlikooProvider } from '../src';

// The README's and docs/providers/klikoo.md's examples, run against the emulator on loopback.
describe('README examples', () => {
  let server: LoopbackServer;
  const env = {
    KLIKOO_BASE_URL: '',
    KLIKOO_CLIENT_SECRET: '9ec999e21a3be41064c52bb3f37554a2',
    KLIKOO_PRIVATE_KEY: testKeyPair().privateKeyPem,
  };
  beforeAll(async () => {
    const emulator = createKlikooEmulator({
      clients: [
        {
          clientId: '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02',
          clientSecret: env.KLIKOO_CLIENT_SECRET,
          publicKey: testKeyPair().publicKeyPem,
        },
      ],
    });
    server = await startLoopbackServer((request) => emulator.handle(request));
    env.KLIKOO_BASE_URL = server.url;
    Object.assign(process.env, env);
  });
  afterAll(async () => {
    for (const name of Object.keys(env)) delete process.env[name];
    await server.close();
  });

  it('README example for createKlikooProvider and TokenManager', async () => {
    const klikoo = createKlikooProvider({
      baseUrl: process.env.KLIKOO_BASE_URL,
      clientId: '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02',
      clientSecret: 'env:KLIKOO_CLIENT_SECRET',
      privateKey: 'env:KLIKOO_PRIVATE_KEY',
    });

    const token = await klikoo.fetchToken(); // one HTTP call, no cache
    const headers = { Authorization: `Bearer ${token.accessToken}` };

    const tokens = new TokenManager(klikoo, { refreshBeforeSeconds: 60 });
    const cached = await tokens.getToken(); // cached until it is due for refresh
    await tokens.close();

    expect(headers.Authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(token).toMatchObject({
      provider: 'klikoo',
      tokenType: 'Bearer',
      expiresIn: 900,
      responseCode: '200012000',
      responseMessage: 'Sukses',
    });
    expect(cached.accessToken).not.toBe(token.accessToken);
    expect(server.requests).toHaveLength(2);
  });

  it('README example for testing with the emulator', async () => {
    const { publicKeyPem, privateKeyPem } = testKeyPair();
    const client = {
      clientId: '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02',
      clientSecret: '9ec999e21a3be41064c52bb3f37554a2',
    };
    const sandbox = await startSandbox({ clients: [{ provider: 'klikoo', ...client, publicKey: publicKeyPem }] });
    try {
      const provider = createKlikooProvider({
        baseUrl: sandbox.baseUrl('klikoo'),
        ...client,
        privateKey: privateKeyPem,
      });
      expect((await provider.fetchToken()).expiresIn).toBe(900);
    } finally {
      await sandbox.close();
    }
  });
});
