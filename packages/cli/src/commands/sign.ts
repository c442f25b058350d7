import { resolve } from 'node:path';
import { maskToken } from '@kunci/core';
import {
  DEFAULT_SERVICE_SIGNING,
  formatTimestamp,
  loadPrivateKey,
  parseOffsetDateTime,
  readTextFile,
  resolveSecret,
  serviceBody,
  serviceSignature,
  serviceStringToSign,
  signedPath,
  type ServiceSigningOptions,
  type SigningDescription,
} from '@kunci/core/provider';
import { BUILT_IN_PROVIDERS, type ProviderDefinition } from '@kunci/sdk';
import { UsageError } from '../errors';
import { json } from '../format';
import type { Io } from '../io';

const DEFINITIONS: readonly ProviderDefinition[] = Object.values(BUILT_IN_PROVIDERS);

/** The providers whose requests are signed, each with how it signs: what `kunci sign` signs. */
export const SIGNING_PROVIDERS: ReadonlyMap<string, SigningDescription> = new Map(
  DEFINITIONS.flatMap((definition) =>
    definition.signing !== undefined ? [[definition.name, definition.signing]] : [],
  ),
);

export interface SignOptions {
  provider: string;
  clientId?: string;
  privateKey?: string;
  passphrase?: string;
  timestamp?: string;
  json?: boolean;
  /** Sign a service call (an API call after the token) instead of a token request. */
  service?: boolean;
  method?: string;
  url?: string;
  body?: string;
  accessToken?: string;
  clientSecret?: string;
  reveal?: boolean;
  /** Leave the query string out of the signed path (`signing.includeQuery: false`). */
  excludeQuery?: boolean;
  emptyBody?: string;
  methodCase?: string;
}

export interface Signed {
  timestamp: string;
  stringToSign: string;
  signature: string;
}

function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new UsageError(`required option '${flag}' not specified`);
  return value;
}

/** A request body larger than this is not a body to sign by hand. */
const MAX_BODY_FILE_BYTES = 10 * 1024 * 1024;

function checkedTimestamp(given: string | undefined): string {
  const timestamp = given ?? formatTimestamp(Date.now());
  if (parseOffsetDateTime(timestamp) === undefined)
    throw new UsageError(`--timestamp must look like 2026-11-22T10:15:30+07:00 (got ${timestamp})`);
  return timestamp;
}

function secretOption(io: Io, reference: string, flag: string): string {
  const secret = resolveSecret(reference, io.env);
  if (!secret.ok) throw new UsageError(`${flag} ${secret.problem}`);
  return secret.value.trim();
}

function signingOf(provider: string): SigningDescription {
  const found = SIGNING_PROVIDERS.get(provider);
  if (found !== undefined) return found;
  const unsigned = DEFINITIONS.filter((definition) => definition.signing === undefined).map((d) => d.name);
  throw new UsageError(
    `--provider must be one of ${[...SIGNING_PROVIDERS.keys()].join(', ')} (${unsigned.join(', ')} signs nothing)`,
  );
}

/** A client id travels in a header or a JSON field, and in the string to sign: no whitespace. */
function checkedClientId(clientId: string): string {
  if (clientId.trim() === '') throw new UsageError('--client-id must not be empty');
  if (/\s/.test(clientId))
    throw new UsageError('--client-id must not contain spaces: a client id is one word, as the provider issued it');
  return clientId;
}

/** The path and query as sent (`/v1/x?a=1`), or an absolute http(s) URL. */
function checkedUrl(url: string): string {
  if (url.startsWith('/')) return url;
  if (/^https?:\/\//i.test(url)) {
    try {
      new URL(url);
      return url;
    } catch {
      // Reported below.
    }
  }
  throw new UsageError(
    '--url must be the path as sent, starting with / (such as /v1/x?a=1), or an absolute http(s) URL',
  );
}

/**
 * The token request's signature, as the provider recomputes it: to compare with what a rejected
 * request carried.
 */
export function signToken(io: Io, options: SignOptions): Signed {
  const { token } = signingOf(options.provider);
  const clientId = checkedClientId(required(options.clientId, '--client-id <id>'));
  const privateKey = required(options.privateKey, '--private-key <ref>');
  const timestamp = checkedTimestamp(options.timestamp);
  const key = loadPrivateKey(secretOption(io, privateKey, '--private-key'), options.passphrase, '--passphrase');
  if (!key.ok) throw new UsageError(`--private-key ${key.problem}`);
  const { stringToSign, signature } = token.sign(clientId, key.key, timestamp);
  return { timestamp, stringToSign, signature };
}

