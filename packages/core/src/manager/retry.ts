import type { AuthError } from '../errors';

export interface RetryOptions {
  /** Attempts in all, the first one included, for a retryable error. Default 3. */
  attempts?: number | undefined;
  /** The first retry waits up to this long; each later one up to twice the one before. Default 200. */
  baseDelayMs?: number | undefined;
  /** No backoff wait is longer than this (a `Retry-After` may be). Default 5,000. */
  maxDelayMs?: number | undefined;
}

/** Retry options with every default filled in. */
export type ResolvedRetryOptions = { [K in keyof RetryOptions]-?: NonNullable<RetryOptions[K]> };

export const DEFAULT_RETRY: ResolvedRetryOptions = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Full jitter: a random wait between zero and the exponential cap. A fleet whose tokens expired
 * together would otherwise retry in synchronized waves against a provider that is already struggling.
 */
export function backoffDelay(retry: number, options: ResolvedRetryOptions, random: () => number): number {
  return Math.floor(random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry));
}

/** The wait before retry number `retry` (0 for the first): the provider's `Retry-After` wins over the backoff. */
export function retryDelay(error: AuthError, retry: number, options: ResolvedRetryOptions, random: () => number): number {
  return error.retryAfterMs ?? backoffDelay(retry, options, random);
}
