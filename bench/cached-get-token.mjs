import { TokenManager } from '@kunci/core';
import { startOAuthServer } from './lib/oauth-server.mjs';
import { PEER_CLIENT, PEERS } from './lib/peers.mjs';
import { awaitedLoop, rotate } from './lib/stats.mjs';
import { fakeProvider } from './lib/tokens.mjs';

const CALLS = 200_000;
const WARM_UP_ROUNDS = 5;

/**
 * The floor of a cached read: an awaited async function that keeps what the manager must keep (the
 * token under the same key, its expiry as a number) and does one Map.get and one expiry check.
 */
export function cachedReadFloor(provider, token) {
  const key = `${provider.provider}:${provider.clientId}`;
  const cache = new Map([[key, { token, expiresAt: token.expiresAt.getTime() }]]);
  return async function lookup() {
    const entry = cache.get(key);
    if (entry !== undefined && Date.now() < entry.expiresAt) return entry.token;
    throw new Error('the baseline token expired during the run');
  };
}

/**
 * A cache hit, `await tokens.getToken()`, against the floor for that work (an awaited async
 * function that does one Map.get and one expiry check) and against the cached path of each peer,
 * whose first call fetched a token from a loopback token endpoint. Every loop checks that it was
 * all cache hits: the last call returned the first token, and no request was made.
 */
export async function benchCachedGetToken({ samples }) {
  const provider = fakeProvider();
  const manager = new TokenManager(provider);
  const token = await manager.getToken();
  const lookup = cachedReadFloor(provider, token);

  const server = await startOAuthServer(PEER_CLIENT);
  try {
    const subjects = {
      kunci: { get: () => manager.getToken(), first: token, same: (a, b) => a === b },
      baseline: { get: lookup, first: token, same: (a, b) => a === b },
    };
    for (const peer of PEERS) {
      const client = peer.create(server.url);
      const first = await client.get();
      subjects[peer.name] = { get: client.get, first, same: (a, b) => client.accessToken(a) === client.accessToken(b) };
    }
    const requests = server.requests;
    const runs = {};
    for (const [name, subject] of Object.entries(subjects)) {
      const loop = awaitedLoop(subject.get, CALLS);
      runs[name] = async () => {
        const { ns, last } = await loop();
        if (!subject.same(last, subject.first))
          throw new Error(`${name} served another token: the run was not all cache hits`);
        return ns;
      };
    }
    for (let i = 0; i < WARM_UP_ROUNDS; i++) for (const run of Object.values(runs)) await run();
    const result = await rotate(samples, runs, 'baseline');
    if (provider.calls !== 1) throw new Error(`expected one provider call, saw ${provider.calls}`);
    if (server.requests !== requests) throw new Error('a peer made a token request during the cached runs');
    await manager.close();
    return {
      calls: CALLS,
      samples,
      results: result,
      paths: Object.fromEntries(PEERS.map((peer) => [peer.name, peer.cachedPath])),
    };
  } finally {
    await server.close();
  }
}
