import { AuthError } from '../errors';
import { checkOptions, func, integer, type OptionsSchema } from '../options-check';
import type { AccessToken } from '../token';
import type { TokenStore } from './store';

/** Enough for a large B2B2C customer base at well under 10 MB, while a million customers cannot exhaust memory. */
export const DEFAULT_MAX_ENTRIES = 10_000;

/** V8 refuses a Map of more entries: a bound above it would fail where it should evict. */
export const MAX_MAX_ENTRIES = 2 ** 24;

/**
 * Why a minute (smithy's `EXPIRATION_MS` plays the same part): the providers issue 15-minute
 * tokens, and a token handed out seconds before it expires can die on its way to the API, queued
 * behind a slow request or retried by the caller. A minute leaves room for that and for the
 * refresh's own retries, while throwing away less than 7% of each token's life.
 */
export const DEFAULT_REFRESH_BEFORE_SECONDS = 60;

/**
 * When a token becomes due for refresh. A token living less than twice the window would be due
 * the moment it arrives, so it is due at half its life instead. Never after its expiry (a token
 * that claims to expire before it was issued): a hit that is fresh is valid.
 */
export function refreshAt(token: AccessToken, refreshBeforeMs: number): number {
  const expiresAt = token.expiresAt.getTime();
  return expiresAt - Math.max(0, Math.min(refreshBeforeMs, (expiresAt - token.issuedAt.getTime()) / 2));
}

/**
 * How long a store keeps a token: an expired access token is still worth keeping while its
 * refresh token can buy the next one without the customer binding again.
 */
export function retentionMs(token: AccessToken, now: number): number {
  const refreshUntil = token.refreshToken === undefined ? 0 : (token.refreshTokenExpiresAt?.getTime() ?? 0);
  return Math.max(token.expiresAt.getTime(), refreshUntil) - now;
}

/**
 * One cached token with its instants worked out once, when it was put: a hit compares two numbers.
 * It also paces the background refreshes of its token: a new token is a new entry, with no failures.
 */
export interface MemoryEntry {
  readonly token: AccessToken;
  /** Kept until then (past `expiresAt` while its refresh token is good). */
  readonly until: number;
  readonly expiresAt: number;
  /** From then on the token is due: served, and refreshed in the background. */
  readonly refreshAt: number;
  stamp: number;
  /** The token as a resolved promise, made on the first hit. */
  settled: Promise<AccessToken> | undefined;
  /** Background refreshes of this token that failed in a row. */
  refreshFailures: number;
  /** No background refresh starts before then. */
  nextRefreshAt: number;
}

export interface MemoryTokenStoreOptions {
  /** The most tokens kept; the least recently used go first. Default 10,000. */
  maxEntries?: number | undefined;
  /** Milliseconds since the epoch; default `Date.now`. */
  clock?: (() => number) | undefined;
}

const OPTIONS: OptionsSchema<MemoryTokenStoreOptions> = {
  maxEntries: integer(1, MAX_MAX_ENTRIES),
  clock: func,
};

/** A bounded LRU in the process. Its synchronous `entry` and `put` are the TokenManager's hot path. */
export class MemoryTokenStore implements TokenStore {
  readonly maxEntries: number;
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly clock: () => number;
  private stamp = 0;

  constructor(options: MemoryTokenStoreOptions = {}) {
    const problems = checkOptions(options, OPTIONS);
    if (problems.length > 0) {
      throw new AuthError('CONFIG_INVALID', `Invalid MemoryTokenStore options: ${problems.join('; ')}.`, {
        provider: 'kunci',
      });
    }
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  peek(key: string, now: number = this.clock()): AccessToken | undefined {
    return this.entry(key, now)?.token;
  }

  /**
   * The live entry of a key, as `peek` sees it. A cache hit answers with the entry's `settled`
   * promise, made once per entry: a new `Promise.resolve` on every hit is most of a hit's cost.
   */
  entry(key: string, now: number = this.clock()): MemoryEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.until) {
      this.entries.delete(key);
      return undefined;
    }
    // Moving an entry to the back on every read would cost two map operations per cache hit. An
    // entry stamped within the last maxEntries / 2 writes cannot be the oldest one when the map
    // overflows, so only older entries move: an approximate LRU at the cost of one comparison.
    if (this.stamp - entry.stamp > this.maxEntries >> 1) {
      this.entries.delete(key);
      entry.stamp = ++this.stamp;
      this.entries.set(key, entry);
    }
    return entry;
  }

  /**
   * Keeps `token` under `key` for `ttlMs` (not at all when that is not positive); `refreshBeforeMs`
   * is the refresh window its `refreshAt` is worked out with. Returns the entry, kept or not.
   */
  put(
    key: string,
    token: AccessToken,
    ttlMs: number,
    now: number = this.clock(),
    refreshBeforeMs: number = DEFAULT_REFRESH_BEFORE_SECONDS * 1000,
  ): MemoryEntry {
    this.entries.delete(key);
    const entry: MemoryEntry = {
      token,
      until: now + ttlMs,
      expiresAt: token.expiresAt.getTime(),
      refreshAt: refreshAt(token, refreshBeforeMs),
      stamp: ++this.stamp,
      settled: undefined,
      refreshFailures: 0,
      nextRefreshAt: 0,
    };
    if (!(ttlMs > 0)) return entry;
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return entry;
  }

  remove(key: string): void {
    this.entries.delete(key);
  }

  removePrefix(prefix?: string): void {
    if (prefix === undefined) return this.entries.clear();
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  get(key: string): Promise<AccessToken | undefined> {
    return Promise.resolve(this.peek(key));
  }

  set(key: string, token: AccessToken, ttlMs: number): Promise<void> {
    this.put(key, token, ttlMs);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.remove(key);
    return Promise.resolve();
  }

  clear(prefix?: string): Promise<void> {
    this.removePrefix(prefix);
    return Promise.resolve();
  }
}
