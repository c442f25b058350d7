import { sanitizeCause } from './redact';

/** Every failure kunci reports carries one of these codes (see docs/errors.md). */
/** The provider an error names when it comes from kunci itself: a config file, a store, before any provider is known. */
export const KUNCI = 'kunci';

export const AuthErrorCode = {
  CONFIG_INVALID: 'CONFIG_INVALID',
  CREDENTIALS_REJECTED: 'CREDENTIALS_REJECTED',
  SIGNATURE_REJECTED: 'SIGNATURE_REJECTED',
  TIMESTAMP_REJECTED: 'TIMESTAMP_REJECTED',
  REQUEST_REJECTED: 'REQUEST_REJECTED',
  GRANT_REJECTED: 'GRANT_REJECTED',
  ACCESS_DENIED: 'ACCESS_DENIED',
  RATE_LIMITED: 'RATE_LIMITED',
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  TIMEOUT: 'TIMEOUT',
  NETWORK: 'NETWORK',
  RESPONSE_INVALID: 'RESPONSE_INVALID',
  /** Inbound: a notification already accepted (its `X-EXTERNAL-ID` or its signature) came again. */
  REPLAY_REJECTED: 'REPLAY_REJECTED',
} as const;
export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

export const AUTH_ERROR_CODES: readonly AuthErrorCode[] = Object.values(AuthErrorCode);

const RETRYABLE: ReadonlySet<AuthErrorCode> = new Set<AuthErrorCode>([
  'RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
  'TIMEOUT',
  'NETWORK',
]);

export function isRetryableCode(code: AuthErrorCode): boolean {
  return RETRYABLE.has(code);
}

// A well-known symbol, so that two copies of this module in one process (ESM and CJS builds, two
// versions in node_modules) still recognise each other's errors.
const BRAND = Symbol.for('kunci.AuthError');

export interface AuthErrorOptions {
  provider: string;
  status?: number | undefined;
  providerCode?: string | undefined;
  providerMessage?: string | undefined;
  /** Anything useful about the failure; it is sanitized (token fields and secrets dropped) first. */
  cause?: unknown;
  /** From a `Retry-After` header, in milliseconds. */
  retryAfterMs?: number | undefined;
  /** The provider's `Date` header, to measure clock skew. */
  serverDate?: Date | undefined;
}

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;
  readonly provider: string;
  readonly status?: number | undefined;
  readonly providerCode?: string | undefined;
  readonly providerMessage?: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs?: number | undefined;
  readonly serverDate?: Date | undefined;
  declare readonly cause?: unknown;

  constructor(code: AuthErrorCode, message: string, options: AuthErrorOptions) {
    super(message);
    this.code = code;
    this.provider = options.provider;
    this.retryable = isRetryableCode(code);
    if (options.status !== undefined) this.status = options.status;
    if (options.providerCode !== undefined) this.providerCode = options.providerCode;
    if (options.providerMessage !== undefined) this.providerMessage = options.providerMessage;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.serverDate !== undefined) this.serverDate = options.serverDate;
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', {
        value: sanitizeCause(options.cause),
        enumerable: false,
        writable: false,
        configurable: true,
      });
    }
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      provider: this.provider,
      status: this.status,
      providerCode: this.providerCode,
      providerMessage: this.providerMessage,
      retryable: this.retryable,
    };
  }
}

Object.defineProperty(AuthError.prototype, BRAND, { value: true, enumerable: false });

/** True for an AuthError from any copy of kunci loaded in this process. */
export function isAuthError(value: unknown): value is AuthError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * The error as an AuthError: itself when it is one, else a RESPONSE_INVALID that keeps only its
 * sanitized name and message. A provider, ours or a user's, should only reject with AuthError.
 */
export function asAuthError(error: unknown, provider: string): AuthError {
  if (isAuthError(error)) return error;
  const name = error instanceof Error ? error.name : typeof error;
  return new AuthError(
    'RESPONSE_INVALID',
    `${provider}: unexpected failure while getting a token (a ${name}, not an AuthError).`,
    {
      provider,
      cause: error,
    },
  );
}
