import type { KeyObject } from 'node:crypto';
import {
  bearerToken,
  IssuedTokens,
  jsonResponse,
  sameSecret,
  type EmulatedRequest,
  type EmulatedResponse,
} from '@kunci/core/emulator';
import { serviceSigningOptions, signedPath, signHmacSha512, verifyRsaSha256 } from '@kunci/core/provider';
import type { SnapMinify, SnapServiceSignature } from './profiles';
import { snapServiceStringToSign } from './service-signature';
import type { SnapSigningOptions } from './settings';

/** SNAP's flat error body. */
export function snapErrorBody(code: string, message: string): Record<string, unknown> {
  return { responseCode: code, responseMessage: message };
}

/**
 * The service code of every service-call answer. SNAP gives each API its own two digits (73 and
 * 74 are the token calls); the emulator stands for all of them, so it answers with `00`.
 */
export const SNAP_GENERIC_SERVICE = '00';

const DAY_MS = 86_400_000;

export interface SnapServiceVerifierOptions {
  /** Clients whose service calls are accepted: their public key, the secret they sign with and their X-PARTNER-ID (default clientId). */
  clients: ReadonlyArray<{
    clientId: string;
    publicKey: KeyObject;
    clientSecret?: string | undefined;
    partnerId?: string | undefined;
  }>;
  clock: () => number;
  /** Whether an X-TIMESTAMP is acceptable (its format and its distance from the clock). */
  timestampValid: (timestamp: string, now: number) => boolean;
  scheme: SnapServiceSignature;
  /** Whether an asymmetric call must carry the B2B token. */
  tokenWithAsymmetric: boolean;
  /** Default `SNAP_GENERIC_SERVICE`. */
  serviceCode?: string | undefined;
  /** How the client signs (kunci's `signing` config). Default: query signed, GET hashes '', compact minify. */
  signing?: Partial<SnapSigningOptions> | undefined;
}

export interface SnapServiceVerifier {
  /** A B2B token the token endpoint issued to `clientId`. */
  issued(token: string, clientId: string, expiresAt: number, now: number): void;
  /** A customer (B2B2C) token the token endpoint issued. */
  issuedCustomer(token: string, authCode: string, expiresAt: number, now: number): void;
  /** Any call that is not a token call. */
  handle(request: EmulatedRequest): EmulatedResponse;
}

/** The standard's lengths of the optional end-user headers (ASPI "Keamanan", transaction request B2B2C). */
const EXTRA_LIMITS: ReadonlyArray<[string, number]> = [
  ['x-device-id', 400],
  ['x-ip-address', 45],
  ['x-latitude', 10],
  ['x-longitude', 10],
];

/** Whether a service call's signature is the one the client's key gives for what arrived, compared in constant time where a secret is involved. */
export function snapServiceSignatureValid(
  scheme: SnapServiceSignature,
  keys: { clientSecret?: string | undefined; publicKey: KeyObject },
  request: EmulatedRequest,
  parts: { accessToken: string | undefined; timestamp: string; signature: string },
  options: SnapSigningOptions,
): boolean {
  const stringToSign = snapServiceStringToSign(
    scheme,
    {
      method: request.method,
      path: signedPath(request.url ?? request.path, options.includeQuery),
      accessToken: parts.accessToken,
      body: request.body === '' ? undefined : request.body,
      timestamp: parts.timestamp,
    },
    options,
  );
  if (scheme === 'asymmetric') return verifyRsaSha256(keys.publicKey, stringToSign, parts.signature);
  return (
    keys.clientSecret !== undefined && sameSecret(parts.signature, signHmacSha512(keys.clientSecret, stringToSign))
  );
}

/**
 * A SNAP API as the standard describes its checks: the headers, the B2B token (symmetric, or
 * asymmetric with a token), the partner, the timestamp, the signature of the scheme chosen, the
 * customer token of a customer call, the end-user headers' lengths, and an X-EXTERNAL-ID not seen
 * within the day. Answers `200xx00` or the SNAP error.
 */
