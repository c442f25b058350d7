import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { TokenManager, type TokenManagerEvents } from '@kunci/core';
import type { LoopbackServer } from '@kunci/core/emulator';
import { expectNoSecrets, testKeyPair, useStrictNock } from '#test-kit';
import { createPivotSnapProvider } from '@kunci/pivot-snap';
import { RedisTokenStore } from '../src';
import { CLIENT_ID, startSnapServer } from './fleet/fleet';
import { describeRedis, REDIS_URL, uniquePrefix, useRedisClient } from './redis-env';

const PREFIX = uniquePrefix();
const redis = useRedisClient(PREFIX);
useStrictNock();
beforeAll(() => nock.enableNetConnect(/^127\.0\.0\.1:\d+$/));

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

/** Provider, emulator and managers share this clock: a test moves it forward instead of sleeping. */
let offsetMs = 0;
const clock = (): number => Date.now() + offsetMs;
beforeEach(() => (offsetMs = 0));

function instance(server: LoopbackServer, store: RedisTokenStore): TokenManager {
  const provider = createPivotSnapProvider({
    provider: 'pivot-snap',
    baseUrl: server.url,
    clientId: CLIENT_ID,
    privateKey: testKeyPair().privateKeyPem,
    clock,
  });
  const manager = new TokenManager(provider, { store, lock: { pollMs: 20 }, clock });
  opened.push(store, manager);
  return manager;
}

/** Resolves with each manager's next refresh outcome; fails the test rather than hang. */
function refreshOutcomes(managers: TokenManager[]): Promise<string[]> {
  const outcomes = Promise.all(
    managers.map(
      (manager) =>
        new Promise<string>((resolve) =>
          manager.on('refresh', (event) => event.phase !== 'started' && resolve(event.phase)),
        ),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error('no refresh outcome within 5 s')), 5_000)),
  );
  return Promise.race([outcomes, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once the store has refused its instance the lock: another holds it. */
function lockRefused(store: RedisTokenStore): Promise<void> {
  const acquire = store.acquireLock.bind(store);
  return new Promise((resolve) => {
    store.acquireLock = async (key, ttlMs) => {
      const release = await acquire(key, ttlMs);
      if (release === undefined) resolve();
      return release;
    };
  });
}

const bodyOf = (server: LoopbackServer, index: number): Record<string, unknown> =>
  JSON.parse(server.requests[index]?.body ?? '{}') as Record<string, unknown>;

describeRedis('TokenManagers sharing a RedisTokenStore', () => {
  it('refresh a B2B2C customer once for both, each time with the newest refresh token', async () => {
    const server = await startSnapServer({ clock });
    opened.push(server);
    const encryptionKey = randomBytes(32).toString('base64');
    const a = instance(server, new RedisTokenStore({ url: REDIS_URL, prefix: PREFIX, encryptionKey }));
    const b = instance(server, new RedisTokenStore({ url: REDIS_URL, prefix: PREFIX, encryptionKey }));
    const errors: TokenManagerEvents['error'][] = [];
    for (const manager of [a, b]) manager.on('error', (event) => errors.push(event));
    const request = { authCode: 'BND-rotation' };

    const first = await a.getToken(request);
    await expect(b.getToken(request)).resolves.toEqual(first);
    expect(server.requests).toHaveLength(1);
    let previous = first;
    for (const round of [1, 2]) {
      // 870 s into a 900 s token: due (60 s before expiry) but valid, in both instances.
      offsetMs += 870_000;
      const settled = refreshOutcomes([a, b]);
      await Promise.all([a.getToken(request), b.getToken(request)]);
      await expect(settled).resolves.toEqual(['succeeded', 'succeeded']);
      expect(server.requests).toHaveLength(1 + round);
      // The one refresh of the round sent the refresh token the last round's response rotated in.
      expect(bodyOf(server, round).refreshToken).toBe(previous.refreshToken);
      const [fromA, fromB] = await Promise.all([a.getToken(request), b.getToken(request)]);
      expect(fromB).toEqual(fromA);
      expect(fromA.refreshToken).not.toBe(previous.refreshToken);
      previous = fromA;
    }
    expect(errors).toEqual([]);
  });

  it('lets one of two instances take over from a lock holder that died', async () => {
    const server = await startSnapServer();
    opened.push(server);
    const stores = [0, 1].map(() => new RedisTokenStore({ url: REDIS_URL, prefix: `${PREFIX}dead:` }));
    const refused = stores.map(lockRefused);
    const [a, b] = stores.map((store) => instance(server, store)) as [TokenManager, TokenManager];
    const lock = `${PREFIX}dead:lock:pivot-snap:${CLIENT_ID}`;
    // The holder died with the lock: it stays until its TTL runs out.
    await redis().set(lock, 'crashed-holder', { PX: 60_000 });
    const tokens = Promise.all([a.getToken(), b.getToken()]);
    await Promise.all(refused);
    // Both instances wait on it, and neither took it from its holder; then its TTL runs out.
    expect(await redis().get(lock)).toBe('crashed-holder');
    await redis().pExpire(lock, 1);
    const [ta, tb] = await tokens;
    expect(tb).toEqual(ta);
    expect(server.requests).toHaveLength(1);
  });

  it('works from memory when Redis cannot be reached, and reports it without a secret', async () => {
    const server = await startSnapServer();
    opened.push(server);
    const password = randomBytes(12).toString('hex');
    const lines: unknown[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (...args: unknown[]) => lines.push(args),
      error: (...args: unknown[]) => lines.push(args),
    };
    const store = new RedisTokenStore({ url: `redis://:${password}@127.0.0.1:1`, prefix: PREFIX });
    const provider = createPivotSnapProvider({
      provider: 'pivot-snap',
      baseUrl: server.url,
      clientId: CLIENT_ID,
      privateKey: testKeyPair().privateKeyPem,
    });
    const manager = new TokenManager(provider, { store, logger });
    opened.push(store, manager);
    const failures: TokenManagerEvents['storeError'][] = [];
    manager.on('storeError', (event) => failures.push(event));
    const tokens = await Promise.all(Array.from({ length: 20 }, () => manager.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures[0]?.operation).toBe('get');
    expect(lines).toHaveLength(failures.length);
    expectNoSecrets([failures, lines], [password, tokens[0]?.accessToken ?? '']);
  });
});
