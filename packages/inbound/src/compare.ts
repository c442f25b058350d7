import * as crypto from 'node:crypto';
import { createHash, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The bytes of a Base64 signature header, or undefined when it is not canonical standard Base64
 * (padding included). Decoding is not lenient on purpose: Node's decoder skips characters it does
 * not know, so `abc!d` and `abcd` would carry one signature. Case is never changed.
 */
export function signatureBytes(header: string): Buffer | undefined {
  if (header.length % 4 !== 0 || !BASE64.test(header)) return undefined;
  const bytes = Buffer.from(header, 'base64');
  return bytes.toString('base64') === header ? bytes : undefined;
}

/**
 * SHA-256 of bytes or UTF-8 text: the one-shot `crypto.hash` where Node has it (20.12 and later;
 * it skips the Hash object, several times cheaper for short inputs), `createHash` before that.
 */
export const sha256: (data: string | Uint8Array) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => createHash('sha256').update(data).digest();

export const sha256Hex = (data: string | Uint8Array): string => sha256(data).toString('hex');

/**
 * A constant-time check of texts against one expected value (a client id, an API key): its digest
 * is taken once, each value sent is hashed and compared with `timingSafeEqual` (equal lengths).
 */
export function textMatcher(expected: string): (sent: string) => boolean {
  const digest = sha256(expected);
  return (sent) => timingSafeEqual(sha256(sent), digest);
}

/** Whether any of the keys verifies the RSA-SHA256 signature (a rotation lists two). */
export function verifiedByAny(keys: readonly KeyObject[], data: string, signature: Buffer): boolean {
  const bytes = Buffer.from(data, 'utf8');
  for (const key of keys) {
    try {
      if (verify('sha256', bytes, key, signature)) return true;
    } catch {
      // A signature of the wrong length for this key: not this key's.
    }
  }
  return false;
}