export function createSnapServiceVerifier(options: SnapServiceVerifierOptions): SnapServiceVerifier {
  const service = options.serviceCode ?? SNAP_GENERIC_SERVICE;
  const minify: SnapMinify = options.signing?.minify ?? 'compact';
  const signing: SnapSigningOptions = { ...serviceSigningOptions(options.signing), minify };
  const withToken = options.scheme === 'symmetric' || options.tokenWithAsymmetric;
  const mandatory = [
    ...(withToken ? ['authorization'] : []),
    'x-timestamp',
    'x-signature',
    'x-partner-id',
    'x-external-id',
    'channel-id',
  ];
  const clients = new Map(
    options.clients.map((c) => [
      c.clientId,
      { clientSecret: c.clientSecret, publicKey: c.publicKey, partnerId: c.partnerId ?? c.clientId },
    ]),
  );
  const byPartner = new Map([...clients.values()].map((client) => [client.partnerId, client]));
  const tokens = new IssuedTokens<string>();
  const customers = new IssuedTokens<string>();
  const seen = new Map<string, number>();

  const remember = (key: string, now: number): boolean => {
    const at = seen.get(key);
    if (at !== undefined && now - at < DAY_MS) return false;
    if (seen.size >= 100_000) for (const [id, when] of seen) if (now - when >= DAY_MS) seen.delete(id);
    seen.set(key, now);
    return true;
  };

  return {
    issued: (token, clientId, expiresAt, now) => tokens.issue(token, clientId, expiresAt, now),
    issuedCustomer: (token, authCode, expiresAt, now) => customers.issue(token, authCode, expiresAt, now),
    handle(request) {
      const now = options.clock();
      const headers = { date: new Date(now).toUTCString() };
      const answer = (status: number, kase: string, message: string): EmulatedResponse =>
        jsonResponse(status, snapErrorBody(`${status}${service}${kase}`, message), headers);
      const h = request.headers;
      for (const name of mandatory)
        if ((h[name] ?? '') === '') return answer(400, '02', `Invalid Mandatory Field ${name.toUpperCase()}`);
      let accessToken: string | undefined;
      let client = byPartner.get(h['x-partner-id'] as string);
      if (withToken) {
        accessToken = bearerToken(h.authorization);
        const token = tokens.check(accessToken, now);
        if (accessToken === undefined || typeof token === 'string') return answer(401, '01', 'Invalid Token (B2B)');
        client = clients.get(token.owner);
        if (client === undefined || client.partnerId !== h['x-partner-id'])
          return answer(401, '00', 'Unauthorized. Unknown Client');
      } else if (client === undefined) {
        return answer(401, '00', 'Unauthorized. Unknown Client');
      }
      const timestamp = h['x-timestamp'] as string;
      if (!options.timestampValid(timestamp, now)) return answer(400, '01', 'Invalid Field Format X-TIMESTAMP');
      const signature = { accessToken, timestamp, signature: h['x-signature'] as string };
      if (!snapServiceSignatureValid(options.scheme, client, request, signature, signing)) {
        return answer(401, '00', 'Unauthorized. Invalid Signature');
      }
      if (
        h['authorization-customer'] !== undefined &&
        typeof customers.check(bearerToken(h['authorization-customer']), now) === 'string'
      ) {
        return answer(401, '02', 'Invalid Customer Token');
      }
      for (const [name, limit] of EXTRA_LIMITS) {
        const value = h[name];
        if (value !== undefined && (value === '' || value.length > limit))
          return answer(400, '01', `Invalid Field Format ${name.toUpperCase()}`);
      }
      const externalId = h['x-external-id'] as string;
      if (!/^\d{1,36}$/.test(externalId)) return answer(400, '01', 'Invalid Field Format X-EXTERNAL-ID');
      if (!remember(`${client.partnerId}:${externalId}`, now)) return answer(409, '00', 'Conflict');
      return jsonResponse(200, { responseCode: `200${service}00`, responseMessage: 'Successful' }, headers);
    },
  };
}
