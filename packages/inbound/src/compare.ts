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

const digest = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/**
 * Whether two byte strings are equal, in constant time: hashing first gives both one length, so
 * neither the time nor an early exit tells how long or how close the one sent was.
 */
export function sameBytes(sent: Uint8Array, expected: Uint8Array): boolean {
  return timingSafeEqual(digest(sent), digest(expected));
}

/** Whether two texts are equal, in constant time (their UTF-8 bytes). */
export function sameText(sent: string, expected: string): boolean {
  return sameBytes(Buffer.from(sent, 'utf8'), Buffer.from(expected, 'utf8'));
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
