import { AuthError } from './errors';
import type { TokenRequest } from './provider';

const MAX_GRANT_LENGTH = 2048;

function grantProblem(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') return `${name} must be a non-empty string`;
  if (value.length > MAX_GRANT_LENGTH || !/^[\x21-\x7e]+$/.test(value))
    return `${name} must be at most ${MAX_GRANT_LENGTH} visible ASCII characters`;
  return undefined;
}

/**
 * A caller's request checked before anything is signed or sent: by a provider's `fetchToken`, and
 * by the TokenManager before an auth code becomes part of a cache key.
 */
export function checkTokenRequest(
  provider: string,
  request: unknown,
  supportsCustomerTokens: boolean,
  method = 'fetchToken',
): TokenRequest {
  const reject = (problem: string): AuthError =>
    new AuthError('REQUEST_REJECTED', `${provider}: ${method} was called with a bad request: ${problem}.`, {
      provider,
    });
  if (request === undefined || request === null) return {};
  if (typeof request !== 'object' || Array.isArray(request)) throw reject('the request must be an object');
  const { authCode, refreshToken } = request as Record<string, unknown>;
  const problem = grantProblem('authCode', authCode) ?? grantProblem('refreshToken', refreshToken);
  if (problem !== undefined) throw reject(problem);
  if (!supportsCustomerTokens && (authCode !== undefined || refreshToken !== undefined)) {
    throw reject(`${provider} has no customer (B2B2C) tokens, so it takes no authCode or refreshToken`);
  }
  if (refreshToken !== undefined && authCode === undefined)
    throw reject('a refreshToken needs the authCode it belongs to');
  return {
    ...(authCode !== undefined ? { authCode: authCode as string } : {}),
    ...(refreshToken !== undefined ? { refreshToken: refreshToken as string } : {}),
  };
}
