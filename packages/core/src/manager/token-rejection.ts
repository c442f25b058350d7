import type { AxiosError } from 'axios';

/** Which token a 401 names: `true` for whichever the request carried, `false` for none. */
export type TokenRejection = boolean | 'access' | 'customer';

// SNAP: 401 + service + case; 01/03 are the B2B token (invalid, not found), 02/04 the customer's.
const SNAP_ACCESS = /^401\d{2}0[13]$/;
const SNAP_CUSTOMER = /^401\d{2}0[24]$/;
// Klikoo: 401 + service + case 6500 (token tidak sesuai) or 6535 (token kadaluarsa).
const KLIKOO_ACCESS = /^401\d{2}65(?:00|35)$/;
// OAuth 2.0 (RFC 6750) and the spelled-out codes other gateways use.
const NAMED = /invalid[_ -]?token|token[_ -]?(?:invalid|expired)|expired[_ -]?token/i;

function header(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const get = (headers as { get?: unknown }).get;
  const value =
    typeof get === 'function'
      ? (get as (n: string) => unknown).call(headers, name)
      : Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return typeof value === 'string' ? value : undefined;
}

function bodyCode(data: unknown): string | undefined {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (body === null || typeof body !== 'object') return undefined;
  for (const field of ['responseCode', 'response_code', 'code', 'error']) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}

/**
 * The default test for "this 401 is about the token": a `WWW-Authenticate` naming
 * `invalid_token`, or a body code for an invalid or expired token. Any other 401 (a bad
 * signature, an unknown client) would fail again with a new token, so it is not retried.
 */
export function isTokenRejected(error: AxiosError): TokenRejection {
  const response = error.response;
  if (response?.status !== 401) return false;
  if (/invalid_token/i.test(header(response.headers, 'www-authenticate') ?? '')) return true;
  const code = bodyCode(response.data);
  if (code === undefined) return false;
  if (SNAP_CUSTOMER.test(code)) return 'customer';
  return SNAP_ACCESS.test(code) || KLIKOO_ACCESS.test(code) || NAMED.test(code) ? 'access' : false;
}
