import type { AccessToken } from '../token';

/** Gives a fleet lock back; it must only delete the lock when this caller still holds it. */
export type ReleaseLock = () => Promise<void>;

/**
 * Where a TokenManager keeps tokens. The default is an in-process LRU (`MemoryTokenStore`); a store
 * outside the process (Redis) lets a fleet share one token per key. Stores hold `AccessToken`
 * objects: one outside the process keeps them with `serializeAccessToken` and reads them back
 * with `deserializeAccessToken`.
 */
export interface TokenStore {
  get(key: string): Promise<AccessToken | undefined>;
  /** `ttlMs` is how long the entry is worth keeping (it can outlive the access token: see the docs). */
  set(key: string, token: AccessToken, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every key that starts with `prefix` (every key when it is omitted). */
  clear?(prefix?: string): Promise<void>;
  /**
   * For fleets: takes the lock for `key` for at most `ttlMs` and resolves its release function, or
   * undefined when another holder has it. On Redis: `SET lock:key <random> NX PX ttlMs`, and a
   * release that deletes the lock only if it still holds that random value (a Lua check-and-delete).
   */
  acquireLock?(key: string, ttlMs: number): Promise<ReleaseLock | undefined>;
}
