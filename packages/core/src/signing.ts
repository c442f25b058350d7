import * as crypto from 'node:crypto';
import { createHash, createHmac, sign, verify, type KeyObject } from 'node:crypto';

/** Base64(RSASSA-PKCS1-v1_5 SHA-256): SNAP's and Klikoo's asymmetric signature. */
export function signRsaSha256(key: KeyObject, data: string): string {
  return sign('sha256', Buffer.from(data, 'utf8'), key).toString('base64');
}

export function verifyRsaSha256(publicKey: KeyObject | string, data: string, signature: string): boolean {
  try {
    return verify('sha256', Buffer.from(data, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** `clientId|timestamp`, the string both SNAP and Klikoo sign for a token. */
export function tokenStringToSign(clientId: string, timestamp: string): string {
  return `${clientId}|${timestamp}`;
}

/**
 * The symmetric signature of later (non-token) calls, SNAP and Klikoo alike:
 * Base64(HMAC-SHA512(secret, `METHOD:path:token:lowercase(hex(sha256(minified body))):timestamp`)).
 * The method is upper case unless `methodCase` says otherwise (one Klikoo table prints `post`).
 */
export function serviceStringToSign(
  method: string,
  path: string,
  accessToken: string,
  body: string,
  timestamp: string,
  methodCase: 'upper' | 'lower' = 'upper',
): string {
  return minifiedServiceStringToSign(method, path, accessToken, minifyJson(body), timestamp, methodCase);
}

/** `serviceStringToSign` for a body already minified (one `JSON.stringify` wrote, or `minifyJson` returned). */
export function minifiedServiceStringToSign(
  method: string,
  path: string,
  accessToken: string,
  minifiedBody: string,
  timestamp: string,
  methodCase: 'upper' | 'lower' = 'upper',
): string {
  const verb = methodCase === 'lower' ? method.toLowerCase() : method.toUpperCase();
  return `${verb}:${path}:${accessToken}:${sha256Hex(minifiedBody)}:${timestamp}`;
}

/**
 * Lowercase hex SHA-256 of the UTF-8 bytes: the one-shot `crypto.hash` where Node has it (20.12
 * and later; it skips the Hash object), `createHash` before that.
 */
const sha256Hex: (data: string) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => createHash('sha256').update(data, 'utf8').digest('hex');

export function signHmacSha512(secret: string, data: string): string {
  return createHmac('sha512', secret).update(data, 'utf8').digest('base64');
}

/** What `/\s/` matches: JavaScript's whitespace and line terminators. */
function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Removes whitespace outside strings; keeps key order and nulls (what SNAP calls minify). Inside a
 * string a backslash keeps the character after it. A body without whitespace outside its strings
 * (anything `JSON.stringify` wrote) comes back as it is, after one scan.
 */
export function minifyJson(body: string): string {
  const length = body.length;
  let inString = false;
  // The text kept so far, and where the run being kept started: nothing removed while start is 0.
  let out = '';
  let start = 0;
  for (let i = 0; i < length; i++) {
    const code = body.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (isWhitespace(code)) {
      if (i > start) out += body.slice(start, i);
      start = i + 1;
    }
  }
  if (start === 0) return body;
  return start < length ? out + body.slice(start) : out;
}
