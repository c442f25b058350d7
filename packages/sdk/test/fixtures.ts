import nock from 'nock';
import { createKlikooEmulator } from '@kunci/klikoo/emulator';
import { createPivotLegacyEmulator } from '@kunci/pivot-legacy/emulator';
import { createPivotSnapEmulator } from '@kunci/pivot-snap/emulator';
import { jsonResponse, startLoopbackServer, type LoopbackServer, type ProviderEmulator } from '@kunci/core/emulator';
import { testKeyPair } from '#test-kit';
import type { KlikooConfigInput, PivotLegacyConfigInput, PivotSnapConfigInput } from '../src';

export const SNAP_CLIENT_ID = 'kunci-umbrella-snap-client';
export const MERCHANT_ID = 'kunci-umbrella-merchant';
export const MERCHANT_SECRET = 'ms_umbrella_9c1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f';
export const KLIKOO_CLIENT_ID = '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02';
export const KLIKOO_CLIENT_SECRET = 'ks_umbrella_0123456789abcdefghij';
export const AUTH_CODE = 'binding-umbrella-0001';

/** Every string that no error, log line or printed object may contain. */
export function secrets(): string[] {
  return [MERCHANT_SECRET, KLIKOO_CLIENT_SECRET, testKeyPair().fingerprint];
}

export function snapConfig(baseUrl: string): PivotSnapConfigInput {
  return { provider: 'pivot-snap', baseUrl, clientId: SNAP_CLIENT_ID, privateKey: testKeyPair().privateKeyPem };
}

export function legacyConfig(baseUrl: string): PivotLegacyConfigInput {
  return { provider: 'pivot-legacy', baseUrl, merchantId: MERCHANT_ID, merchantSecret: MERCHANT_SECRET };
}

export function klikooConfig(baseUrl: string): KlikooConfigInput {
  return {
    provider: 'klikoo',
    baseUrl,
    clientId: KLIKOO_CLIENT_ID,
    clientSecret: KLIKOO_CLIENT_SECRET,
    privateKey: testKeyPair().privateKeyPem,
  };
}

/** The three providers' emulators, accepting the credentials above. */
export function emulators(): ProviderEmulator[] {
  const { publicKey } = testKeyPair();
  return [
    createPivotSnapEmulator({
      clients: [{ clientId: SNAP_CLIENT_ID, publicKey }],
      customers: [{ authCode: AUTH_CODE }],
    }),
    createPivotLegacyEmulator({ merchants: [{ merchantId: MERCHANT_ID, merchantSecret: MERCHANT_SECRET }] }),
    createKlikooEmulator({ clients: [{ clientId: KLIKOO_CLIENT_ID, clientSecret: KLIKOO_CLIENT_SECRET, publicKey }] }),
  ];
}

/** One loopback server playing all three providers (their token paths differ), as the sandbox does. */
export function startEmulatorServer(): Promise<LoopbackServer> {
  const all = emulators();
  return startLoopbackServer((request) => {
    const emulator = all.find((candidate) => candidate.tokenPaths.has(request.path));
    return emulator !== undefined
      ? emulator.handle(request)
      : jsonResponse(404, { message: 'no emulator serves this path' });
  });
}

/**
 * Starts the emulator server for the enclosing describe block and lets only it through strict nock.
 * Returns a getter, as the server exists only once beforeAll ran.
 */
export function useEmulatorServer(): () => LoopbackServer {
  let server: LoopbackServer | undefined;
  beforeAll(async () => {
    server = await startEmulatorServer();
    nock.enableNetConnect(server.url.replace('http://', ''));
  });
  afterAll(() => server?.close());
  return () => {
    if (server === undefined) throw new Error('the emulator server starts in beforeAll');
    return server;
  };
}
