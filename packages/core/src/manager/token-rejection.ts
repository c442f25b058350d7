import type { AxiosError } from 'axios';
import type { FailedResponse, TokenProvider, TokenRejection } from '../provider';
import { urlPath } from '../plain';

// OAuth 2.0 (RFC 6750) and the spelled-out codes other gateways use.
const NAMED = /invalid[_ -]?token|token[_ -]?(?:invalid|expired)|expired[_ -]?token/i;

function lowerHeaders(headers: unknown): Record<string, string> {
  if (headers === null || typeof headers !== 'object') return {};
  const plain =
    typeof (headers as { toJSON?: unknown }).toJSON === 'function'
      ? (headers as { toJSON(): unknown }).toJSON()
      : headers;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(plain as Record<string, unknown>)) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
  }
  return out;
}

function parsedBody(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

/** The answer of a failed axios request, as a provider reads it. */
export function failedResponse(error: AxiosError): FailedResponse | undefined {
  const response = error.response;
  if (response === undefined) return undefined;
  return { status: response.status, headers: lowerHeaders(response.headers), body: parsedBody(response.data) };
}

function namedCode(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  return ['code', 'error'].some((field) => {
    const value = (body as Record<string, unknown>)[field];
    return typeof value === 'string' && NAMED.test(value);
  });
}

/**
 * Which token a 401 names: `WWW-Authenticate` naming `invalid_token` (RFC 6750), then the
 * provider's own codes, then a body `code` or `error` such as `invalid_token` or `token_expired`.
 * Any other 401 (a bad signature, an unknown client) would fail again with a new token: `false`.
 */
export function tokenRejection(provider: TokenProvider, error: AxiosError): TokenRejection {
  const response = failedResponse(error);
  if (response?.status !== 401) return false;
  if (/invalid_token/i.test(response.headers['www-authenticate'] ?? '')) return true;
  const named = provider.isTokenRejected?.(response) ?? false;
  if (named !== false) return named;
  return namedCode(response.body) ? 'access' : false;
}

/** Whether `url` is one of the provider's token endpoints: its path ends with a configured token path. */
export function isTokenEndpoint(provider: TokenProvider, url: string | undefined): boolean {
  const paths = provider.tokenPaths;
  if (paths === undefined || paths.length === 0 || url === undefined) return false;
  const pathname = urlPath(url);
  return pathname !== undefined && paths.some((path) => pathname.endsWith(path));
}
