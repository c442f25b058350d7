import { asAuthError } from '../errors';
import type { FetchOptions, ResponseInfo, TokenProvider, TokenRequest } from '../provider';
import { createAccessToken, type AccessToken } from '../token';
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

/** A `Date` header counts whole seconds: a smaller difference is its rounding, not skew. */
export const SKEW_NOISE_MS = 1_000;

/** A refresh token that is still good, to send with the next B2B2C fetch. */
function usableRefreshToken(token: AccessToken | undefined, now: number): string | undefined {
  if (token?.refreshToken === undefined) return undefined;
  const until = token.refreshTokenExpiresAt?.getTime();
  return until === undefined || now < until ? token.refreshToken : undefined;
}

/**
 * Gets one token from the provider for a flight: the request it sends (the newest refresh token),
 * the retries (a rejected timestamp once with the corrected clock offset, a rejected refresh token
 * once with the auth code alone, a retryable error with backoff), and the clock offset it learns
 * from the provider's `Date` headers.
 */
export class TokenFetcher {
  private offsetMs = 0;

  constructor(
    private readonly provider: TokenProvider,
    private readonly retry: ResolvedRetryOptions,
    private readonly clock: () => number,
    private readonly random: () => number,
    private readonly reporter: Reporter,
  ) {}

  /** Added to the local clock for signed timestamps (`FetchOptions.clockOffsetMs`). */
  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  /**
   * The flight's token. `lastToken` is the key's last token, expired or not: its refresh token,
   * the newest, wins over one the caller passed in (the provider may have rotated it).
   */
  async fetch(
    flight: Flight,
    request: TokenRequest | undefined,
    lastToken: AccessToken | undefined,
  ): Promise<{ token: AccessToken; attempts: number }> {
    const { key, signal } = flight;
    let current = this.firstRequest(request, lastToken);
    let attempt = 0;
    let failures = 0;
    let skewCorrected = false;
    let grantRetried = false;
    for (;;) {
      attempt++;
      const clockOffsetMs = this.offsetMs;
      let answer: ResponseInfo | undefined;
      const options: FetchOptions = {
        signal,
        clockOffsetMs,
        attempt,
        onResponse: (info) => {
          answer = info;
          if (info.serverDate !== undefined) this.measureSkew(info.serverDate, info.receivedAt.getTime());
        },
      };
      this.reporter.fetchStarted(key, attempt, flight.background, clockOffsetMs);
      try {
        const token = await raceSignal(this.provider.fetchToken(current, options), signal);
        return { token: keepRefreshToken(token, current, lastToken), attempts: attempt };
      } catch (caught) {
        if (signal.aborted) throw signal.reason;
        const error = asAuthError(caught, this.provider.provider);
        if (error.code === 'TIMESTAMP_REJECTED' && !skewCorrected) {
          skewCorrected = true;
          if (error.serverDate !== undefined)
            this.measureSkew(error.serverDate, answer?.receivedAt.getTime() ?? this.clock());
          // Without a new measurement the same timestamp would be refused again.
          if (this.offsetMs !== clockOffsetMs) {
            this.reporter.retrying(key, error, 0, attempt);
            continue;
          }
        }
        if (
          error.code === 'GRANT_REJECTED' &&
          !grantRetried &&
          current.refreshToken !== undefined &&
          current.authCode !== undefined
        ) {
          grantRetried = true;
          current = { authCode: current.authCode };
          this.reporter.retrying(key, error, 0, attempt);
          continue;
        }
        if (!error.retryable || ++failures >= this.retry.attempts) throw error;
        const wait = error.retryAfterMs ?? backoffDelay(failures - 1, this.retry, this.random);
        // A Retry-After beyond the deadline cannot be honoured: retrying sooner would only be refused again.
        if (this.clock() + wait >= flight.deadline) throw error;
        this.reporter.retrying(key, error, wait, attempt);
        await delay(wait, signal, flight.keepalive);
      }
    }
  }

  private firstRequest(request: TokenRequest | undefined, lastToken: AccessToken | undefined): TokenRequest {
    const authCode = request?.authCode;
    if (authCode === undefined) return {};
    const refreshToken = usableRefreshToken(lastToken, this.clock()) ?? request?.refreshToken;
    return refreshToken === undefined ? { authCode } : { authCode, refreshToken };
  }

  private measureSkew(serverDate: Date, receivedAt: number): void {
    const measured = serverDate.getTime() - receivedAt;
    if (!Number.isFinite(measured)) return;
    this.offsetMs = Math.abs(measured) > SKEW_NOISE_MS ? measured : 0;
  }
}

/**
 * A refresh answer without a refresh token leaves the one it was sent with in force (RFC 6749 §6):
 * the token keeps it, so that the next refresh sends it rather than an older one.
 */
function keepRefreshToken(token: AccessToken, sent: TokenRequest, lastToken: AccessToken | undefined): AccessToken {
  const refreshToken = sent.refreshToken;
  if (token.refreshToken !== undefined || refreshToken === undefined) return token;
  const refreshTokenExpiresAt = lastToken?.refreshToken === refreshToken ? lastToken.refreshTokenExpiresAt : undefined;
  return createAccessToken({ ...token, refreshToken, refreshTokenExpiresAt });
}
