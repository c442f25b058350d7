import { createHash, timingSafeEqual } from 'node:crypto';
import type { EmulatedRequest } from './emulator';
import { serviceSignature, signedPath, type ServiceSigningOptions } from './service-signing';

/** The token of an `Authorization: Bearer …` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer (\S+)$/.exec(header ?? '');
  return match?.[1];
}

/** Tokens an emulator issued, with their owner and expiry; expired ones are dropped as the map grows. */
export class IssuedTokens<T> {
  readonly #tokens = new Map<string, { owner: T; expiresAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  issue(token: string, owner: T, expiresAt: number, now: number): void {
    if (this.#tokens.size >= this.maxEntries) {
      for (const [key, entry] of this.#tokens) if (entry.expiresAt <= now) this.#tokens.delete(key);
      // Still full: the oldest goes (a Map iterates in insertion order).
      if (this.#tokens.size >= this.maxEntries) this.#tokens.delete(this.#tokens.keys().next().value as string);
    }
    this.#tokens.set(token, { owner, expiresAt });
  }

  /** `'unknown'`, `'expired'`, or the owner of a live token. */
  check(token: string | undefined, now: number): { owner: T } | 'unknown' | 'expired' {
    const entry = token === undefined ? undefined : this.#tokens.get(token);
    if (entry === undefined) return 'unknown';
    return entry.expiresAt <= now ? 'expired' : { owner: entry.owner };
  }
}

/**
 * Whether a secret (or signature) sent equals the one expected, in constant time: hashing first
 * gives both sides one length, so the comparison takes the same time whatever was sent.
 */
export function sameSecret(sent: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/**
 * Whether a service call's signature is the one the client secret gives for what arrived: the
 * method, the request target as received (`url`, else `path`), the bearer token, the body as sent
 * and the timestamp header. Compared in constant time.
 */
export function serviceSignatureValid(
  secret: string,
  request: EmulatedRequest,
  parts: { accessToken: string; timestamp: string; signature: string },
  options: ServiceSigningOptions,
): boolean {
  const { signature } = serviceSignature(
    secret,
    {
      method: request.method,
      path: signedPath(request.url ?? request.path, options.includeQuery),
      accessToken: parts.accessToken,
      body: request.body === '' ? undefined : request.body,
      timestamp: parts.timestamp,
    },
    options,
  );
  return sameSecret(parts.signature, signature);
}
