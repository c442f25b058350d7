import type { KeyObject } from 'node:crypto';
import {
  bearerToken,
  IssuedTokens,
  jsonResponse,
  sameSecret,
  type EmulatedRequest,
  type EmulatedResponse,
  type Refusal,
} from '@kunci/core/emulator';
import { serviceSigningOptions, signedPath, verifyRsaSha256 } from '@kunci/core/provider';
import { snapError, snapMissingField } from './errors';
import type { SnapServiceSignature } from './profiles';
import { snapHmacSha512, snapServiceStringToSign } from './service-signature';
import type { SnapSigningOptions } from './settings';

/**
 * The service code of every service-call answer. SNAP gives each API its own two digits (73 and
 * 74 are the token calls); the emulator stands for all of them, so it answers with `00`.
 */
export const SNAP_GENERIC_SERVICE = '00';

const DAY_MS = 86_400_000;

/** How one client's service calls are checked: its profile's scheme, timestamp and minify rule. */
export interface SnapServiceRules {
  scheme: SnapServiceSignature;
  /** Whether an asymmetric call must carry the B2B token. */
  tokenWithAsymmetric: boolean;
  /** How the client signs (kunci's `signing` config). */
  signing: SnapSigningOptions;
  /** Whether an X-TIMESTAMP is written in the profile's format; undefined when any format is taken. */
  timestampFormat?: { test(timestamp: string): boolean; expected: string } | undefined;
  /** Whether an X-TIMESTAMP is within the window around the clock. */
  timestampWithin: (timestamp: string, now: number) => boolean;
}

/** Why an X-TIMESTAMP is refused: not in the profile's format, or outside the window; undefined when neither. */
export function snapTimestampRefusal(rules: SnapServiceRules, timestamp: string, now: number): Refusal | undefined {
  if (rules.timestampFormat !== undefined && !rules.timestampFormat.test(timestamp))
    return {
      reason: 'invalid-field',
      field: 'X-TIMESTAMP',
      in: 'header',
      value: timestamp,
      expected: rules.timestampFormat.expected,
    };
  if (!rules.timestampWithin(timestamp, now)) return { reason: 'timestamp', header: 'X-TIMESTAMP', value: timestamp };
  return undefined;
}

export interface SnapServiceVerifierOptions {
  /**
   * Clients whose service calls are accepted: their public key, the secret they sign with, their
   * X-PARTNER-ID (default clientId), and their rules when not the verifier's.
   */
  clients: ReadonlyArray<{
    clientId: string;
    publicKey: KeyObject;
    clientSecret?: string | undefined;
    partnerId?: string | undefined;
    rules?: SnapServiceRules | undefined;
  }>;
  /** The rules of a client that brings none. */
  rules: Omit<SnapServiceRules, 'signing'> & { signing?: Partial<SnapSigningOptions> | undefined };
  /** Default `SNAP_GENERIC_SERVICE`. */
  serviceCode?: string | undefined;
}

export interface SnapServiceVerifier {
  /** A B2B token the token endpoint issued to `clientId`. */
  issued(token: string, clientId: string, expiresAt: number, now: number): void;
  /** A customer (B2B2C) token the token endpoint issued. */
  issuedCustomer(token: string, authCode: string, expiresAt: number, now: number): void;
  /** Any call that is not a token call, at `now` (the emulator's clock). */
  handle(request: EmulatedRequest, now: number): EmulatedResponse;
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
    keys.clientSecret !== undefined && sameSecret(parts.signature, snapHmacSha512(keys.clientSecret, stringToSign))
  );
}

const withToken = (rules: SnapServiceRules): boolean => rules.scheme === 'symmetric' || rules.tokenWithAsymmetric;

/**
 * A SNAP API as the standard describes its checks: the headers, the B2B token (symmetric, or
 * asymmetric with a token), the partner, the timestamp, the signature of the client's scheme, the
 * customer token of a customer call, the end-user headers' lengths, and an X-EXTERNAL-ID not seen
 * within the day. Answers `200xx00` or the SNAP error, with the reason it refused.
 */
