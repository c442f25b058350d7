import { signedPath } from '@kunci/core/provider';
import { malformedField, missingField, REFUSALS, type Refusal } from './errors';
import type { InboundRequest } from './types';

/** Default limit of a body: a notification is a few kilobytes; Express's own default is the same. */
export const DEFAULT_MAX_BODY_BYTES = 100 * 1024;

/**
 * A check that failed: the refusal and the sentence for the backend's log. Internal: `createInbound`
 * turns it into an AuthError with the route's codes before anything outside sees it.
 */
export class Refused extends Error {
  override readonly name = 'Refused';
  constructor(
    readonly refused: Refusal,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** A received request after the checks every scheme shares: one header reader, the body's text. */
export interface ReceivedRequest {
  method: string;
  /** The request target as signed: path and query, origin and fragment dropped. */
  path: string;
  /** The path without its query: what routes are keyed by. */
  route: string;
  rawBody: string;
  remoteAddress: string | undefined;
  /** A header by name (any case): its one value, undefined when absent; a Refused when repeated. */
  header(name: string): string | undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isHeaderBag(value: unknown): value is InboundRequest['headers'] {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object (a JSON parser ran before: give the raw body)';
  return `a ${typeof value}`;
}

/**
 * The shared checks, before any scheme's: a request object of the right types (else a clear
 * refusal, never a TypeError), a body within the limit and valid UTF-8, no repeated header.
 */
export function receive(request: unknown, maxBodyBytes: number): ReceivedRequest {
  if (typeof request !== 'object' || request === null)
    throw new Refused(REFUSALS.malformed, `verify needs a request object, got ${describe(request)}.`);
  const { method, url, headers, body, remoteAddress } = request as Record<string, unknown>;
  if (typeof method !== 'string' || method === '') throw new Refused(REFUSALS.malformed, 'the request has no method.');
  if (typeof url !== 'string' || url === '') throw new Refused(REFUSALS.malformed, 'the request has no url.');
  if (!isHeaderBag(headers)) throw new Refused(REFUSALS.malformed, 'the request has no headers object.');
  let rawBody: string;
  if (typeof body === 'string') {
    if (Buffer.byteLength(body, 'utf8') > maxBodyBytes) throw tooLarge(maxBodyBytes);
    rawBody = body;
  } else if (body instanceof Uint8Array) {
    if (body.byteLength > maxBodyBytes) throw tooLarge(maxBodyBytes);
    try {
      rawBody = UTF8.decode(body);
    } catch {
      throw new Refused(REFUSALS.malformed, 'the body is not UTF-8 text.');
    }
  } else {
    throw new Refused(
      REFUSALS.malformed,
      `the body must be the raw body as received (a Buffer or a string), got ${describe(body)}.`,
    );
  }
  const bag = headers as Record<string, unknown>;
  // Node gives lower-case names: read those directly; other callers' names are matched in any case.
  const lookup = (lower: string): unknown => {
    if (Object.hasOwn(bag, lower)) return bag[lower];
    for (const key of Object.keys(bag)) if (key.toLowerCase() === lower) return bag[key];
    return undefined;
  };
  const path = signedPath(url, true);
  return {
    method,
    path,
    route: path.split('?')[0] ?? path,
    rawBody,
    remoteAddress: typeof remoteAddress === 'string' ? remoteAddress : undefined,
    header(name) {
      const value = lookup(name.toLowerCase());
      if (value === undefined) return undefined;
      if (Array.isArray(value)) {
        if (value.length === 1 && typeof value[0] === 'string') return value[0];
        throw new Refused(malformedField(name), `the ${name} header was sent ${value.length} times.`);
      }
      if (typeof value !== 'string') throw new Refused(malformedField(name), `the ${name} header is not text.`);
      return value;
    },
  };
}

function tooLarge(maxBodyBytes: number): Refused {
  return new Refused(REFUSALS.tooLarge, `the body is larger than ${maxBodyBytes} bytes (maxBodyBytes).`);
}

/** A header that must be there, not empty. */
export function requiredHeader(request: ReceivedRequest, name: string, refused = missingField(name)): string {
  const value = request.header(name);
  if (value === undefined || value.trim() === '') throw new Refused(refused, `the ${name} header is missing.`);
  return value;
}

/** The body parsed as JSON (after the signature passed: what the backend reads is what was signed). */
export function parseBody(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    throw new Refused(REFUSALS.malformed, 'the body is not JSON.');
  }
}
