import { generateKeyPairSync } from 'node:crypto';
import { TokenManager } from '@kunci/core';
import { startLoopbackServer } from '@kunci/core/emulator';
import { createPivotSnapProvider } from '@kunci/pivot-snap';
import { createPivotSnapEmulator } from '@kunci/pivot-snap/emulator';
import { alternate } from './lib/stats.mjs';

const CALLERS = 10_000;
const CLIENT_ID = 'bench-snap-client';

/**
 * 10,000 callers at once on a cold manager over the real pivot-snap provider (RSA-signed request,
 * axios, normalizer) against its emulator on a loopback server: how many requests reach the
 * server, and how long the last caller waits. The baseline is one bare provider.fetchToken() over
 * the same server: what a single caller without a manager would wait.
 */
export async function benchColdSingleFlight({ samples }) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const emulator = createPivotSnapEmulator({ clients: [{ clientId: CLIENT_ID, publicKey }] });
  const server = await startLoopbackServer((request) => emulator.handle(request));
  try {
    const provider = createPivotSnapProvider({
      provider: 'pivot-snap',
      baseUrl: server.url,
      clientId: CLIENT_ID,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const upstream = [];

    async function managerRun() {
      const manager = new TokenManager(provider);
      const before = server.requests.length;
      const started = performance.now();
      const tokens = await Promise.all(Array.from({ length: CALLERS }, () => manager.getToken()));
      const ms = performance.now() - started;
      upstream.push(server.requests.length - before);
      if (tokens.some((token) => token !== tokens[0])) throw new Error('the callers did not all get the one token');
      await manager.close();
      return ms;
    }
    async function baselineRun() {
      const started = performance.now();
      await provider.fetchToken();
      return performance.now() - started;
    }

    // The first request pays for the connection, the signing key's first use and the JIT.
    for (let i = 0; i < 3; i++) {
      await managerRun();
      await baselineRun();
    }
    upstream.length = 0;
    const result = await alternate(samples, managerRun, baselineRun);
    return { ...result, callers: CALLERS, upstream };
  } finally {
    await server.close();
  }
}
