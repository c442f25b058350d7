import { AuthError } from '../errors';
import type { Logger } from './logger';
import { DEFAULT_MAX_ENTRIES } from './memory-store';
import { DEFAULT_REFRESH_BEFORE_SECONDS } from './token-states';
import { DEFAULT_RETRY } from './fetch-with-retries';
import type { ResolvedRetryOptions, RetryOptions } from './fetch-with-retries';
import type { TokenStore } from './store';

export interface TokenManagerOptions {
  /** Refresh this long before expiry, or at half the token's life if that is sooner. Default 60. */
  refreshBeforeSeconds?: number | undefined;
  /** Where tokens live; default an in-memory LRU. A store outside the process gets a memory front. */
  store?: TokenStore | undefined;
  /** Entries in the in-memory LRU. Default 10,000. */
  maxEntries?: number | undefined;
  /** The longest one flight (one request for a key, every attempt, wait and lock included) may take. Default 30,000. */
  fetchTimeoutMs?: number | undefined;
  /** Retries of retryable errors; `false` for none. */
  retry?: RetryOptions | false | undefined;
  /** After a failed background refresh, wait this long before the next one (doubling each time). */
  refreshBackoff?: { baseDelayMs?: number | undefined; maxDelayMs?: number | undefined } | undefined;
  /** A store with a lock: how long to wait for another instance's token, and how often to look. */
  lock?: { waitMs?: number | undefined; pollMs?: number | undefined } | undefined;
  /** The longest one store operation may take before the manager works without it. Default 1,000. */
  storeTimeoutMs?: number | undefined;
  /** Milliseconds since the epoch; every expiry decision uses it. Default `Date.now`. */
  clock?: (() => number) | undefined;
  /** In [0, 1), for the retry jitter. Default `Math.random`. */
  random?: (() => number) | undefined;
  logger?: Logger | undefined;
}

export interface ResolvedOptions {
  refreshBeforeMs: number;
  store: TokenStore | undefined;
  maxEntries: number;
  fetchTimeoutMs: number;
  retry: ResolvedRetryOptions;
  refreshBackoff: { baseDelayMs: number; maxDelayMs: number };
  lock: { waitMs: number; pollMs: number };
  storeTimeoutMs: number;
  clock: () => number;
  random: () => number;
  logger: Logger | undefined;
}

// Each would mean a busy loop or a request sent twice at once; they go to one CONFIG_INVALID.
function check(problems: string[], path: string, value: number, min: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    problems.push(
      `${path} must be ${integer ? 'a whole number' : 'a number'} of at least ${min} (got ${String(value)})`,
    );
  }
  return value;
}

export function resolveOptions(provider: string, options: TokenManagerOptions = {}): ResolvedOptions {
  const problems: string[] = [];
  // Field by field: `{ attempts: undefined }` means the default, as an absent field does.
  const given = options.retry === false ? { attempts: 1 } : (options.retry ?? {});
  const retry = {
    attempts: given.attempts ?? DEFAULT_RETRY.attempts,
    baseDelayMs: given.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: given.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  };
  const resolved: ResolvedOptions = {
    refreshBeforeMs:
      check(problems, 'refreshBeforeSeconds', options.refreshBeforeSeconds ?? DEFAULT_REFRESH_BEFORE_SECONDS, 0) * 1000,
    store: options.store,
    maxEntries: check(problems, 'maxEntries', options.maxEntries ?? DEFAULT_MAX_ENTRIES, 1, true),
    fetchTimeoutMs: check(problems, 'fetchTimeoutMs', options.fetchTimeoutMs ?? 30_000, 1),
    retry: {
      attempts: check(problems, 'retry.attempts', retry.attempts, 1, true),
      baseDelayMs: check(problems, 'retry.baseDelayMs', retry.baseDelayMs, 0),
      maxDelayMs: check(problems, 'retry.maxDelayMs', retry.maxDelayMs, 0),
    },
    refreshBackoff: {
      baseDelayMs: check(problems, 'refreshBackoff.baseDelayMs', options.refreshBackoff?.baseDelayMs ?? 1_000, 1),
      maxDelayMs: check(problems, 'refreshBackoff.maxDelayMs', options.refreshBackoff?.maxDelayMs ?? 60_000, 1),
    },
    lock: {
      waitMs: check(problems, 'lock.waitMs', options.lock?.waitMs ?? 5_000, 0),
      pollMs: check(problems, 'lock.pollMs', options.lock?.pollMs ?? 100, 1),
    },
    storeTimeoutMs: check(problems, 'storeTimeoutMs', options.storeTimeoutMs ?? 1_000, 1),
    clock: options.clock ?? Date.now,
    random: options.random ?? Math.random,
    logger: options.logger,
  };
  if (problems.length > 0) {
    throw new AuthError('CONFIG_INVALID', `Invalid TokenManager options for ${provider}: ${problems.join('; ')}.`, {
      provider,
    });
  }
  return resolved;
}
