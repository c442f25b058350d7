import { TokenManager } from '@kunci/core';
import { createPivotSnapProvider } from '@kunci/pivot-snap';
import { startOAuthServer } from './lib/oauth-server.mjs';
import { PEER_CLIENT, PEERS, UNCACHED_PEER } from './lib/peers.mjs';
import { alternate, median } from './lib/stats.mjs';
import { benchCredentials, startTokenEndpoints } from './lib/token-endpoints.mjs';

const CALLERS = 10_000;
/**
 * A library without a shared request opens one connection per caller: 10,000 at once would
 * exhaust the file descriptors of client and server in one process, so it gets 1,000.
 */
const UNCACHED_CALLERS = 1_000;

/** `callers` concurrent first calls on a new client: requests that reached the server, wall ms. */
async function stampede(server, create, callers, accessToken) {
  const client = create();
  const before = server.requests;
  const started = performance.now();
  const tokens = await Promise.all(Array.from({ length: callers }, () => client.get()));
  const ms = performance.now() - started;
  const distinct = new Set(tokens.map(accessToken ?? client.accessToken)).size;
  await client.close?.();
  return { ms, upstream: server.requests - before, distinct };
}

function summary(runs, callers) {
  return {
    callers,
    ms: median(runs.map((r) => r.ms)),
    upstream: Math.max(...runs.map((r) => r.upstream)),
    distinct: Math.max(...runs.map((r) => r.distinct)),
    samples: runs.length,
  };
}

/**
 * 10,000 callers at once on a cold client. kunci: a new TokenManager over the real pivot-snap
 * provider (RSA-signed request, axios, normalizer) against its emulator, beside one bare
 * `provider.fetchToken()` over the same server (what one caller without a manager waits). Each
 * peer: a new client of the library against the loopback OAuth token endpoint.
 */
export async function benchStampede({ samples }) {
  const c = benchCredentials();
  const endpoints = await startTokenEndpoints(c);
  const oauth = await startOAuthServer(PEER_CLIENT);
  try {
    const provider = createPivotSnapProvider({
      provider: 'pivot-snap',
      baseUrl: endpoints.url,
      clientId: c.snapClientId,
      privateKey: c.privateKeyPem,
    });
    const createManager = () => {
      const manager = new TokenManager(provider);
      return { get: () => manager.getToken(), accessToken: (token) => token.accessToken, close: () => manager.close() };
    };
    const kunciRuns = [];
    const managerRun = async () => {
      const run = await stampede(endpoints, createManager, CALLERS);
      kunciRuns.push(run);
      return run.ms;
    };
    const baselineRun = async () => {
      const started = performance.now();
      await provider.fetchToken();
      return performance.now() - started;
    };
    // The first request pays for the connection, the signing key's first use and the JIT.
    for (let i = 0; i < 3; i++) {
      await managerRun();
      await baselineRun();
    }
    kunciRuns.length = 0;
    const kunci = await alternate(samples, managerRun, baselineRun);
    const peers = {};
    for (const peer of [...PEERS, UNCACHED_PEER]) {
      const callers = peer === UNCACHED_PEER ? UNCACHED_CALLERS : CALLERS;
      const create = () => peer.create(oauth.url);
      const uncached = peer === UNCACHED_PEER;
      // A thousand requests a sample take seconds: fewer samples, and no warm-up beyond the first.
      if (!uncached) await stampede(oauth, create, callers);
      const runs = [];
      for (let i = 0; i < (uncached ? Math.min(samples, 3) : samples); i++)
        runs.push(await stampede(oauth, create, callers));
      peers[peer.name] = summary(runs, callers);
    }
    return { kunci: { ...summary(kunciRuns, CALLERS), baselineMs: kunci.baseline, ratio: kunci.ratio }, peers };
  } finally {
    await endpoints.close();
    await oauth.close();
  }
}
