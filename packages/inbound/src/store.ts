/**
 * Where the replay guard and the issued tokens live. Small on purpose: a shared store (Redis:
 * `SET NX PX`, `GET`, `SET PX`, `DEL`) implements it in a few lines, and then every instance of a
 * fleet refuses what one of them accepted. Keys arrive hashed or as ids; values are never a token.
 */
export interface InboundStore {
  /** Records `key` for `ttlMs` if it is absent: true when it was (the first sighting), false when it is there. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Stores `value` under `key` for `ttlMs`. */
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** The value under `key`, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Drops `key`. */
  delete(key: string): Promise<void>;
}

export interface MemoryInboundStoreOptions {
  /** The most keys kept; when full, the expired go first, then the oldest. Default 100,000. */
  maxEntries?: number | undefined;
  /** Epoch milliseconds; default `Date.now`. */
  clock?: (() => number) | undefined;
}

export const DEFAULT_MAX_STORE_ENTRIES = 100_000;

/**
 * One process's store: bounded and expiring. A fleet needs a shared one (a notification accepted by
 * one instance must be refused by the others). At the bound, the oldest key goes: under a flood of
 * distinct notifications the guard forgets the oldest ids first (size it above the notifications
 * of a day: a key is a few hundred bytes).
 */
export class MemoryInboundStore implements InboundStore {
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #clock: () => number;

  constructor(options: MemoryInboundStoreOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_STORE_ENTRIES);
    this.#clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    if (this.#live(key) !== undefined) return Promise.resolve(false);
    this.#set(key, '1', ttlMs);
    return Promise.resolve(true);
  }

  put(key: string, value: string, ttlMs: number): Promise<void> {
    this.#set(key, value, ttlMs);
    return Promise.resolve();
  }

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.#live(key));
  }

  delete(key: string): Promise<void> {
    this.#entries.delete(key);
    return Promise.resolve();
  }

  #live(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.#clock()) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  #set(key: string, value: string, ttlMs: number): void {
    const now = this.#clock();
    this.#entries.delete(key);
    // Full: the oldest goes (a Map iterates in insertion order), expired or not; one step per
    // insert, never a scan of the whole map on a request's path.
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    // And an expired key at the head, so that a quiet store shrinks as it is used.
    const [oldest, entry] = this.#entries.entries().next().value ?? [];
    if (oldest !== undefined && entry !== undefined && entry.expiresAt <= now) this.#entries.delete(oldest);
    this.#entries.set(key, { value, expiresAt: now + ttlMs });
  }
}
