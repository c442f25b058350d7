import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createClient } from 'redis';
import { AuthError, deserializeAccessToken, serializeAccessToken } from '@kunci/core';
import { resolveSecret } from '@kunci/core/provider';
import type { AccessToken, ReleaseLock, TokenStore } from '@kunci/core';
import { adaptClient } from './commands';
import type { RedisClientOption, RedisCommands } from './commands';
import { readEncryptionKeys, seal, unseal } from './encryption';
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

/** Deletes the lock only while it still holds this owner's value: an expired lock taken over by another stays. */
const RELEASE_LOCK =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

const PROVIDER = 'kunci';
// Wait between reconnection attempts, capped: a Redis that comes back is used again within a second.
const reconnectDelay = (retries: number): number => Math.min(50 * 2 ** retries, 1_000);

interface OwnedClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
}

function invalid(problems: readonly string[]): AuthError {
  return new AuthError('CONFIG_INVALID', `Invalid RedisTokenStore options: ${problems.join('; ')}.`, {
    provider: PROVIDER,
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
  #connecting: Promise<void> | undefined;
  #firstConnectOver = false;
  #closed = false;

  constructor(options: RedisTokenStoreOptions = {}) {
    const problems: string[] = [];
    const prefix = options.prefix ?? DEFAULT_PREFIX;
    if (typeof prefix !== 'string') problems.push('prefix must be a string');
    const timeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1) {
      problems.push(`commandTimeoutMs must be a whole number of at least 1 (got ${String(timeout)})`);
    }
    if (options.url !== undefined && options.client !== undefined) problems.push('give url or client, not both');
    const url = typeof options.url === 'string' ? readUrl(options.url, problems) : undefined;
    if (options.url !== undefined && typeof options.url !== 'string') problems.push('url must be a string');
    const adapted = options.client === undefined ? undefined : adaptClient(options.client);
    if (options.client !== undefined && adapted === undefined) {
      problems.push(
        'client must be a node-redis client, an ioredis client, or an object with the RedisCommands methods',
      );
    }
    let keys: EncryptionKey[] | undefined;
    if (options.encryptionKey !== undefined) {
      const read = readEncryptionKeys(options.encryptionKey);
      if ('problems' in read) problems.push(...read.problems);
      else keys = read.keys;
    }
    if (problems.length > 0) throw invalid(problems);

    this.prefix = prefix;
    this.commandTimeoutMs = timeout;
    this.#keys = keys;
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
    const pattern = `${globEscape(this.tokenKey(''))}${globEscape(prefix)}*`;
    await this.run(async (commands) => {
      if (commands.scan === undefined)
        throw new Error('this Redis client offers no SCAN, so the store cannot clear keys');
      const found: string[] = [];
      for await (const redisKey of commands.scan(pattern)) found.push(redisKey);
      for (const redisKey of found) await commands.del(redisKey);
    }, this.commandTimeoutMs * 4);
  }

  async acquireLock(key: string, ttlMs: number): Promise<ReleaseLock | undefined> {
    const lockKey = `${this.prefix}lock:${key}`;
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

  /** Closes the connection the store opened; a client passed in is left to its owner. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const owned = this.#owned;
    if (owned === undefined || !owned.isOpen) return;
    if (owned.isReady) await owned.close();
    else owned.destroy();
  }

  /** The Redis key a cache key is stored under. */
  tokenKey(key: string): string {
    return `${this.prefix}token:${key}`;
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
   * The store's own client connects on first use, and the first commands wait for it (each within
   * its timeout). After that, node-redis reconnects by itself and a command sent while it is
   * offline fails at once.
   */
  private connected(): Promise<void> {
    const owned = this.#owned;
    if (owned === undefined || owned.isReady || this.#firstConnectOver) return Promise.resolve();
    if (this.#connecting === undefined) {
      this.#connecting = owned.connect().then(
        () => undefined,
        () => undefined,
      );
      void this.#connecting.then(() => (this.#firstConnectOver = true));
    }
    return this.#connecting;
  }
}
