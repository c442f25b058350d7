import { randomInt } from 'node:crypto';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { AuthError } from './errors';
import { minifiedServiceStringToSign, minifyJson, serviceStringToSign, signHmacSha512 } from './signing';
import { formatTimestamp, type TimestampFormat } from './timestamp';

/** One API call (not a token call) to sign: what `TokenProvider.signRequest` takes. */
export interface ServiceRequest {
  /** `GET`, `POST`, …: as it goes on the wire. */
  method: string;
  /** Absolute or relative; its path and query are signed as written (pass the URL as it is sent). */
  url: string;
  /** An object (serialized once with `JSON.stringify`), a JSON string, or nothing. */
  body?: unknown;
  /** The B2B access token: in `Authorization` and in the string to sign. */
  accessToken: string;
  /** A B2B2C customer's token (Pivot SNAP: `Authorization-Customer`). */
  customerToken?: string | undefined;
  /** Epoch milliseconds of the signature; default the provider's clock. */
  now?: number | undefined;
  /** Added to `now`: the clock skew a `TokenManager` measured (`TokenManager.clockOffsetMs`). */
  clockOffsetMs?: number | undefined;
  /** Pivot SNAP's `X-EXTERNAL-ID`; default a new one from the provider's generator. */
  externalId?: string | undefined;
  /** Optional headers of this call that the provider lets a call set (SNAP's `X-DEVICE-ID`, `ORIGIN`, …). */
  headers?: Readonly<Record<string, string | undefined>> | undefined;
}

/** The headers to add and the exact body to send: the bytes whose hash was signed. */
export interface SignedServiceRequest {
  headers: Record<string, string>;
  /** The body to send, byte for byte; undefined for a call without one. */
  body: string | undefined;
}

/** Where the providers' pages are silent, the reading kunci signs by default. */
export interface ServiceSigningOptions {
  /** Sign the query string with the path (`/v1/x?a=1`). Default true. */
  includeQuery: boolean;
  /** What a call without a body hashes: `''` (default) or `'{}'`. */
  emptyBody: '' | '{}';
  /** The method in the string to sign. Default `'upper'`. */
  methodCase: 'upper' | 'lower';
}

export const DEFAULT_SERVICE_SIGNING: Readonly<ServiceSigningOptions> = Object.freeze({
  includeQuery: true,
  emptyBody: '',
  methodCase: 'upper',
});

/** The `signing` config object of a provider that signs service calls. */
export class ServiceSigningConfig {
  @IsOptional()
  @IsBoolean()
  includeQuery?: boolean | undefined;

  @IsOptional()
  @IsIn(['', '{}'], { message: "$property must be '' or '{}'" })
  emptyBody?: '' | '{}' | undefined;

  @IsOptional()
  @IsIn(['upper', 'lower'], { message: "$property must be 'upper' or 'lower'" })
  methodCase?: 'upper' | 'lower' | undefined;
}

export function serviceSigningOptions(config: ServiceSigningConfig | undefined): ServiceSigningOptions {
  return {
    includeQuery: config?.includeQuery ?? DEFAULT_SERVICE_SIGNING.includeQuery,
    emptyBody: config?.emptyBody ?? DEFAULT_SERVICE_SIGNING.emptyBody,
    methodCase: config?.methodCase ?? DEFAULT_SERVICE_SIGNING.methodCase,
  };
}

function isPlainJson(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The body as it will be sent, serialized once: an object or array through `JSON.stringify`, a
 * JSON string minified (so that the bytes sent are the bytes hashed), nothing as undefined.
 * Anything else (a Buffer, a stream, form data, text that is not JSON) cannot be signed.
 */
export function serviceBody(provider: string, body: unknown): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'string') {
    try {
      JSON.parse(body);
    } catch {
      throw new AuthError(
        'REQUEST_REJECTED',
        `A signed ${provider} call needs a JSON body: the string given is not JSON. Nothing was sent.`,
        { provider },
      );
    }
    return minifyJson(body);
  }
  if (isPlainJson(body)) return JSON.stringify(body);
  throw new AuthError(
    'REQUEST_REJECTED',
    `A signed ${provider} call needs a JSON body (an object, an array or a JSON string), not ${Object.prototype.toString.call(body)}. Nothing was sent.`,
    { provider },
  );
}

const ORIGIN = /^[a-z][a-z\d+\-.]*:\/\/[^/?#]*/i;

/** The path (and query, unless `includeQuery` is false) of a URL as written, fragment dropped. */
export function signedPath(url: string, includeQuery: boolean): string {
  // Each replace below runs only when its character is there to match: the result is the same.
  const origin = ORIGIN.exec(url);
  let target = origin === null ? url : url.slice(origin[0].length);
  if (target.includes('#')) target = target.replace(/#.*$/, '');
  if (!includeQuery && target.includes('?')) target = target.replace(/\?.*$/, '');
  if (target === '' || target.charCodeAt(0) === 0x3f) target = `/${target}`;
  return target;
}

export interface ServiceSignatureParts {
  method: string;
  path: string;
  accessToken: string;
  /** The body sent, or undefined for none (then `emptyBody` is hashed). */
  body: string | undefined;
  timestamp: string;
}

/** The string to sign and its Base64(HMAC-SHA512) with the client secret. */
export function serviceSignature(
  secret: string,
  parts: ServiceSignatureParts,
  options: Pick<ServiceSigningOptions, 'emptyBody' | 'methodCase'>,
): { stringToSign: string; signature: string } {
  const stringToSign = serviceStringToSign(
    parts.method,
    parts.path,
    parts.accessToken,
    parts.body ?? options.emptyBody,
    parts.timestamp,
    options.methodCase,
  );
  return { stringToSign, signature: signHmacSha512(secret, stringToSign) };
}

/**
 * The part both providers share: the body serialized once, the timestamp at `now`, and the
 * signature over the path as written (query included unless `includeQuery` is false).
 */
export function signServiceCall(
  provider: string,
  secret: string,
  request: ServiceRequest & { now: number },
  format: TimestampFormat,
  options: ServiceSigningOptions,
): { body: string | undefined; timestamp: string; signature: string } {
  // serviceBody's result is minified already (JSON.stringify's output, or minifyJson's): hashed as it is.
  const body = serviceBody(provider, request.body);
  const timestamp = formatTimestamp(request.now, format);
  const path = signedPath(request.url, options.includeQuery);
  const stringToSign = minifiedServiceStringToSign(
    request.method,
    path,
    request.accessToken,
    body ?? options.emptyBody,
    timestamp,
    options.methodCase,
  );
  return { body, timestamp, signature: signHmacSha512(secret, stringToSign) };
}

/** Makes a new `X-EXTERNAL-ID` for the instant given. */
export type ExternalIdGenerator = (nowMs: number) => string;

/**
 * The default `X-EXTERNAL-ID`: 21 digits, a 16-digit sequence (the epoch milliseconds times 1,000)
 * that rises by at least one on every call, and 5 random digits (so two processes at the same
 * millisecond rarely meet). The sequence follows the clock, and borrows from the next millisecond
 * when more than 1,000 ids are made in one, or when the clock stands still or steps back: one
 * generator never repeats an id. Numeric, as SNAP providers want it, and unique within a day.
 */
export function createExternalIdGenerator(random: (max: number) => number = randomInt): ExternalIdGenerator {
  let last = -1;
  return (nowMs) => {
    last = Math.max((Math.max(0, Math.floor(nowMs)) % 1e13) * 1000, last + 1) % 1e16;
    return `${String(last).padStart(16, '0')}${String(random(100_000)).padStart(5, '0')}`;
  };
}
