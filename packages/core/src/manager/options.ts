import { AuthError } from '../errors';
import {
  checkOptions,
  func,
  integer,
  methods,
  milliseconds,
  number,
  object,
  orFalse,
  type OptionsSchema,
} from '../options-check';
import { DEFAULT_RETRY, type ResolvedRetryOptions, type RetryOptions } from './fetcher';
import type { Logger } from './logger';
import { DEFAULT_MAX_ENTRIES, DEFAULT_REFRESH_BEFORE_SECONDS, MAX_MAX_ENTRIES } from './memory-store';
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

/**
 * Every option's type and range. A timer's milliseconds stop at `MAX_TIMER_MS` (a longer
 * `setTimeout` fires at once); a zero where a wait repeats would be a busy loop; counts are whole.
 */
const OPTIONS: OptionsSchema<TokenManagerOptions> = {
  refreshBeforeSeconds: number(0, Math.floor(Number.MAX_SAFE_INTEGER / 1000)),
  store: methods('a TokenStore', ['get', 'set', 'delete'], ['clear', 'acquireLock']),
  maxEntries: integer(1, MAX_MAX_ENTRIES),
  fetchTimeoutMs: milliseconds(1),
  retry: orFalse(
    object<RetryOptions>({
      attempts: integer(1, Number.MAX_SAFE_INTEGER),
      baseDelayMs: milliseconds(0),
      maxDelayMs: milliseconds(0),
    }),
  ),
  refreshBackoff: object<NonNullable<TokenManagerOptions['refreshBackoff']>>({
    baseDelayMs: milliseconds(1),
    maxDelayMs: milliseconds(1),
  }),
  lock: object<NonNullable<TokenManagerOptions['lock']>>({ waitMs: milliseconds(0), pollMs: milliseconds(1) }),
  storeTimeoutMs: milliseconds(1),
  clock: func,
  random: func,
  logger: methods('a Logger', ['debug', 'info', 'warn', 'error']),
};

/** The options with every default filled in; one CONFIG_INVALID lists every problem. */
export function resolveOptions(provider: string, options: TokenManagerOptions = {}): ResolvedOptions {
  const problems = checkOptions(options, OPTIONS);
  if (problems.length > 0) {
    throw new AuthError('CONFIG_INVALID', `Invalid TokenManager options for ${provider}: ${problems.join('; ')}.`, {
      provider,
    });
  }
  // Field by field: `{ attempts: undefined }` means the default, as an absent field does.
  const retry = options.retry === false ? { attempts: 1 } : (options.retry ?? {});
  return {
    refreshBeforeMs: (options.refreshBeforeSeconds ?? DEFAULT_REFRESH_BEFORE_SECONDS) * 1000,
    store: options.store,
    maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    fetchTimeoutMs: options.fetchTimeoutMs ?? 30_000,
    retry: {
      attempts: retry.attempts ?? DEFAULT_RETRY.attempts,
      baseDelayMs: retry.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
      maxDelayMs: retry.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    },
    refreshBackoff: {
      baseDelayMs: options.refreshBackoff?.baseDelayMs ?? 1_000,
      maxDelayMs: options.refreshBackoff?.maxDelayMs ?? 60_000,
    },
    lock: { waitMs: options.lock?.waitMs ?? 5_000, pollMs: options.lock?.pollMs ?? 100 },
    storeTimeoutMs: options.storeTimeoutMs ?? 1_000,
    clock: options.clock ?? Date.now,
    random: options.random ?? Math.random,
    logger: options.logger,
  };
}
