import { AuthError } from '../errors';

/** Thrown by `getToken` after `close()`: using a closed manager is a bug in the caller, not a provider failure. */
export class TokenManagerClosedError extends Error {
  override readonly name = 'TokenManagerClosedError';
  readonly code = 'MANAGER_CLOSED';

  constructor(readonly provider: string) {
    super(`The TokenManager for ${provider} is closed; create a new one to get tokens again.`);
  }
}

export function abandonedError(provider: string, reason: unknown): AuthError {
  return new AuthError('TIMEOUT', `${provider}: the caller's AbortSignal ended its wait for a token (the shared request goes on).`, {
    provider,
    cause: reason,
  });
}

export function sharedTimeoutError(provider: string, fetchTimeoutMs: number): AuthError {
  return new AuthError('TIMEOUT', `${provider}: no token within ${fetchTimeoutMs} ms (fetchTimeoutMs, every attempt included).`, {
    provider,
  });
}
