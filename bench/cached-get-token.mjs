import { TokenManager } from '@kunci/core';
import { alternate, nowNs } from './lib/stats.mjs';
import { fakeProvider } from './lib/tokens.mjs';

const CALLS = 200_000;
const WARM_UP_ROUNDS = 5;

/**
 * A cache hit, `await tokens.getToken()`, against the floor for that work: an awaited async
 * function that does one Map.get and one expiry check. Both loops are written out (not one loop
 * taking a function) so that each call site sees one target, as in an application.
 */
export async function benchCachedGetToken({ samples }) {
  const provider = fakeProvider();
  const manager = new TokenManager(provider);
  const token = await manager.getToken();
  // The floor keeps what the manager must keep: the token under the same key, its expiry as a number.
  const key = `${provider.provider}:${provider.clientId}`;
  const cache = new Map([[key, { token, expiresAt: token.expiresAt.getTime() }]]);
  async function lookup() {
    const entry = cache.get(key);
    if (entry !== undefined && Date.now() < entry.expiresAt) return entry.token;
    throw new Error('the baseline token expired during the run');
  }

  async function managerRun() {
    let last;
    const started = nowNs();
    for (let i = 0; i < CALLS; i++) last = await manager.getToken();
    const ns = (nowNs() - started) / CALLS;
    if (last !== token) throw new Error('getToken() served another token: the run was not all cache hits');
    return ns;
  }
  async function baselineRun() {
    let last;
    const started = nowNs();
    for (let i = 0; i < CALLS; i++) last = await lookup();
    const ns = (nowNs() - started) / CALLS;
    if (last !== token) throw new Error('the baseline served another token');
    return ns;
  }

  for (let i = 0; i < WARM_UP_ROUNDS; i++) {
    await managerRun();
    await baselineRun();
  }
  const result = await alternate(samples, managerRun, baselineRun);
  if (provider.calls !== 1) throw new Error(`expected one provider call, saw ${provider.calls}`);
  await manager.close();
  return { ...result, calls: CALLS };
}
