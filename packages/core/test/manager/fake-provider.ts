import { AuthError } from '../../src/errors';
import type { AuthErrorCode, AuthErrorOptions } from '../../src/errors';
import type { FailedResponse, FetchOptions, TokenProvider, TokenRejection, TokenRequest } from '../../src/provider';
import { createAccessToken } from '../../src/token';
import type { AccessToken } from '../../src/token';
import type { Deferred } from '../../test-kit/deferred';

export interface TokenSpec {
  value?: string;
  lifetimeMs?: number;
  issuedAt?: number;
  refreshToken?: string;
  refreshTokenLifetimeMs?: number;
}

let serial = 0;

/** A token issued now (the fake clock) with a long, unmistakable secret value. */
export function makeToken(spec: TokenSpec = {}): AccessToken {
  const issuedAt = spec.issuedAt ?? Date.now();
  const lifetimeMs = spec.lifetimeMs ?? 900_000;
  return createAccessToken({
    accessToken: spec.value ?? `SECRETACCESS${++serial}-${'x'.repeat(24)}`,
    tokenType: 'Bearer',
    expiresIn: lifetimeMs / 1000,
    expiresAt: new Date(issuedAt + lifetimeMs),
    issuedAt: new Date(issuedAt),
    refreshToken: spec.refreshToken,
    refreshTokenExpiresAt:
      spec.refreshTokenLifetimeMs === undefined ? undefined : new Date(issuedAt + spec.refreshTokenLifetimeMs),
    provider: 'pivot-snap',
    responseCode: '2007300',
    responseMessage: 'Successful',
  });
}

export function authError(code: AuthErrorCode, options: Partial<AuthErrorOptions> = {}): AuthError {
  return new AuthError(code, `pivot-snap: scripted ${code}`, { provider: 'pivot-snap', ...options });
}

export interface Call {
  request: TokenRequest | undefined;
  options: FetchOptions | undefined;
  at: number;
}

type Step = AccessToken | Error | Deferred<AccessToken> | ((call: Call) => Promise<AccessToken>);

/** A TokenProvider that records its calls and answers from a script (then with fresh tokens). */
export class FakeProvider implements TokenProvider {
  readonly provider = 'pivot-snap';
  readonly calls: Call[] = [];
  readonly tokenPaths = ['/open-api/v1/access-token/b2b', '/v1/access-token'];
  private readonly steps: Step[] = [];

  constructor(
    readonly clientId = 'client-1',
    readonly supportsCustomerTokens = true,
    private readonly fresh: (call: Call) => AccessToken = () => makeToken(),
  ) {}

  /** Answers for the next calls, in order. */
  script(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  /** SNAP's codes: 401 + service + case 01/03 (the B2B token) or 02/04 (the customer's). */
  isTokenRejected(response: FailedResponse): TokenRejection {
    const code = (response.body as { responseCode?: unknown } | null)?.responseCode;
    const match = typeof code === 'string' ? /^401\d{2}0([1-4])$/.exec(code) : null;
    if (match === null) return false;
    return match[1] === '1' || match[1] === '3' ? 'access' : 'customer';
  }

  fetchToken(request?: TokenRequest, options?: FetchOptions): Promise<AccessToken> {
    const call: Call = { request, options, at: Date.now() };
    this.calls.push(call);
    const step = this.steps.shift();
    if (step === undefined) return Promise.resolve(this.fresh(call));
    if (typeof step === 'function') return step(call);
    if (step instanceof Error) return Promise.reject(step);
    if ('promise' in step) return step.promise;
    return Promise.resolve(step);
  }
}

/** Lets pending promise callbacks run (no timers advance). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 100; i++) await Promise.resolve();
}
