import { createKlikooProvider } from '@kunci/klikoo';
import { createPivotLegacyProvider } from '@kunci/pivot-legacy';
import { createPivotSnapProvider } from '@kunci/pivot-snap';
import { createSnapProvider } from '@kunci/snap';
import { axiosClient, HAND_REQUESTS, rawClient } from './lib/hand-clients.mjs';
import { rotate } from './lib/stats.mjs';
import { benchCredentials, startTokenEndpoints } from './lib/token-endpoints.mjs';

const WARM_UP_ROUNDS = 3;

/** Sequential fetches a sample: the RSA-signed flows cost about a millisecond each, legacy far less. */
const FETCHES = { 'pivot-snap B2B': 60, 'pivot-snap B2B2C': 60, 'snap B2B': 60, 'pivot-legacy': 300, klikoo: 60 };

/** Whatever the body's shape, the access token in it. */
const accessTokenOf = (body) => body?.accessToken ?? body?.data?.accessToken ?? body?.data?.access_token;

/**
 * One token request per flow, sent by kunci's `provider.fetchToken()`, by a bare axios POST and
 * by node's http client, all signed the same way with a KeyObject parsed once. First each client's
 * request goes to the provider's emulator, which must accept it; then the server replays the
 * emulator's answer, and the timed runs measure the clients: µs per fetch, one after the other.
 */
export async function benchColdFetch({ samples }) {
  const c = benchCredentials();
  const server = await startTokenEndpoints(c);
  try {
    const kunci = {
      'pivot-snap B2B': (p) => () => p.fetchToken(),
      'pivot-snap B2B2C': (p) => () => p.fetchToken({ authCode: c.authCode }),
    };
    const snap = createPivotSnapProvider({
      provider: 'pivot-snap',
      baseUrl: server.url,
      clientId: c.snapClientId,
      privateKey: c.privateKeyPem,
    });
    // provider 'snap' with DANA's profile: the same implementation as pivot-snap, another profile's settings.
    const snapDana = createSnapProvider({
      provider: 'snap',
      profile: 'dana',
      baseUrl: server.url,
      clientId: c.snapClientId,
      privateKey: c.privateKeyPem,
    });
    const legacy = createPivotLegacyProvider({
      provider: 'pivot-legacy',
      baseUrl: server.url,
      merchantId: c.merchantId,
      merchantSecret: c.merchantSecret,
    });
    const klikoo = createKlikooProvider({
      provider: 'klikoo',
      baseUrl: server.url,
      clientId: c.klikooClientId,
      clientSecret: c.klikooClientSecret,
      privateKey: c.privateKeyPem,
    });
    const hand = {
      'pivot-snap B2B': HAND_REQUESTS['pivot-snap B2B']({ clientId: c.snapClientId, privateKey: c.privateKey }),
      'pivot-snap B2B2C': HAND_REQUESTS['pivot-snap B2B2C']({
        clientId: c.snapClientId,
        privateKey: c.privateKey,
        authCode: c.authCode,
      }),
      'snap B2B': HAND_REQUESTS['snap B2B']({ clientId: c.snapClientId, privateKey: c.privateKey }),
      'pivot-legacy': HAND_REQUESTS['pivot-legacy']({ merchantId: c.merchantId, merchantSecret: c.merchantSecret }),
      klikoo: HAND_REQUESTS.klikoo({
        clientId: c.klikooClientId,
        clientSecret: c.klikooClientSecret,
        privateKey: c.privateKey,
      }),
    };
    const flows = {
      'pivot-snap B2B': kunci['pivot-snap B2B'](snap),
      'pivot-snap B2B2C': kunci['pivot-snap B2B2C'](snap),
      'snap B2B': () => snapDana.fetchToken(),
      'pivot-legacy': () => legacy.fetchToken(),
      klikoo: () => klikoo.fetchToken(),
    };
    const clients = Object.fromEntries(
      Object.keys(flows).map((flow) => [
        flow,
        {
          kunci: async () => (await flows[flow]()).accessToken,
          axios: async () => accessTokenOf(await axiosClient(server.url, hand[flow])()),
          raw: async () => accessTokenOf(await rawClient(server.url, hand[flow])()),
        },
      ]),
    );
    // Each client's request, checked by the emulator: a rejected one would throw (kunci) or come
    // back without a token.
    for (const [flow, byClient] of Object.entries(clients)) {
      for (const [name, fetch] of Object.entries(byClient)) {
        const token = await fetch().catch((error) => {
          throw new Error(`${name} ${flow}: the emulator refused the request: ${error.message}`);
        });
        if (typeof token !== 'string' || token.length < 20)
          throw new Error(`${name} ${flow}: the emulator answered without a token`);
      }
    }
    server.replay();
    const results = {};
    for (const [flow, byClient] of Object.entries(clients)) {
      const n = FETCHES[flow];
      const runs = Object.fromEntries(
        Object.entries(byClient).map(([name, fetch]) => [
          name,
          async () => {
            const started = performance.now();
            for (let i = 0; i < n; i++) await fetch();
            return ((performance.now() - started) * 1000) / n;
          },
        ]),
      );
      for (let i = 0; i < WARM_UP_ROUNDS; i++) for (const run of Object.values(runs)) await run();
      results[flow] = { fetches: n, ...(await rotate(samples, runs, 'axios')) };
    }
    return { samples, results };
  } finally {
    await server.close();
  }
}