/** A service call signed as kunci and the provider compute it, with what is actually sent. */
export interface SignedService extends Signed {
  /** The body sent (minified), or undefined for none. */
  body: string | undefined;
  /** The path (and query) signed. */
  path: string;
}

function serviceReadings(options: SignOptions): ServiceSigningOptions {
  const emptyBody = options.emptyBody ?? DEFAULT_SERVICE_SIGNING.emptyBody;
  const methodCase = options.methodCase ?? DEFAULT_SERVICE_SIGNING.methodCase;
  if (emptyBody !== '' && emptyBody !== '{}')
    throw new UsageError(`--empty-body must be '' or '{}' (got ${emptyBody})`);
  if (methodCase !== 'upper' && methodCase !== 'lower')
    throw new UsageError(`--method-case must be upper or lower (got ${methodCase})`);
  return { includeQuery: options.excludeQuery !== true, emptyBody, methodCase };
}

export function bodyOption(io: Io, body: string | undefined): unknown {
  if (body === undefined) return undefined;
  let text = body;
  if (body.startsWith('@')) {
    const read = readTextFile(resolve(io.cwd, body.slice(1)), MAX_BODY_FILE_BYTES);
    if (!read.ok) throw new UsageError(`--body ${body}: the file ${read.problem}`);
    text = read.value;
  }
  if (text.trim() === '') return undefined;
  try {
    JSON.parse(text);
  } catch {
    throw new UsageError('--body must be JSON (a JSON string, or @FILE holding JSON)');
  }
  return text;
}

/**
 * A service call's signature (the provider's signature header), from core's service-signing
 * helpers, the very ones the providers' `signRequest` uses. The access token is
 * masked in the printed string to sign unless `reveal`; the signature covers the real one.
 */
export function signService(io: Io, options: SignOptions): SignedService {
  signingOf(options.provider);
  const url = checkedUrl(required(options.url, '--url <path>'));
  const accessToken = secretOption(io, required(options.accessToken, '--access-token <ref>'), '--access-token');
  const clientSecret = secretOption(io, required(options.clientSecret, '--client-secret <ref>'), '--client-secret');
  const method = (options.method ?? 'POST').trim();
  if (!/^[A-Za-z]+$/.test(method))
    throw new UsageError(`--method must be an HTTP method such as POST or GET (got ${method})`);
  const readings = serviceReadings(options);
  const timestamp = checkedTimestamp(options.timestamp);
  const body = serviceBody(options.provider, bodyOption(io, options.body));
  const path = signedPath(url, readings.includeQuery);
  const { signature, stringToSign } = serviceSignature(
    clientSecret,
    { method, path, accessToken, body, timestamp },
    readings,
  );
  const shown =
    options.reveal === true
      ? stringToSign
      : serviceStringToSign(
          method,
          path,
          maskToken(accessToken),
          body ?? readings.emptyBody,
          timestamp,
          readings.methodCase,
        );
  return { timestamp, stringToSign: shown, signature, body, path };
}

export function runSign(io: Io, options: SignOptions): void {
  if (options.service === true) {
    const signed = signService(io, options);
    if (options.json === true) {
      io.out(json({ timestamp: signed.timestamp, stringToSign: signed.stringToSign, signature: signed.signature }));
      return;
    }
    const { service } = signingOf(options.provider);
    io.out(`timestamp:      ${signed.timestamp} (${service.timestampHeader})\n`);
    io.out(`string to sign: ${signed.stringToSign}\n`);
    io.out(`signature:      ${signed.signature} (${service.signatureHeader})\n`);
    io.out(`body to send:   ${signed.body ?? '(none)'}\n`);
    if (options.reveal !== true) io.out('(access token masked; --reveal prints it)\n');
    return;
  }
  const signed = signToken(io, options);
  if (options.json === true) {
    io.out(json(signed));
    return;
  }
  io.out(`timestamp:      ${signed.timestamp}\n`);
  io.out(`string to sign: ${signed.stringToSign}\n`);
  io.out(`signature:      ${signed.signature}\n`);
}
