import { asAuthError, type AuthError } from '../errors';
import type { FetchOptions, ResponseInfo, TokenProvider, TokenRequest } from '../provider';
import type { AccessToken } from '../token';
import type { ClockSkew } from './clock-skew';
import { retryDelay } from './retry';
import type { ResolvedRetryOptions } from './retry';
import { delay, raceSignal, type Keepalive } from './timers';

export interface RecoveryContext {
  provider: TokenProvider;
  retry: ResolvedRetryOptions;
  skew: ClockSkew;
  clock: () => number;
  random: () => number;
  /** Whether a caller awaits this request: then its retry waits hold the process. */
  keepalive: Keepalive;
  onAttempt(attempt: number, clockOffsetMs: number): void;
  onRetry(error: AuthError, delayMs: number, attempt: number): void;
}

/**
 * One shared request: the provider call and the three ways out of a failure. A rejected timestamp
 * is retried once with the corrected clock offset; a rejected refresh token once with the auth
 * code alone; a retryable error with backoff, within `attempts` and before `deadline`.
 */
export async function fetchWithRecovery(
  context: RecoveryContext,
  request: TokenRequest,
  signal: AbortSignal,
  deadline: number,
): Promise<{ token: AccessToken; attempts: number }> {
  const { provider, skew } = context;
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
    context.onAttempt(attempt, clockOffsetMs);
    try {
      const token = await raceSignal(provider.fetchToken(current, options), signal);
      return { token, attempts: attempt };
    } catch (caught) {
      if (signal.aborted) throw signal.reason;
      const error = asAuthError(caught, provider.provider);
      if (error.code === 'TIMESTAMP_REJECTED' && !skewCorrected) {
        skewCorrected = true;
        if (error.serverDate !== undefined) skew.record(error.serverDate, answer?.receivedAt.getTime() ?? context.clock());
        // Without a new measurement the same timestamp would be refused again.
        if (skew.offsetMs !== clockOffsetMs) continue;
      }
      if (error.code === 'GRANT_REJECTED' && !grantRetried && current.refreshToken !== undefined && current.authCode !== undefined) {
        grantRetried = true;
        current = { authCode: current.authCode };
        continue;
      }
      if (!error.retryable || ++failures >= context.retry.attempts) throw error;
      const wait = retryDelay(error, failures - 1, context.retry, context.random);
      // A Retry-After beyond the deadline cannot be honoured: retrying sooner would only be refused again.
      if (context.clock() + wait >= deadline) throw error;
      context.onRetry(error, wait, attempt);
      await delay(wait, signal, context.keepalive);
    }
  }
}
