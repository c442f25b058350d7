import type { AccessToken } from '../token';
import type { StoreOperation } from './events';
import type { ReleaseLock, TokenStore } from './store';
import { withTimeout } from './timers';

/**
 * After a store failure, reads, writes and locks skip the store this long: with Redis down, each
 * cache miss would otherwise wait for its own timeout and report its own error.
 */
export const STORE_COOLDOWN_MS = 5_000;

export type LockResult = ReleaseLock | 'busy' | 'unavailable';

export interface GuardedStoreContext {
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

/** A shared store that never throws and never hangs: each failure is reported and worked around. */
export class GuardedStore {
  private downUntil = 0;

  constructor(
    private readonly store: TokenStore,
    private readonly context: GuardedStoreContext,
  ) {}

  get hasLock(): boolean {
    return typeof this.store.acquireLock === 'function';
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

  async acquireLock(key: string, ttlMs: number): Promise<LockResult> {
    const acquire = this.store.acquireLock?.bind(this.store);
    if (acquire === undefined || this.isDown()) return 'unavailable';
    const release = await this.run<ReleaseLock | undefined | 'unavailable'>('lock', key, () => acquire(key, ttlMs), 'unavailable');
    if (release === 'unavailable') return release;
    return typeof release === 'function' ? release : 'busy';
  }

  async release(key: string, release: ReleaseLock): Promise<void> {
    await this.run('unlock', key, release, undefined);
  }

  private isDown(): boolean {
    return this.context.clock() < this.downUntil;
  }

  private async run<T>(operation: StoreOperation, key: string | undefined, action: () => Promise<T>, fallback: T): Promise<T> {
    const { timeoutMs, signal } = this.context;
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
      this.downUntil = this.context.clock() + STORE_COOLDOWN_MS;
      this.context.onError(operation, key, error);
      return fallback;
    }
  }
}
