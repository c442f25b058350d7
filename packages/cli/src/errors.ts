import { isAuthError, type AuthError, type AuthErrorCode } from '@kunci/core';
import type { Io } from './io';

/** Documented exit codes. */
export const EXIT = Object.freeze({ OK: 0, FAILURE: 1, USAGE: 2 });

/** A wrong command line or a config that cannot work: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What to do about each code, for a person at a terminal during onboarding. */
export const LIKELY_CAUSE: Readonly<Record<AuthErrorCode, string>> = Object.freeze({
  CONFIG_INVALID:
    'The config cannot work as it is: fix each problem the message lists (docs/configuration.md describes every option).',
  CREDENTIALS_REJECTED:
    'The provider does not know this client id, or the secret is wrong: compare them with the onboarding email or dashboard, and check that baseUrl is the environment (sandbox or production) they belong to.',
  SIGNATURE_REJECTED:
    'The public key registered with the provider is not the half of privateKey: run `kunci check` and compare its fingerprint and Base64 with what the dashboard shows, then register the printed public key.',
  TIMESTAMP_REJECTED:
    'The local clock is off, or the provider wants another timestamp format: sync the clock (NTP), compare with the clock offset `kunci check` prints, and see the timestamp option.',
  REQUEST_REJECTED:
    'The provider called the request malformed: check the endpoint path options and the field it names.',
  GRANT_REJECTED:
    'The auth code (binding id) or refresh token is invalid or already used: bind the account again, or retry with the auth code alone.',
  ACCESS_DENIED:
    "Authenticated but not allowed: ask the provider to whitelist this machine's public IP and to enable the feature for this client.",
  RATE_LIMITED: 'Too many token requests: cache tokens with a TokenManager and retry later.',
  PROVIDER_UNAVAILABLE:
    'The provider or its gateway is failing: retry later; if it persists, check baseUrl (an HTML page often means a wrong host or path).',
  TIMEOUT: 'No answer in time: check that baseUrl is reachable from here (firewall, VPN, proxy) or raise timeoutMs.',
  NETWORK: 'The host could not be reached: check baseUrl, DNS, and the network path (proxy, VPN, firewall).',
  RESPONSE_INVALID:
    'The answer was not a token: check baseUrl and the path options (a wrong host often answers with a web page).',
  REPLAY_REJECTED:
    'The same request was sent twice: each one needs a new external id (its request id header) and a new signature.',
});

// Codes read from the HTTP status alone can come from a server that is not the provider at all.
const STATUS_ONLY: ReadonlySet<AuthErrorCode> = new Set<AuthErrorCode>([
  'CREDENTIALS_REJECTED',
  'SIGNATURE_REJECTED',
  'REQUEST_REJECTED',
  'ACCESS_DENIED',
]);

/** What to do about an error: its code's advice, led by the likelier cause when the answer was not the provider's. */
export function likelyCause(error: AuthError): string {
  if (error.status !== undefined && error.providerCode === undefined && STATUS_ONLY.has(error.code)) {
    return `The answer (HTTP ${error.status}) carried none of ${error.provider}'s response codes, so it may not come from ${error.provider}: check that baseUrl and the path options point at its API. If they do: ${LIKELY_CAUSE[error.code]}`;
  }
  return LIKELY_CAUSE[error.code];
}

/** The exit code of an error. */
function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (isAuthError(error)) return error.code === 'CONFIG_INVALID' ? EXIT.USAGE : EXIT.FAILURE;
  return EXIT.FAILURE;
}

/** An error as the one JSON object a `--json` command prints instead of text. */
export function errorJson(error: unknown): { error: Record<string, unknown> } {
  const exitCode = exitCodeOf(error);
  if (isAuthError(error)) {
    return {
      error: {
        code: error.code,
        message: error.message,
        ...(error.providerCode !== undefined ? { providerCode: error.providerCode } : {}),
        ...(error.status !== undefined ? { status: error.status } : {}),
        likelyCause: likelyCause(error),
        exitCode,
      },
    };
  }
  const code = error instanceof UsageError ? 'USAGE' : 'FAILURE';
  return { error: { code, message: error instanceof Error ? error.message : String(error), exitCode } };
}

/**
 * Reports an error and returns the exit code: with `json`, as one JSON object on stdout (nothing
 * on stderr); else on stderr with its code and what to do.
 */
export function reportError(io: Io, error: unknown, json = false): number {
  if (json) {
    io.out(`${JSON.stringify(errorJson(error))}\n`);
    return exitCodeOf(error);
  }
  if (error instanceof UsageError) {
    io.err(`kunci: ${error.message}\n`);
    return EXIT.USAGE;
  }
  if (isAuthError(error)) {
    io.err(`kunci: ${error.code}: ${error.message}\n`);
    if (error.providerCode !== undefined)
      io.err(`  provider code: ${error.providerCode}${error.status !== undefined ? ` (HTTP ${error.status})` : ''}\n`);
    io.err(`  what to do: ${likelyCause(error)}\n`);
  } else io.err(`kunci: ${error instanceof Error ? error.message : String(error)}\n`);
  return exitCodeOf(error);
}
