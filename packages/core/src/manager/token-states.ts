import type { AccessToken } from '../token';

/**
 * Why a minute (smithy's `EXPIRATION_MS` plays the same part): the providers issue 15-minute
 * tokens, and a token handed out seconds before it expires can die on its way to the API, queued
 * behind a slow request or retried by the caller. A minute leaves room for that and for the
 * refresh's own retries, while throwing away less than 7% of each token's life.
 */
export const DEFAULT_REFRESH_BEFORE_SECONDS = 60;

/**
 * The last token asked about, its window and its answers: a cache hit asks about the same token
 * again and again, and then reads neither of its dates.
 */
let lastToken: AccessToken | undefined;
let lastRefreshBeforeMs = 0;
let lastRefreshAt = 0;
let lastExpiresAt = 0;

/** Remembers `token`'s expiry and refresh instant (for `refreshBeforeMs`) unless they are the ones remembered. */
function remember(token: AccessToken, refreshBeforeMs: number): void {
  if (token === lastToken && refreshBeforeMs === lastRefreshBeforeMs) return;
  const expiresAt = token.expiresAt.getTime();
  lastRefreshAt = expiresAt - Math.min(refreshBeforeMs, (expiresAt - token.issuedAt.getTime()) / 2);
  lastExpiresAt = expiresAt;
  lastToken = token;
  lastRefreshBeforeMs = refreshBeforeMs;
}

/**
 * When a token becomes due for refresh. A token living less than twice the window would be due
 * the moment it arrives, so it is due at half its life instead.
 */
export function refreshAt(token: AccessToken, refreshBeforeMs: number): number {
  remember(token, refreshBeforeMs);
  return lastRefreshAt;
}

/**
 * What a cached token is worth now. `fresh`: serve it. `due`: serve it, and refresh it in the
 * background. `expired` (kept for its refresh token) or `missing`: wait for a flight.
 */
export type TokenState = 'fresh' | 'due' | 'expired' | 'missing';

export function tokenState(token: AccessToken | undefined, now: number, refreshBeforeMs: number): TokenState {
  if (token === undefined) return 'missing';
  remember(token, refreshBeforeMs);
  if (now >= lastExpiresAt) return 'expired';
  return now < lastRefreshAt ? 'fresh' : 'due';
}

export function isUsable(token: AccessToken, now: number): boolean {
  return now < token.expiresAt.getTime();
}

export function isFresh(token: AccessToken, now: number, refreshBeforeMs: number): boolean {
  return now < refreshAt(token, refreshBeforeMs);
}

/** A refresh token that is still good, to send with the next B2B2C fetch. */
export function usableRefreshToken(token: AccessToken | undefined, now: number): string | undefined {
  if (token?.refreshToken === undefined) return undefined;
  const until = token.refreshTokenExpiresAt?.getTime();
  return until === undefined || now < until ? token.refreshToken : undefined;
}

/**
 * How long a store keeps an entry: an expired access token is still worth keeping while its
 * refresh token can buy the next one without the customer binding again.
 */
export function retentionMs(token: AccessToken, now: number): number {
  const refreshUntil = token.refreshToken === undefined ? 0 : (token.refreshTokenExpiresAt?.getTime() ?? 0);
  return Math.max(token.expiresAt.getTime(), refreshUntil) - now;
}

/** Of two tokens for one key, the one that lives longer: it came from the later response. */
export function newerToken(a: AccessToken | undefined, b: AccessToken | undefined): AccessToken | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return b.expiresAt.getTime() > a.expiresAt.getTime() ? b : a;
}
