import { randomBytes } from 'node:crypto';
import { isObject } from './plain';
import { SIGNED_TIMESTAMP } from './timestamp';

/** One HTTP request as an emulator sees it (lower-case header names, the raw body text). */
export interface EmulatedRequest {
  method: string;
  path: string;
  /**
   * The request target as received: path and query, before any router took a prefix off `path`.
   * A signed service call is verified against it (the client signs the path as it went out).
   */
  url?: string;
  headers: Record<string, string>;
  body: string;
}

export interface EmulatedResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/**
 * The provider's side of a token endpoint, for the sandbox server and for users' tests: it
 * verifies what a real provider verifies and answers with the documented bodies and codes.
 */
export interface ProviderEmulator {
  readonly provider: string;
  /** The paths it serves; anything else is not its business. */
  readonly paths: readonly string[];
  handle(request: EmulatedRequest): EmulatedResponse;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): EmulatedResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Parses a request body as a JSON object; undefined for anything else. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a signed timestamp is within the window a provider tolerates around its own clock. */
export function timestampWithin(timestamp: string, nowMs: number, toleranceMs: number): boolean {
  if (!SIGNED_TIMESTAMP.test(timestamp)) return false;
  const at = Date.parse(timestamp);
  return !Number.isNaN(at) && Math.abs(at - nowMs) <= toleranceMs;
}

/** A JWT-shaped random token, as the providers issue them; only its shape is real. */
export function fakeJwt(claims: Record<string, unknown>, alg = 'HS256'): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg, typ: 'JWT' })}.${part(claims)}.${randomBytes(32).toString('base64url')}`;
}
