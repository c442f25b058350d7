import { AuthError } from '../errors';
import type { AccessToken } from '../token';
import type { TokenStore } from './store';

/** Enough for a large B2B2C customer base at well under 10 MB, while a million customers cannot exhaust memory. */
export const DEFAULT_MAX_ENTRIES = 10_000;

/** One cached token. `settled` is the token as a resolved promise, made on the first hit. */
export interface MemoryEntry {
  readonly token: AccessToken;
  readonly until: number;
  stamp: number;
  settled: Promise<AccessToken> | undefined;
}

export interface MemoryTokenStoreOptions {
  /** The most tokens kept; the least recently used go first. Default 10,000. */
  maxEntries?: number | undefined;
  /** Milliseconds since the epoch; default `Date.now`. */
  clock?: (() => number) | undefined;
}

/** A bounded LRU in the process. Its synchronous `peek` and `put` are the TokenManager's hot path. */
export class MemoryTokenStore implements TokenStore {
  readonly maxEntries: number;
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly clock: () => number;
  private stamp = 0;

  constructor(options: MemoryTokenStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new AuthError(
        'CONFIG_INVALID',
        `maxEntries must be a whole number of at least 1 (got ${String(maxEntries)}).`,
        {
          provider: 'kunci',
        },
      );
    }
    this.maxEntries = maxEntries;
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

  put(key: string, token: AccessToken, ttlMs: number, now: number = this.clock()): void {
    this.entries.delete(key);
    if (!(ttlMs > 0)) return;
    this.entries.set(key, { token, until: now + ttlMs, stamp: ++this.stamp, settled: undefined });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
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
