import { fork } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startLoopbackServer } from '@kunci/core/emulator';
import { RedisTokenStore } from '@kunci/redis-store';
import { createPivotSnapEmulator } from '@kunci/pivot-snap/emulator';
import { median } from './lib/stats.mjs';

const CHILD = fileURLToPath(new URL('./fleet-child.mjs', import.meta.url));
const CLIENT_ID = 'bench-fleet-client';

function redisAnswers(url) {
  return new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).includes('PONG')));
  });
}

const reply = (child, type) =>
  new Promise((resolve) => child.once('message', (message) => message.type === type && resolve(message)));

/**
 * `processes` instances, each with `callers` concurrent getToken() on a cold key, against the
 * pivot-snap emulator on loopback: upstream requests and wall ms until every caller of every
 * instance has a token. With Redis (one RedisTokenStore per instance, a fresh prefix per sample)
 * and without (each instance alone), alternating.
 */
export async function benchFleet({
  samples,
  processes = 4,
  callers = 1_000,
  redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
}) {
  if (!(await redisAnswers(redisUrl)))
    return { processes, callers, skipped: `no Redis answers at ${new URL(redisUrl).host}` };
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const emulator = createPivotSnapEmulator({ clients: [{ clientId: CLIENT_ID, publicKey }] });
  const server = await startLoopbackServer((request) => emulator.handle(request));
  const env = {
    ...process.env,
    KUNCI_BENCH_FLEET: JSON.stringify({
      baseUrl: server.url,
      clientId: CLIENT_ID,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      redisUrl,
    }),
  };
  const cleanup = async (prefix) => {
    const store = new RedisTokenStore({ url: redisUrl, prefix });
    await store.clear();
    await store.close();
  };
  const children = Array.from({ length: processes }, () => fork(CHILD, [], { env }));
  try {
    await Promise.all(children.map((child) => reply(child, 'ready')));
    const run = async (withRedis) => {
      const prefix = withRedis ? `kunci-bench:${randomBytes(6).toString('hex')}:` : undefined;
      const before = server.requests.length;
      const started = performance.now();
      const done = children.map((child) => reply(child, 'done'));
      for (const child of children) child.send({ type: 'run', callers, prefix });
      const replies = await Promise.all(done);
      const ms = performance.now() - started;
      if (replies.some((r) => r.storeErrors > 0)) throw new Error('the fleet bench saw a store error');
      // Once every instance is done: the bench leaves nothing behind in Redis.
      if (prefix !== undefined) await cleanup(prefix);
      return {
        ms,
        upstream: server.requests.length - before,
        tokens: new Set(replies.flatMap((r) => r.distinct)).size,
      };
    };
    await run(true);
    await run(false);
    const redis = [];
    const alone = [];
    for (let i = 0; i < samples; i++) {
      if (i % 2 === 0) {
        redis.push(await run(true));
        alone.push(await run(false));
      } else {
        alone.push(await run(false));
        redis.push(await run(true));
      }
    }
    const summary = (runs) => ({
      ms: median(runs.map((r) => r.ms)),
      upstream: Math.max(...runs.map((r) => r.upstream)),
      tokens: Math.max(...runs.map((r) => r.tokens)),
      samples: runs.length,
    });
    return { processes, callers, redis: summary(redis), alone: summary(alone) };
  } finally {
    for (const child of children) if (child.connected) child.send({ type: 'close' });
    await server.close();
  }
}
