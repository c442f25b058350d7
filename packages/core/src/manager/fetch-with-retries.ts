import { asAuthError, type AuthError } from '../errors';
import type { FetchOptions, ResponseInfo, TokenProvider, TokenRequest } from '../provider';
import type { AccessToken } from '../token';
import type { Flight } from './flights';
import type { Reporter } from './reporter';
import { delay, raceSignal } from './timers';

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
function retryDelay(error: AuthError, retry: number, options: ResolvedRetryOptions, random: () => number): number {
  return error.retryAfterMs ?? backoffDelay(retry, options, random);
}

/** A `Date` header counts whole seconds: a smaller difference is its rounding, not skew. */
export const SKEW_NOISE_MS = 1_000;

/** The local clock's error against the provider's, measured from its `Date` headers. */
export class ClockSkew {
  /** Added to the local clock for signed timestamps (`FetchOptions.clockOffsetMs`). */
  offsetMs = 0;

  record(serverDate: Date, receivedAt: number): void {
    const measured = serverDate.getTime() - receivedAt;
    if (!Number.isFinite(measured)) return;
    this.offsetMs = Math.abs(measured) > SKEW_NOISE_MS ? measured : 0;
  }
}

/** What every fetch of one manager shares. */
export interface FetchSettings {
  provider: TokenProvider;
  retry: ResolvedRetryOptions;
  skew: ClockSkew;
  clock: () => number;
  random: () => number;
  report: Reporter;
}

/**
 * The provider call of one flight and the three ways out of a failure. A rejected timestamp is
 * retried once with the corrected clock offset; a rejected refresh token once with the auth code
 * alone; a retryable error with backoff, within `attempts` and before `deadline`.
 */
export async function fetchWithRetries(
  settings: FetchSettings,
  flight: Flight,
  request: TokenRequest,
  deadline: number,
): Promise<{ token: AccessToken; attempts: number }> {
  const { provider, skew, report } = settings;
  const { key, signal } = flight;
  let current = request;
  let attempt = 0;
  let failures = 0;
  let skewCorrected = false;
  let grantRetried = false;
  for (;;) {
    attempt++;
    const clockOffsetMs = skew.offsetMs;
    let answer: ResponseInfo | undefined;
    const options: FetchOptions = {
      signal,
      clockOffsetMs,
      onResponse: (info) => {
        answer = info;
        if (info.serverDate !== undefined) skew.record(info.serverDate, info.receivedAt.getTime());
      },
    };
    report.fetchStarted(key, attempt, flight.background, clockOffsetMs);
    try {
      const token = await raceSignal(provider.fetchToken(current, options), signal);
      return { token, attempts: attempt };
    } catch (caught) {
      if (signal.aborted) throw signal.reason;
      const error = asAuthError(caught, provider.provider);
      if (error.code === 'TIMESTAMP_REJECTED' && !skewCorrected) {
        skewCorrected = true;
        if (error.serverDate !== undefined)
          skew.record(error.serverDate, answer?.receivedAt.getTime() ?? settings.clock());
        // Without a new measurement the same timestamp would be refused again.
        if (skew.offsetMs !== clockOffsetMs) continue;
      }
      if (
        error.code === 'GRANT_REJECTED' &&
        !grantRetried &&
        current.refreshToken !== undefined &&
        current.authCode !== undefined
      ) {
        grantRetried = true;
        current = { authCode: current.authCode };
        continue;
      }
      if (!error.retryable || ++failures >= settings.retry.attempts) throw error;
      const wait = retryDelay(error, failures - 1, settings.retry, settings.random);
      // A Retry-After beyond the deadline cannot be honoured: retrying sooner would only be refused again.
      if (settings.clock() + wait >= deadline) throw error;
      report.retrying(key, error, wait, attempt);
      await delay(wait, signal, flight.keepalive);
    }
  }
}
