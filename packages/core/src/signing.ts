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
  const digest = createHash('sha256').update(minifyJson(body), 'utf8').digest('hex').toLowerCase();
  const verb = methodCase === 'lower' ? method.toLowerCase() : method.toUpperCase();
  return `${verb}:${path}:${accessToken}:${digest}:${timestamp}`;
}

export function signHmacSha512(secret: string, data: string): string {
  return createHmac('sha512', secret).update(data, 'utf8').digest('base64');
}

/** Removes whitespace outside strings; keeps key order and nulls (what SNAP calls minify). */
export function minifyJson(body: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (inString) {
      out += ch;
      if (ch === '\\') out += body[++i] ?? '';
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (!/\s/.test(ch)) {
      out += ch;
    }
  }
  return out;
}
