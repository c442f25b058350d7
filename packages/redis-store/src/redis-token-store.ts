import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createClient } from 'redis';
import { AuthError, deserializeAccessToken, serializeAccessToken } from '@kunci/core';
import {
  checkOptions,
  describeValue,
  integer,
  KUNCI,
  MAX_TIMER_MS,
  resolveSecret,
  type OptionRule,
  type OptionsSchema,
} from '@kunci/core/provider';
import type { AccessToken, ReleaseLock, TokenStore } from '@kunci/core';
import type { RedisClientOption, RedisCommands } from './commands';
import { adaptClient, checkClient } from './commands';
import { KeyNamer, readEncryptionKeys, seal, unseal } from './encryption';
import type { EncryptionKey, EncryptionKeyOption } from './encryption';

export const DEFAULT_PREFIX = 'kunci:';
/** As the TokenManager's `storeTimeoutMs`: a Redis slower than a second is treated as down. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;

export interface RedisTokenStoreOptions {
  /** `redis://…` or `rediss://…`, or a reference to one (`env:REDIS_URL`, `file:PATH`). Default: node-redis's localhost:6379. */
  url?: string | undefined;
  /** A client of your own (node-redis, ioredis, or any `RedisCommands`): you connect it, and you close it. */
  client?: RedisClientOption | undefined;
  /** Put before every key, to share a Redis with other applications. Default `kunci:`. */
  prefix?: string | undefined;
  /** Encrypts entries (AES-256-GCM): a key (32 bytes, hex or Base64, or `env:`/`file:`), or a list, current key first. */
  encryptionKey?: EncryptionKeyOption | undefined;
  /** The longest one Redis command may take before it counts as failed. Default 1,000. */
  commandTimeoutMs?: number | undefined;
}

/**
 * What `RedisTokenStore.inboundStore()` gives: the shape of `@kunci/inbound`'s `InboundStore`
 * (written here so that this package does not depend on that one).
 */
export interface RedisInboundStore {
  claim(key: string, ttlMs: number): Promise<boolean>;
  put(key: string, value: string, ttlMs: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
}

/** Deletes the lock only while it still holds this owner's value: an expired lock taken over by another stays. */
const RELEASE_LOCK =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

// Wait between reconnection attempts, capped: a Redis that comes back is used again within a second.
const reconnectDelay = (retries: number): number => Math.min(50 * 2 ** retries, 1_000);

interface OwnedClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  on(event: 'ready' | 'error', listener: (error?: unknown) => void): unknown;
  off(event: 'ready' | 'error', listener: (error?: unknown) => void): unknown;
  close(): Promise<void>;
  destroy(): void;
}

/** A string, empty or not (a prefix may be ''); its content is never shown. */
const string: OptionRule = (value, path, problems) => {
  if (typeof value !== 'string') problems.push(`${path} must be a string (got ${describeValue(value)})`);
};

/** A key, or a non-empty list of them, each a string; the keys' values are checked in the constructor. */
const keyOrList: OptionRule = (value, path, problems) => {
  if (typeof value === 'string') return;
  if (!Array.isArray(value) || value.length === 0) {
    const got = Array.isArray(value) ? 'an empty list' : describeValue(value);
    problems.push(`${path} must be a key (a string) or a non-empty list of them (got ${got})`);
    return;
  }
  value.forEach((item, index) => string(item, `${path}[${index}]`, problems));
};

/** Every option, and the type each takes (core's checker); the values are checked further in the constructor. */
const OPTIONS: OptionsSchema<RedisTokenStoreOptions> = {
  url: string,
  client: checkClient,
  prefix: string,
  encryptionKey: keyOrList,
  commandTimeoutMs: integer(1, MAX_TIMER_MS),
};

