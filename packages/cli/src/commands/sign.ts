import { formatTimestamp, loadPrivateKey, parseOffsetDateTime, resolveSecret, signRsaSha256 } from '@kunci/core/provider';
import { klikooStringToSign } from '@kunci/klikoo';
import { pivotSnapStringToSign } from '@kunci/pivot-snap';
import { UsageError } from '../errors';
import { json } from '../format';
import type { Io } from '../io';

/** The providers whose token request carries an RSA signature, and the string each signs. */
const TOKEN_STRING_TO_SIGN: Readonly<Record<string, (clientId: string, timestamp: string) => string>> = Object.freeze({
  'pivot-snap': pivotSnapStringToSign,
  klikoo: klikooStringToSign,
});

export interface SignOptions {
  provider: string;
  clientId: string;
  privateKey: string;
  passphrase?: string;
  timestamp?: string;
  json?: boolean;
}

export interface Signed {
  timestamp: string;
  stringToSign: string;
  signature: string;
}

/**
 * The token request's signature, as the provider recomputes it: to compare with what a rejected
 * request carried. Signed kinds are a table, so that another kind (a service call) is one entry more.
 */
export function signToken(io: Io, options: SignOptions): Signed {
  const stringToSign = Object.hasOwn(TOKEN_STRING_TO_SIGN, options.provider) ? TOKEN_STRING_TO_SIGN[options.provider] : undefined;
  if (stringToSign === undefined) throw new UsageError(`--provider must be one of ${Object.keys(TOKEN_STRING_TO_SIGN).join(', ')} (pivot-legacy signs nothing)`);
  if (options.clientId.trim() === '') throw new UsageError('--client-id must not be empty');
  const timestamp = options.timestamp ?? formatTimestamp(Date.now());
  if (parseOffsetDateTime(timestamp) === undefined) {
    throw new UsageError(`--timestamp must look like 2026-11-22T10:15:30+07:00 (got ${timestamp})`);
  }
  const secret = resolveSecret(options.privateKey, io.env);
  if (!secret.ok) throw new UsageError(`--private-key ${secret.problem}`);
  const key = loadPrivateKey(secret.value, options.passphrase);
  if (!key.ok) throw new UsageError(`--private-key ${key.problem}`);
  const text = stringToSign(options.clientId, timestamp);
  return { timestamp, stringToSign: text, signature: signRsaSha256(key.key, text) };
}

export function runSign(io: Io, options: SignOptions): void {
  const signed = signToken(io, options);
  if (options.json === true) {
    io.out(json(signed));
    return;
  }
  io.out(`timestamp:      ${signed.timestamp}\n`);
  io.out(`string to sign: ${signed.stringToSign}\n`);
  io.out(`signature:      ${signed.signature}\n`);
}
