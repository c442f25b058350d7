import { createHash, createHmac, type KeyObject } from 'node:crypto';
import { minifyJson, serviceStringToSign, signRsaSha256 } from '@kunci/core/provider';
import type { SnapServiceSignature } from './profiles';
import type { SnapSigningOptions } from './settings';

/** What a service call's signature covers. */
export interface SnapServiceParts {
  method: string;
  /** The path (and query) as sent. */
  path: string;
  /** The B2B token: in a symmetric signature's string to sign; never in an asymmetric one. */
  accessToken?: string | undefined;
  /** The body as sent; undefined for a call without one (then `emptyBody` is hashed). */
  body: string | undefined;
  timestamp: string;
}

type HashOptions = Pick<SnapSigningOptions, 'emptyBody' | 'methodCase' | 'minify'>;

/** The text whose SHA-256 is signed: the body minified by the rule chosen. */
export function snapMinifiedBody(body: string | undefined, options: Pick<HashOptions, 'emptyBody' | 'minify'>): string {
  const text = body ?? options.emptyBody;
  return options.minify === 'strip-all' ? text.replace(/\s/g, '') : minifyJson(text);
}

/**
 * The string to sign of a service call. Symmetric: `METHOD:path:accessToken:bodyHash:timestamp`;
 * asymmetric: `METHOD:path:bodyHash:timestamp` (ASPI "Keamanan", X-SIGNATURE types 1 and 2), the
 * body hash being lowercase hex SHA-256 of the minified body.
 */
export function snapServiceStringToSign(
  scheme: SnapServiceSignature,
  parts: SnapServiceParts,
  options: HashOptions,
): string {
  const minified = snapMinifiedBody(parts.body, options);
  if (scheme === 'symmetric') {
    return serviceStringToSign(
      parts.method,
      parts.path,
      parts.accessToken ?? '',
      minified,
      parts.timestamp,
      options.methodCase,
    );
  }
  const verb = options.methodCase === 'lower' ? parts.method.toLowerCase() : parts.method.toUpperCase();
  const hash = createHash('sha256').update(minified, 'utf8').digest('hex');
  return `${verb}:${parts.path}:${hash}:${parts.timestamp}`;
}

/** Base64(HMAC-SHA512(secret, data)): the symmetric scheme's signature. */
export function snapHmacSha512(secret: string, data: string): string {
  return createHmac('sha512', secret).update(data, 'utf8').digest('base64');
}

/** What a service signature is made with: the client secret (symmetric) or the private key (asymmetric). */
export type SnapSigningKey =
  { scheme: 'symmetric'; clientSecret: string } | { scheme: 'asymmetric'; privateKey: KeyObject };

/** The string to sign and its signature: Base64(HMAC-SHA512(clientSecret, …)) or Base64(SHA256withRSA(privateKey, …)). */
export function snapServiceSignature(
  key: SnapSigningKey,
  parts: SnapServiceParts,
  options: HashOptions,
): { stringToSign: string; signature: string } {
  const stringToSign = snapServiceStringToSign(key.scheme, parts, options);
  const signature =
    key.scheme === 'symmetric'
      ? snapHmacSha512(key.clientSecret, stringToSign)
      : signRsaSha256(key.privateKey, stringToSign);
  return { stringToSign, signature };
}
