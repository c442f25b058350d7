import type { AccessToken } from '../token';
import type { GuardedStore } from './guarded-store';
import type { ReleaseLock } from './store';
import { delay, type Keepalive } from './timers';

export interface FleetLockOptions {
  ttlMs: number;
  waitMs: number;
  pollMs: number;
  /** Whether a token read from the store spares the fetch (valid and not yet due). */
  isFresh(token: AccessToken): boolean;
  /** Whether a caller awaits the lock: then the polls hold the process. */
  keepalive: Keepalive;
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
  store: GuardedStore,
  key: string,
  options: FleetLockOptions,
  signal: AbortSignal,
  readFirst: boolean,
): Promise<FleetLockOutcome> {
  let seen: AccessToken | undefined;
  const readFresh = async (): Promise<AccessToken | undefined> => {
    seen = (await store.get(key)) ?? seen;
    return seen !== undefined && options.isFresh(seen) ? seen : undefined;
  };
  if (readFirst) {
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
    await delay(options.pollMs, signal, options.keepalive);
    const token = await readFresh();
    if (token !== undefined) return { token, seen };
  }
}
