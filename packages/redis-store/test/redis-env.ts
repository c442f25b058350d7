import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REQUIRED = process.env.KUNCI_REQUIRE_REDIS === '1';

// Jest registers tests synchronously, so the probe is a short child process: PING over TCP.
const PROBE = `
const net = require('node:net');
const url = new URL(process.argv[1]);
const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
socket.setTimeout(1000, () => process.exit(2));
socket.on('error', () => process.exit(1));
socket.on('connect', () => socket.write('PING\\r\\n'));
socket.on('data', (data) => process.exit(/PONG|NOAUTH/.test(String(data)) ? 0 : 3));
`;

function redisAnswers(url: string): boolean {
  try {
    return spawnSync(process.execPath, ['-e', PROBE, url], { timeout: 3_000 }).status === 0;
  } catch {
    return false;
  }
}

const available = redisAnswers(REDIS_URL);

/** Where the URL points, without a password it may carry. */
export function redisHost(url: string = REDIS_URL): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'an unparsable REDIS_URL';
  }
}

/**
 * A describe block that needs a real Redis. Without one it is skipped with a printed line, or,
 * under KUNCI_REQUIRE_REDIS=1 (CI), it fails.
 */
export function describeRedis(name: string, body: () => void): void {
  if (available) return describe(name, body);
  if (REQUIRED) {
    return describe(name, () => {
      it('needs a Redis', () => {
        throw new Error(
          `KUNCI_REQUIRE_REDIS=1 but no Redis answers at ${redisHost()} (REDIS_URL): start one (redis-server --daemonize yes) or point REDIS_URL at one`,
        );
      });
    });
  }
  process.stdout.write(
    `\n[redis-store] SKIPPED "${name}": no Redis answers at ${redisHost()} (set REDIS_URL, or KUNCI_REQUIRE_REDIS=1 to fail)\n`,
  );
  return describe.skip(name, body);
}

/** A prefix of its own for each test file, so that parallel runs never share keys. */
export function uniquePrefix(): string {
  return `kunci-test:${randomBytes(6).toString('hex')}:`;
}

export type TestRedis = ReturnType<typeof createClient>;

/** A plain client for looking at Redis from the side; its keys under `prefix` are removed after the file. */
export function useRedisClient(prefix: string, url: string = REDIS_URL): () => TestRedis {
  let client: TestRedis | undefined;
  beforeAll(async () => {
    // Without a Redis the suites that need one are skipped or failed; a client would only retry.
    if (!available) return;
    client = createClient({ url });
    client.on('error', () => undefined);
    await client.connect();
  });
  afterAll(async () => {
    if (client === undefined) return;
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      for (const key of keys) await client.del(key);
    }
    await client.close();
  });
  return () => {
    if (client === undefined) throw new Error('the Redis client connects in beforeAll');
    return client;
  };
}
