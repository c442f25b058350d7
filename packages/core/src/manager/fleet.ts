import { traceStoreLock, traceStoreOperation, type DiagnosticsOwner } from '../diagnostics';
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
  /** Whose store operations: the diagnostics channels name the provider. */
  owner: DiagnosticsOwner;
  /** The longest one store operation may take. */
  timeoutMs: number;
  /** How long the lock is held at most (the flight's deadline and the write after it). */
  lockTtlMs: number;
  /** How long to wait for another instance's token, and how often to look. */
  lockWaitMs: number;
  lockPollMs: number;
  clock: () => number;
  onError(operation: StoreOperation, key: string | undefined, error: unknown): void;
}

/** What the store had for a flight's key: a token to use, or the lock to fetch under, or neither. */
export interface FleetLookup {
  /** A token the flight can use (its `acceptable` said so): no fetch needed. */
  token?: AccessToken | undefined;
  /** The lock to fetch under, when this instance took it. */
  release?: ReleaseLock | undefined;
  /** The last token the store held, usable or not: its refresh token is the newest one. */
  seen?: AccessToken | undefined;
  /** Another instance held the lock at least once: this one waited for it. */
  waited?: boolean | undefined;
}

function looksLikeToken(value: unknown): value is AccessToken {
  const token = value as Partial<AccessToken> | undefined;
  return typeof token?.accessToken === 'string' && token.expiresAt instanceof Date && token.issuedAt instanceof Date;
}

/**
 * The store a fleet shares (Redis), guarded: it never throws and never hangs; each failure is
 * reported and worked around from the manager's memory. Every operation goes through `run`.
 */
export class FleetStore {
  private downUntil = 0;
  /** Aborted by `close()`: no store timer outlives the manager. */
  private readonly closing = new AbortController();

  constructor(
    private readonly store: TokenStore,
    private readonly settings: FleetStoreSettings,
  ) {}

  /** Ends every store operation in progress; later ones give up at once. */
  close(): void {
    this.closing.abort();
  }

  /**
   * For one flight (one per key in this process, so one read per key however many callers
   * missed): the stored token when `acceptable`; else the key's lock, or, while another instance
   * holds it, the token it writes. A holder that died leaves its lock to expire, and then one
   * waiter takes over instead of every instance fetching. After `lockWaitMs`, or with a store
   * without a lock (or one that failed), the flight fetches for itself.
   */
  async findOrLock(flight: Flight, acceptable: (token: AccessToken) => boolean): Promise<FleetLookup> {
    const { key, signal, keepalive } = flight;
    let seen: AccessToken | undefined;
    const read = async (): Promise<AccessToken | undefined> => {
      seen = (await this.get(key)) ?? seen;
      return seen !== undefined && acceptable(seen) ? seen : undefined;
    };
    const stored = await read();
    if (stored !== undefined) return { token: stored, seen };
    // The lock step (the polls for the holder's token included) is traced; a store without a lock has none.
    if (this.store.acquireLock === undefined) return { seen };
    const found = await traceStoreLock(this.settings.owner, key, () => this.lockOrWait(key, signal, keepalive, read));
    return { ...found, seen };
  }

  /** The key's lock, or the token the instance holding it writes; neither once the wait ran out. */
  private async lockOrWait(
    key: string,
    signal: AbortSignal,
    keepalive: Flight['keepalive'],
    read: () => Promise<AccessToken | undefined>,
  ): Promise<FleetLookup> {
    const polls = Math.ceil(this.settings.lockWaitMs / this.settings.lockPollMs);
    for (let poll = 0; ; poll++) {
      const waited = poll > 0;
      const lock = await this.acquireLock(key, this.settings.lockTtlMs);
      if (lock === 'unavailable') return { waited };
      if (lock !== 'busy') {
        // The last holder may have written its token between our read and our lock.
        const token = await read();
        if (token === undefined) return { release: lock, waited };
        await this.release(key, lock);
        return { token, waited };
      }
      if (poll >= polls) return { waited };
      await delay(this.settings.lockPollMs, signal, keepalive);
      const token = await read();
      if (token !== undefined) return { token, waited: true };
    }
  }

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

  private async acquireLock(key: string, ttlMs: number): Promise<LockResult> {
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
    const { timeoutMs } = this.settings;
    const signal = this.closing.signal;
    try {
      return await traceStoreOperation(this.settings.owner, operation, key, () =>
        withTimeout(
          Promise.resolve().then(action),
          timeoutMs,
          signal,
          () => new Error(`the token store did not answer ${operation} within ${timeoutMs} ms`),
        ),
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