function invalid(problems: readonly string[]): AuthError {
  return new AuthError('CONFIG_INVALID', `Invalid RedisTokenStore options: ${problems.join('; ')}.`, {
    provider: KUNCI,
  });
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function readUrl(reference: string, problems: string[]): string | undefined {
  const secret = resolveSecret(reference);
  if (!secret.ok) {
    problems.push(`url ${secret.problem}`);
    return undefined;
  }
  const url = secret.value.trim();
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  // The URL may carry a password: the problem names the rule, never the text.
  if (protocol !== 'redis:' && protocol !== 'rediss:') problems.push('url must be a redis:// or rediss:// URL');
  return url;
}

/**
 * A TokenStore on Redis, for a fleet: tokens as JSON with a TTL of their remaining life (sealed
 * with AES-256-GCM when a key is given), and a lock per key (`SET NX PX` with a random owner,
 * released by a compare-and-delete script) so that one instance fetches while the others read.
 * Every command touches one key. Nothing here is retried or swallowed: the TokenManager times out,
 * reports and works around a failing store.
 */
export class RedisTokenStore implements TokenStore {
  readonly prefix: string;
  readonly commandTimeoutMs: number;
  readonly #commands: RedisCommands;
  readonly #owned: OwnedClient | undefined;
  readonly #keys: readonly EncryptionKey[] | undefined;
  readonly #names: KeyNamer | undefined;
  #connecting: Promise<void> | undefined;
  #firstConnectOver = false;
  #closed = false;

  constructor(options: RedisTokenStoreOptions = {}) {
    // An explicit null is no options object (checkOptions reads it as absent).
    const problems = options === null ? [`the options must be an object (got null)`] : checkOptions(options, OPTIONS);
    const failed = (field: string): boolean =>
      problems.some((problem) => problem.startsWith(`${field} `) || problem.startsWith(`${field}[`));
    const given: RedisTokenStoreOptions = typeof options === 'object' && options !== null ? options : {};
    const prefix = given.prefix ?? DEFAULT_PREFIX;
    const timeout = given.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    if (given.url !== undefined && given.client !== undefined) problems.push('give url or client, not both');
    const url = typeof given.url === 'string' ? readUrl(given.url, problems) : undefined;
    let keys: EncryptionKey[] | undefined;
    if (given.encryptionKey !== undefined && !failed('encryptionKey')) {
      const read = readEncryptionKeys(given.encryptionKey);
      if ('problems' in read) problems.push(...read.problems);
      else keys = read.keys;
    }
    if (problems.length > 0) throw invalid(problems);
    const adapted = given.client === undefined ? undefined : adaptClient(given.client);

    this.prefix = prefix;
    this.commandTimeoutMs = timeout;
    this.#keys = keys;
    this.#names = keys === undefined ? undefined : new KeyNamer(keys);
    if (adapted !== undefined) {
      this.#commands = adapted;
      this.#owned = undefined;
    } else {
      const client = createClient({
        ...(url !== undefined ? { url } : {}),
        // Offline, a command fails at once instead of queueing: a lock queued now and taken
        // after a reconnect would block the fleet for nothing.
        disableOfflineQueue: true,
        commandOptions: { timeout },
        socket: { connectTimeout: Math.max(timeout, 1_000), reconnectStrategy: reconnectDelay },
      });
      // node-redis emits 'error' on every failed reconnect; each failed command is what gets reported.
      client.on('error', () => undefined);
      this.#owned = client;
      this.#commands = adaptClient(client) as RedisCommands;
    }
  }

  async get(key: string): Promise<AccessToken | undefined> {
    const redisKey = this.tokenKey(key);
    const stored = await this.run((commands) => commands.get(redisKey));
    if (stored === null) return undefined;
    const plain = this.#keys === undefined ? stored : unseal(stored, this.#keys, redisKey);
    return plain === undefined ? undefined : deserializeAccessToken(plain);
  }

  async set(key: string, token: AccessToken, ttlMs: number): Promise<void> {
    const redisKey = this.tokenKey(key);
    if (!(ttlMs >= 1)) return this.run((commands) => commands.del(redisKey));
    // serializeAccessToken writes the AccessToken fields only: whatever else the object carries stays here.
    const plain = serializeAccessToken(token);
    const current = this.#keys?.[0];
    const value = current === undefined ? plain : seal(plain, current, redisKey);
    return this.run((commands) => commands.set(redisKey, value, Math.ceil(ttlMs)));
  }

  delete(key: string): Promise<void> {
    const redisKey = this.tokenKey(key);
    return this.run((commands) => commands.del(redisKey));
  }

  /** `SCAN` for the keys, then one `DEL` each. On Redis Cluster, pass a client whose `scan` covers every node. */
  async clear(prefix = ''): Promise<void> {
    // Named keys hold no glob character; a plain prefix is taken literally.
    const named = this.#names === undefined ? globEscape(prefix) : this.#names.prefix(prefix);
    const pattern = `${globEscape(`${this.prefix}token:`)}${named}*`;
    await this.run(
      async (commands) => {
        if (commands.scan === undefined)
          throw new Error('this Redis client offers no SCAN, so the store cannot clear keys');
        const found: string[] = [];
        for await (const redisKey of commands.scan(pattern)) found.push(redisKey);
        for (const redisKey of found) await commands.del(redisKey);
      },
      Math.min(this.commandTimeoutMs * 4, MAX_TIMER_MS),
    );
  }

  async acquireLock(key: string, ttlMs: number): Promise<ReleaseLock | undefined> {
    const lockKey = `${this.prefix}lock:${this.#names?.name(key) ?? key}`;
    const owner = randomBytes(16).toString('base64url');
    const release = async (): Promise<void> =>
      void (await this.run((commands) => commands.evalOnKey(RELEASE_LOCK, lockKey, [owner])));
    let taken: boolean;
    try {
      taken = await this.run((commands) => commands.setIfAbsent(lockKey, owner, Math.max(1, Math.ceil(ttlMs))));
    } catch (error) {
      // A slow Redis may still run the SET after we gave up: the release, sent on the same
      // connection behind it, keeps that lock from blocking the fleet for its whole ttl.
      if (!this.#closed) release().catch(() => undefined);
      throw error;
    }
    return taken ? release : undefined;
  }

  /**
   * The same Redis as an `InboundStore` of `@kunci/inbound` (its replay guard and the tokens it
   * issues), sharing this store's connection, prefix, encryption keys and command timeout: a
   * notification one instance accepted is refused by every other. `claim` is `SET NX PX`, `put`
   * `SET PX`, `get` `GET`, `delete` `DEL`, each on `prefix` + the key. With `encryptionKey` each
   * part of a key is an HMAC and each value is sealed, as the tokens are. A command that fails or
   * exceeds `commandTimeoutMs` rejects, and the inbound side refuses the request (nothing accepted).
   */
  inboundStore(): RedisInboundStore {
    const redisKey = (key: string): string => `${this.prefix}${this.#names?.name(key) ?? key}`;
    const ttl = (ttlMs: number): number => Math.max(1, Math.ceil(ttlMs));
    return Object.freeze({
      claim: (key: string, ttlMs: number) =>
        this.run((commands) => commands.setIfAbsent(redisKey(key), '1', ttl(ttlMs))),
      put: (key: string, value: string, ttlMs: number) => {
        const name = redisKey(key);
        const current = this.#keys?.[0];
        const stored = current === undefined ? value : seal(value, current, name);
        return this.run((commands) => commands.set(name, stored, ttl(ttlMs)));
      },
      get: async (key: string) => {
        const name = redisKey(key);
        const stored = await this.run((commands) => commands.get(name));
        if (stored === null) return undefined;
        return this.#keys === undefined ? stored : unseal(stored, this.#keys, name);
      },
      delete: (key: string) => {
        const name = redisKey(key);
        return this.run((commands) => commands.del(name));
      },
    });
  }

  /** Closes the connection the store opened; a client passed in is left to its owner. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const owned = this.#owned;
    if (owned === undefined || !owned.isOpen) return;
    if (owned.isReady) await owned.close();
    else owned.destroy();
  }

  /** The Redis key a cache key is stored under; with `encryptionKey`, its parts are HMACs. */
  tokenKey(key: string): string {
    return `${this.prefix}token:${this.#names?.name(key) ?? key}`;
  }

  toJSON(): Record<string, unknown> {
    return { prefix: this.prefix, encrypted: this.#keys !== undefined, commandTimeoutMs: this.commandTimeoutMs };
  }

  [inspect.custom](): string {
    return `RedisTokenStore ${inspect(this.toJSON())}`;
  }

  private async run<T>(
    command: (commands: RedisCommands) => Promise<T>,
    timeoutMs = this.commandTimeoutMs,
  ): Promise<T> {
    if (this.#closed) throw new Error('the RedisTokenStore is closed');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.connected().then(() => command(this.#commands)), timeout]);
    } catch (error) {
      // Redis was down at start: later commands fail fast while node-redis keeps reconnecting.
      this.#firstConnectOver = true;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The store's own client connects on first use, and the first commands wait for the first
   * attempt: they go on once it is ready, and fail with its error at once when Redis refuses (no
   * command timeout to wait out). After that, node-redis reconnects by itself and a command sent
   * while it is offline fails at once.
   */
  private connected(): Promise<void> {
    const owned = this.#owned;
    if (owned === undefined || owned.isReady || this.#firstConnectOver) return Promise.resolve();
    this.#connecting ??= new Promise<void>((resolve, reject) => {
      const settle = (error?: unknown): void => {
        owned.off('ready', onReady);
        owned.off('error', onError);
        this.#firstConnectOver = true;
        if (error === undefined) resolve();
        // node-redis's socket error (ECONNREFUSED, ENOTFOUND, …), from Node's realm: not always `instanceof Error` here.
        else
          reject(
            typeof error === 'object' && error !== null ? (error as Error) : new Error('Redis could not be reached'),
          );
      };
      const onReady = (): void => settle();
      const onError = (error: unknown): void => settle(error);
      owned.on('ready', onReady);
      owned.on('error', onError);
      if (!owned.isOpen) owned.connect().then(() => settle(), onError);
    });
    return this.#connecting;
  }
}