export function createSnapServiceVerifier(options: SnapServiceVerifierOptions): SnapServiceVerifier {
  const service = options.serviceCode ?? SNAP_GENERIC_SERVICE;
  const defaults: SnapServiceRules = {
    ...options.rules,
    signing: {
      ...serviceSigningOptions(options.rules.signing),
      minify: options.rules.signing?.minify ?? 'compact',
    },
  };
  const clients = new Map(
    options.clients.map((c) => [
      c.clientId,
      {
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        publicKey: c.publicKey,
        partnerId: c.partnerId ?? c.clientId,
        rules: c.rules ?? defaults,
      },
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
    handle(request, now) {
      const fail = (status: number, kase: string, message: string, refusal: Refusal): EmulatedResponse =>
        snapError(status, service, kase, message, refusal);
      const h = request.headers;
      const partnerId = h['x-partner-id'] ?? '';
      // The partner's rules say whether a token is due; an unknown partner is held to the defaults.
      const rules = byPartner.get(partnerId)?.rules ?? defaults;
      const tokenDue = withToken(rules);
      for (const name of tokenDue ? ['authorization'] : [])
        if ((h[name] ?? '') === '') return snapMissingField(service, name.toUpperCase(), 'header');
      for (const name of ['x-timestamp', 'x-signature', 'x-partner-id', 'x-external-id', 'channel-id'])
        if ((h[name] ?? '') === '') return snapMissingField(service, name.toUpperCase(), 'header');
      let accessToken: string | undefined;
      let client = byPartner.get(partnerId);
      if (tokenDue) {
        accessToken = bearerToken(h.authorization);
        const token = tokens.check(accessToken, now);
        if (accessToken === undefined || typeof token === 'string') {
          const reason = token === 'expired' ? 'expired-token' : 'unknown-token';
          return fail(401, '01', 'Invalid Token (B2B)', { reason, token: 'the B2B token', header: 'Authorization' });
        }
        client = clients.get(token.owner);
      }
      if (client === undefined || client.partnerId !== partnerId)
        return fail(401, '00', 'Unauthorized. Unknown Client', {
          reason: 'wrong-partner',
          header: 'X-PARTNER-ID',
          value: partnerId,
        });
      const timestamp = h['x-timestamp'] as string;
      const late = snapTimestampRefusal(client.rules, timestamp, now);
      if (late !== undefined) return fail(400, '01', 'Invalid Field Format X-TIMESTAMP', late);
      const signature = { accessToken, timestamp, signature: h['x-signature'] as string };
      if (!snapServiceSignatureValid(client.rules.scheme, client, request, signature, client.rules.signing)) {
        return fail(401, '00', 'Unauthorized. Invalid Signature', {
          reason: 'bad-signature',
          client: client.clientId,
          header: 'X-SIGNATURE',
          timestampHeader: 'X-TIMESTAMP',
        });
      }
      const customer = h['authorization-customer'];
      if (customer !== undefined) {
        const checked = customers.check(bearerToken(customer), now);
        if (typeof checked === 'string')
          return fail(401, '02', 'Invalid Customer Token', {
            reason: checked === 'expired' ? 'expired-token' : 'unknown-token',
            token: 'the customer token',
            header: 'Authorization-Customer',
          });
      }
      for (const [name, limit] of EXTRA_LIMITS) {
        const value = h[name];
        if (value !== undefined && (value === '' || value.length > limit))
          return fail(400, '01', `Invalid Field Format ${name.toUpperCase()}`, {
            reason: 'invalid-field',
            field: name.toUpperCase(),
            in: 'header',
            value,
            expected: `at most ${limit} characters`,
          });
      }
      const externalId = h['x-external-id'] as string;
      if (!/^\d{1,36}$/.test(externalId))
        return fail(400, '01', 'Invalid Field Format X-EXTERNAL-ID', {
          reason: 'invalid-field',
          field: 'X-EXTERNAL-ID',
          in: 'header',
          value: externalId,
          expected: 'numeric (at most 36 digits)',
        });
      if (!remember(`${client.partnerId}:${externalId}`, now))
        return fail(409, '00', 'Conflict', { reason: 'reused-id', header: 'X-EXTERNAL-ID', value: externalId });
      return jsonResponse(200, { responseCode: `200${service}00`, responseMessage: 'Successful' });
    },
  };
}
