import type { AccessToken } from '../token';
import type { StoreOperation } from './events';
import type { Flight } from './flights';
import type { ReleaseLock, TokenStore } from './store';
import { delay, withTimeout } from './timers';

/**
 * After a store failure, reads, writes and locks skip the store this long: with Redis down, each
 * cache miss would otherwise wait for its own timeout and report its own error.
 */
export const STORE_COOLDOWN_MS = 5_000;

export type LockResult = ReleaseLock | 'busy' | 'unavailable';

export interface FleetStoreSettings {
  timeoutMs: number;
  clock: () => number;
  /** Aborted by `close()`: no store timer outlives the manager. */
  signal: AbortSignal;
  onError(operation: StoreOperation, key: string | undefined, error: unknown): void;
}

function looksLikeToken(value: unknown): value is AccessToken {
  const token = value as Partial<AccessToken> | undefined;
  return typeof token?.accessToken === 'string' && token.expiresAt instanceof Date && token.issuedAt instanceof Date;
}

/**
 * The store a fleet shares (Redis), guarded: it never throws and never hangs; each failure is
 * reported and worked around from the manager's memory.
 */
export class FleetStore {
  private downUntil = 0;

  constructor(
    private readonly store: TokenStore,
    private readonly settings: FleetStoreSettings,
  ) {}

  async get(key: string): Promise<AccessToken | undefined> {
    if (this.isDown()) return undefined;
    const value = await this.run('get', key, () => this.store.get(key), undefined);
    return looksLikeToken(value) ? value : undefined;
  }

  async set(key: string, token: AccessToken, ttlMs: number): Promise<void> {
    if (!this.isDown()) await this.run('set', key, () => this.store.set(key, token, ttlMs), undefined);
  }

  // Deletes are tried even while the store looks down: a stale token left behind would come back.
  async delete(key: string): Promise<void> {
    await this.run('delete', key, () => this.store.delete(key), undefined);
  }

  async clear(prefix: string): Promise<void> {
    const clear = this.store.clear?.bind(this.store);
    if (clear !== undefined) await this.run('clear', undefined, () => clear(prefix), undefined);
  }

  async acquireLock(key: string, ttlMs: number): Promise<LockResult> {
    const acquire = this.store.acquireLock?.bind(this.store);
    if (acquire === undefined || this.isDown()) return 'unavailable';
    const release = await this.run<ReleaseLock | undefined | 'unavailable'>(
      'lock',
      key,
      () => acquire(key, ttlMs),
      'unavailable',
    );
    if (release === 'unavailable') return release;
    return typeof release === 'function' ? release : 'busy';
  }

  async release(key: string, release: ReleaseLock): Promise<void> {
    await this.run('unlock', key, release, undefined);
  }

  private isDown(): boolean {
    return this.settings.clock() < this.downUntil;
  }

  private async run<T>(
    operation: StoreOperation,
    key: string | undefined,
    action: () => Promise<T>,
    fallback: T,
  ): Promise<T> {
    const { timeoutMs, signal } = this.settings;
    try {
      return await withTimeout(
        Promise.resolve().then(action),
        timeoutMs,
        signal,
        () => new Error(`the token store did not answer ${operation} within ${timeoutMs} ms`),
      );
    } catch (error) {
      // Closing cut it short: not a store failure, and the caller is going away.
      if (signal.aborted) return fallback;
      this.downUntil = this.settings.clock() + STORE_COOLDOWN_MS;
      this.settings.onError(operation, key, error);
      return fallback;
    }
  }
}

export interface FleetLockOptions {
  ttlMs: number;
  waitMs: number;
  pollMs: number;
  /** Whether a token read from the store spares the fetch (valid and not yet due). */
  isFresh(token: AccessToken): boolean;
}

export interface FleetLockOutcome {
  /** Another instance's token, fresh enough to use: no fetch needed. */
  token?: AccessToken | undefined;
  /** The lock to fetch under, when this instance took it. */
  release?: ReleaseLock | undefined;
  /** The last token the store held, fresh or not: its refresh token is the newest one. */
  seen?: AccessToken | undefined;
}

/**
 * Lets one instance of a fleet fetch per key. When another holds the lock, poll the store for the
 * token it writes and try the lock again on each look: a holder that died leaves its lock to
 * expire, and then one waiter takes over instead of every instance fetching. After `waitMs`,
 * fetch anyway. A store without a lock (or one that failed) leaves every instance to fetch for
 * itself.
 */
export async function lockOrWait(
  store: FleetStore,
  flight: Flight,
  options: FleetLockOptions,
): Promise<FleetLockOutcome> {
  const { key, signal, keepalive } = flight;
  let seen: AccessToken | undefined;
  const readFresh = async (): Promise<AccessToken | undefined> => {
    seen = (await store.get(key)) ?? seen;
    return seen !== undefined && options.isFresh(seen) ? seen : undefined;
  };
  // A caller that missed has just read the store; a background refresh has not.
  if (flight.background) {
    const token = await readFresh();
    if (token !== undefined) return { token, seen };
  }
  const polls = Math.ceil(options.waitMs / options.pollMs);
  for (let poll = 0; ; poll++) {
    const lock = await store.acquireLock(key, options.ttlMs);
    if (lock === 'unavailable') return { seen };
    if (lock !== 'busy') {
      // The last holder may have written its token between our read and our lock.
      const token = await readFresh();
      if (token === undefined) return { release: lock, seen };
      await store.release(key, lock);
      return { token, seen };
    }
    if (poll >= polls) return { seen };
    await delay(options.pollMs, signal, keepalive);
    const token = await readFresh();
    if (token !== undefined) return { token, seen };
  }
}
