import { func, type OptionRule } from '@kunci/core/provider';

/**
 * The commands the store sends, each on one key, so that they work on Redis Cluster as they do on
 * a single server. Any client can be used through this shape; node-redis and ioredis clients are
 * adapted below.
 */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  /** `SET key value PX ttlMs` */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** `SET key value NX PX ttlMs`: true when the key was set. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** `EVAL script 1 key ...args` */
  evalOnKey(script: string, key: string, args: readonly string[]): Promise<unknown>;
  /** The keys matching a glob pattern (`SCAN MATCH`); without it the store cannot `clear`. */
  scan?: ((pattern: string) => AsyncIterable<string>) | undefined;
}

/** What the store uses of a node-redis (v4 or v5) client: `createClient()`'s result fits. */
export interface NodeRedisClientLike {
  readonly isOpen: boolean;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { PX: number; NX?: true }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  scanIterator?(options: { MATCH: string; COUNT: number }): AsyncIterable<string | string[]>;
}

/** What the store uses of an ioredis client (`new Redis()`): its variadic command signatures. */
export interface IoredisLike {
  readonly status: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, px: 'PX', ttlMs: number, nx?: 'NX'): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', n: number): Promise<[string, string[]]>;
}

export type RedisClientOption = NodeRedisClientLike | IoredisLike | RedisCommands;

const COMMAND_METHODS = ['get', 'set', 'setIfAbsent', 'del', 'evalOnKey'] as const;

const SCAN_COUNT = 250;

function isCommands(client: object): client is RedisCommands {
  return typeof (client as Partial<RedisCommands>).setIfAbsent === 'function';
}

function isIoredis(client: object): client is IoredisLike {
  return (
    typeof (client as Partial<IoredisLike>).status === 'string' &&
    typeof (client as Partial<IoredisLike>).scan === 'function' &&
    !('isOpen' in client)
  );
}

function isNodeRedis(client: object): client is NodeRedisClientLike {
  return typeof (client as Partial<NodeRedisClientLike>).isOpen === 'boolean';
}

// GET answers a string, or a Buffer from a client told to return them; anything else is no entry this store wrote.
function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return Buffer.isBuffer(value) ? value.toString('utf8') : null;
}

export function fromNodeRedis(client: NodeRedisClientLike): RedisCommands {
  const scanIterator = client.scanIterator?.bind(client);
  return {
    get: async (key) => text(await client.get(key)),
    set: async (key, value, ttlMs) => void (await client.set(key, value, { PX: ttlMs })),
    setIfAbsent: async (key, value, ttlMs) => (await client.set(key, value, { PX: ttlMs, NX: true })) !== null,
    del: async (key) => void (await client.del(key)),
    evalOnKey: (script, key, args) => client.eval(script, { keys: [key], arguments: [...args] }),
    // v4 yields one key at a time, v5 a batch.
    scan:
      scanIterator === undefined
        ? undefined
        : async function* scan(pattern) {
            for await (const batch of scanIterator({ MATCH: pattern, COUNT: SCAN_COUNT }))
              yield* Array.isArray(batch) ? batch : [batch];
          },
  };
}

export function fromIoredis(client: IoredisLike): RedisCommands {
  return {
    get: (key) => client.get(key),
    set: async (key, value, ttlMs) => void (await client.set(key, value, 'PX', ttlMs)),
    setIfAbsent: async (key, value, ttlMs) => (await client.set(key, value, 'PX', ttlMs, 'NX')) !== null,
    del: async (key) => void (await client.del(key)),
    evalOnKey: (script, key, args) => client.eval(script, 1, key, ...args),
    async *scan(pattern) {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
        yield* keys;
        cursor = next;
      } while (cursor !== '0');
    },
  };
}

/** A node-redis or ioredis client, or a `RedisCommands` object whose every method is a function. */
export const checkClient: OptionRule = (client, path, problems) => {
  if (typeof client === 'object' && client !== null && isCommands(client)) {
    const methods = client as unknown as Record<string, unknown>;
    for (const method of COMMAND_METHODS) func(methods[method], `${path}.${method}`, problems);
    if (methods.scan !== undefined) func(methods.scan, `${path}.scan`, problems);
  } else if (adaptClient(client) === undefined) {
    problems.push(
      `${path} must be a node-redis client, an ioredis client, or an object with the RedisCommands methods`,
    );
  }
};

/** The commands of a client passed in, or undefined when it is none of the known shapes. */
export function adaptClient(client: unknown): RedisCommands | undefined {
  if (typeof client !== 'object' || client === null) return undefined;
  if (isCommands(client)) return client;
  if (isIoredis(client)) return fromIoredis(client);
  if (isNodeRedis(client)) return fromNodeRedis(client);
  return undefined;
}
