import {
  bearerToken,
  IssuedTokens,
  jsonResponse,
  serviceSignatureValid,
  timestampWithin,
  type EmulatedRequest,
  type EmulatedResponse,
  type Refusal,
} from '@kunci/core/emulator';
import { serviceSigningOptions, type ServiceSigningOptions } from '@kunci/core/provider';
import { missingField, pivotSnapError } from './errors';

/**
 * The service code of every service-call answer. SNAP gives each API its own two digits (73 and
 * 74 are the token calls); the emulator stands for all of them, so it answers with `00`.
 */
export const PIVOT_SNAP_GENERIC_SERVICE = '00';

const DAY_MS = 86_400_000;

export interface PivotSnapServiceVerifierOptions {
  /** Clients whose service calls are accepted: the secret they sign with and their X-PARTNER-ID (default clientId). */
  clients: ReadonlyArray<{ clientId: string; clientSecret?: string; partnerId?: string }>;
  timestampToleranceMs: number;
  /** Default `PIVOT_SNAP_GENERIC_SERVICE`. */
  serviceCode?: string;
  /** How the client signs (what kunci's `signing` config says). Default: query signed, GET hashes ''. */
  signing?: Partial<ServiceSigningOptions>;
}

export interface PivotSnapServiceVerifier {
  /** A B2B token the token endpoint issued to `clientId`. */
  issued(token: string, clientId: string, expiresAt: number, now: number): void;
  /** A customer (B2B2C) token the token endpoint issued. */
  issuedCustomer(token: string, authCode: string, expiresAt: number, now: number): void;
  /** Any call that is not a token call, at `now` (the emulator's clock). */
  handle(request: EmulatedRequest, now: number): EmulatedResponse;
}

const MANDATORY = [
  'authorization',
  'x-timestamp',
  'x-signature',
  'x-partner-id',
  'x-external-id',
  'channel-id',
] as const;

/**
 * A SNAP API as Pivot's service pages describe its checks: the headers, the B2B token, the
 * partner, the timestamp window, the HMAC-SHA512 signature, the customer token of a customer
 * call, and an X-EXTERNAL-ID not seen within the day. Answers `200xx00` or the SNAP error.
 */
export function createPivotSnapServiceVerifier(options: PivotSnapServiceVerifierOptions): PivotSnapServiceVerifier {
  const service = options.serviceCode ?? PIVOT_SNAP_GENERIC_SERVICE;
  const signing = serviceSigningOptions(options.signing);
  const clients = new Map(
    options.clients.map((c) => [c.clientId, { clientSecret: c.clientSecret, partnerId: c.partnerId ?? c.clientId }]),
  );
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
        pivotSnapError(status, service, kase, message, refusal);
      const h = request.headers;
      for (const name of MANDATORY)
        if ((h[name] ?? '') === '') return missingField(service, name.toUpperCase(), 'header');
      const accessToken = bearerToken(h.authorization);
      const token = tokens.check(accessToken, now);
      if (accessToken === undefined || typeof token === 'string') {
        const reason = token === 'expired' ? 'expired-token' : 'unknown-token';
        return fail(401, '01', 'Invalid Token (B2B)', { reason, token: 'the B2B token', header: 'Authorization' });
      }
      const client = clients.get(token.owner);
      const partnerId = h['x-partner-id'] as string;
      if (client === undefined || client.partnerId !== partnerId)
        return fail(401, '00', 'Unauthorized. Unknown Client', {
          reason: 'wrong-partner',
          header: 'X-PARTNER-ID',
          value: partnerId,
        });
      const timestamp = h['x-timestamp'] as string;
      if (!timestampWithin(timestamp, now, options.timestampToleranceMs))
        return fail(400, '01', 'Invalid Field Format X-TIMESTAMP', {
          reason: 'timestamp',
          header: 'X-TIMESTAMP',
          value: timestamp,
        });
      const signature = { accessToken, timestamp, signature: h['x-signature'] as string };
      if (
        client.clientSecret === undefined ||
        !serviceSignatureValid(client.clientSecret, request, signature, signing)
      ) {
        return fail(401, '00', 'Unauthorized. Invalid Signature', {
          reason: 'bad-signature',
          client: token.owner,
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
