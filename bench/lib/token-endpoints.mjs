import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createKlikooEmulator } from '@kunci/klikoo/emulator';
import { createPivotLegacyEmulator } from '@kunci/pivot-legacy/emulator';
import { createPivotSnapEmulator } from '@kunci/pivot-snap/emulator';
import { createSnapEmulator } from '@kunci/snap/emulator';
import { startHttpServer } from './http-server.mjs';

/** Throwaway credentials for all three providers, one RSA-2048 pair for the signed ones. */
export function benchCredentials() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    publicKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    snapClientId: 'bench-snap-client',
    authCode: randomUUID(),
    merchantId: 'bench-merchant',
    merchantSecret: 'bench-merchant-secret-0123456789',
    klikooClientId: randomUUID(),
    klikooClientSecret: 'k'.repeat(16) + '0123456789abcdef',
  };
}

/**
 * The three providers' emulators behind one loopback server (their token paths do not collide).
 * `replay()` switches it to answering each path with the last answer its emulator gave, checked
 * by nothing: then the time a client spends is its own, not the emulator's RSA verification.
 */
export async function startTokenEndpoints(credentials) {
  const emulators = [
    createPivotSnapEmulator({
      clients: [{ clientId: credentials.snapClientId, publicKey: credentials.publicKey }],
      customers: [{ authCode: credentials.authCode }],
    }),
    // SNAP's DANA profile: its token paths (…/b2b.htm) collide with no other provider's.
    createSnapEmulator({
      profile: 'dana',
      clients: [{ clientId: credentials.snapClientId, publicKey: credentials.publicKey }],
    }),
    createPivotLegacyEmulator({
      merchants: [{ merchantId: credentials.merchantId, merchantSecret: credentials.merchantSecret }],
    }),
    createKlikooEmulator({
      clients: [
        {
          clientId: credentials.klikooClientId,
          clientSecret: credentials.klikooClientSecret,
          publicKey: credentials.publicKey,
        },
      ],
    }),
  ];
  const recorded = new Map();
  let replaying = false;
  let requests = 0;
  const server = await startHttpServer((req, body, res) => {
    requests++;
    const path = (req.url ?? '/').split('?')[0];
    let answer = replaying ? recorded.get(path) : undefined;
    if (answer === undefined) {
      const emulator = emulators.find((e) => e.tokenPaths.has(path));
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
      );
      answer = emulator?.handle({ method: req.method, path, url: req.url, headers, body }) ?? { status: 404, body: '' };
      // node adds a current Date header to every answer; the recorded one would go stale.
      const rest = { ...answer.headers };
      delete rest.date;
      if (answer.status === 200) recorded.set(path, { ...answer, headers: rest });
    }
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body);
  });
  return {
    url: server.origin,
    get requests() {
      return requests;
    },
    replay() {
      replaying = true;
    },
    close: server.close,
  };
}
