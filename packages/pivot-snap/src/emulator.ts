import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { formatTimestamp, verifyRsaSha256 } from '@kunci/core/provider';
import {
  defineEmulator,
  jsonResponse,
  parseJsonObject,
  timestampWithin,
  type EmulatedRequest,
  type EmulatedResponse,
  type ProviderEmulator,
  type Refusal,
} from '@kunci/core/emulator';
import type { ServiceSigningOptions } from '@kunci/core/provider';
import { PIVOT_SNAP, PIVOT_SNAP_SERVICE, PIVOT_SNAP_SUCCESS, type PivotSnapFlow } from './codes';
import { DEFAULT_PIVOT_SNAP_PATHS } from './config';
import { missingField, pivotSnapError } from './errors';
import { pivotSnapStringToSign } from './request';
import { createPivotSnapServiceVerifier } from './service-emulator';

/**
 * A client and the public key it registered with Pivot (KeyObject or SPKI/PKCS#1 PEM); with a
 * `clientSecret` (and `partnerId`, default clientId) its signed service calls are accepted.
 */
export interface PivotSnapEmulatorClient {
  clientId: string;
  publicKey: KeyObject | string;
  /** The HMAC key of its signed API calls (X-SIGNATURE); without it, its API calls are refused. */
  clientSecret?: string;
  /** Its X-PARTNER-ID; default clientId. */
  partnerId?: string;
}

export interface PivotSnapEmulatorOptions {
  clients: readonly PivotSnapEmulatorClient[];
  /** Bound customers: their auth code (binding id) and the refresh token they hold, if any. */
  customers?: ReadonlyArray<{ authCode: string; refreshToken?: string }>;
  /** Also accept any auth code matching this (a sandbox): its first refresh token is taken on trust. */
  authCodePattern?: RegExp;
  /** The emulated server's clock, for the timestamp window and the `Date` header. */
  clock?: () => number;
  /** How far X-TIMESTAMP may be from the emulator's clock; default 5 minutes. */
  timestampToleranceMs?: number;
  paths?: { b2b?: string; b2b2c?: string };
  /** Default 900 (the 15 minutes of Pivot's SNAP access-token page). */
  tokenLifetimeSeconds?: number;
  /** Default 86 400: the example of Pivot's SNAP access-token page is ambiguous (its refresh token expires first). */
  refreshTokenLifetimeSeconds?: number;
  /** The two service digits of service-call answers; default `PIVOT_SNAP_GENERIC_SERVICE` (`00`). */
  serviceCode?: string;
  /** How clients sign service calls (kunci's `signing` config); default its defaults. */
  signing?: Partial<ServiceSigningOptions>;
}

export const PIVOT_SNAP_TIMESTAMP_TOLERANCE_MS = 5 * 60_000;
const PIVOT_TIME = { offset: '+07:00', milliseconds: false };

interface Customer {
  refreshToken?: string;
  refreshTokenExpiresAt?: number;
}

const randomToken = (): string => randomBytes(32).toString('base64url');

/**
 * Pivot SNAP's token endpoints as Pivot's SNAP access-token page and the SNAP standard describe them: client key,
 * timestamp window, RSA signature, grant, then the customer's auth code and refresh token, which
 * is rotated on every answer (the previous one is refused afterwards). Any other path is a
 * service call, verified as `createPivotSnapServiceVerifier` says.
 */
export function createPivotSnapEmulator(options: PivotSnapEmulatorOptions): ProviderEmulator {
  const tolerance = options.timestampToleranceMs ?? PIVOT_SNAP_TIMESTAMP_TOLERANCE_MS;
  const lifetime = options.tokenLifetimeSeconds ?? 900;
  const refreshLifetime = options.refreshTokenLifetimeSeconds ?? 86_400;
  const paths = { ...DEFAULT_PIVOT_SNAP_PATHS, ...options.paths };
  const keys = new Map(
    options.clients.map((c) => [
      c.clientId,
      typeof c.publicKey === 'string' ? createPublicKey(c.publicKey) : c.publicKey,
    ]),
  );
  const services = createPivotSnapServiceVerifier({
    clients: options.clients,
    timestampToleranceMs: tolerance,
    ...(options.serviceCode !== undefined ? { serviceCode: options.serviceCode } : {}),
    ...(options.signing !== undefined ? { signing: options.signing } : {}),
  });
  const customers = new Map<string, Customer>(
    (options.customers ?? []).map((c) => [
      c.authCode,
      c.refreshToken !== undefined ? { refreshToken: c.refreshToken } : {},
    ]),
  );

  const customerFor = (authCode: string, refreshToken: string | undefined, now: number): Customer | undefined => {
    let customer = customers.get(authCode);
    if (customer === undefined && options.authCodePattern?.test(authCode) === true) {
      customer = refreshToken !== undefined ? { refreshToken } : {};
      customers.set(authCode, customer);
    }
    if (customer === undefined || refreshToken === undefined) return customer;
    const expired = customer.refreshTokenExpiresAt !== undefined && customer.refreshTokenExpiresAt <= now;
    return customer.refreshToken === refreshToken && !expired ? customer : undefined;
  };

  const answer = (flow: PivotSnapFlow, request: EmulatedRequest, now: number): EmulatedResponse => {
    const service = PIVOT_SNAP_SERVICE[flow];
    const fail = (status: number, kase: string, message: string, refusal: Refusal): EmulatedResponse =>
      pivotSnapError(status, service, kase, message, refusal);
    const h = request.headers;
    for (const name of ['x-client-key', 'x-timestamp', 'x-signature']) {
      if ((h[name] ?? '') === '') return missingField(service, name.toUpperCase(), 'header');
    }
    const clientId = h['x-client-key'] as string;
    const timestamp = h['x-timestamp'] as string;
    const publicKey = keys.get(clientId);
    if (publicKey === undefined)
      return fail(401, '00', 'Unauthorized. Unknown Client', {
        reason: 'unknown-client',
        client: clientId,
        role: 'client',
      });
    if (!timestampWithin(timestamp, now, tolerance))
      return fail(400, '01', 'Invalid Field Format X-TIMESTAMP', {
        reason: 'timestamp',
        header: 'X-TIMESTAMP',
        value: timestamp,
      });
    if (!verifyRsaSha256(publicKey, pivotSnapStringToSign(clientId, timestamp), h['x-signature'] as string)) {
      return fail(401, '00', 'Unauthorized. Invalid Signature', {
        reason: 'bad-signature',
        client: clientId,
        header: 'X-SIGNATURE',
        timestampHeader: 'X-TIMESTAMP',
      });
    }
    if (!/^application\/json\b/i.test(h['content-type'] ?? '')) return missingField(service, 'Content-Type', 'header');
    const body = parseJsonObject(request.body);
    if (body === undefined)
      return fail(400, '00', 'Bad Request', { reason: 'bad-request', detail: 'the body is not a JSON object' });
    if (body.grantType === undefined) return missingField(service, 'grantType', 'body');
    const grantType = flow === 'b2b' ? 'client_credentials' : 'authorization_code';
    if (body.grantType !== grantType)
      return fail(400, '01', 'Invalid Field Format grantType', {
        reason: 'invalid-field',
        field: 'grantType',
        in: 'body',
        value: JSON.stringify(body.grantType),
        expected: grantType,
      });
    if (flow === 'b2b') {
      const accessToken = randomToken();
      services.issued(accessToken, clientId, now + lifetime * 1000, now);
      return jsonResponse(200, {
        responseCode: PIVOT_SNAP_SUCCESS.b2b,
        responseMessage: 'Successful',
        accessToken,
        tokenType: 'Bearer',
        expiresIn: String(lifetime),
      });
    }
    const { authCode, refreshToken } = body;
    if (typeof authCode !== 'string' || authCode === '') return missingField(service, 'authCode', 'body');
    if (refreshToken !== undefined && typeof refreshToken !== 'string')
      return fail(400, '01', 'Invalid Field Format refreshToken', {
        reason: 'invalid-field',
        field: 'refreshToken',
        in: 'body',
        expected: 'a string',
      });
    const customer = customerFor(authCode, refreshToken, now);
    if (customer === undefined) return fail(401, '02', 'Invalid Customer Token', { reason: 'unknown-grant' });
    customer.refreshToken = randomToken();
    customer.refreshTokenExpiresAt = now + refreshLifetime * 1000;
    const accessToken = randomToken();
    services.issuedCustomer(accessToken, authCode, now + lifetime * 1000, now);
    return jsonResponse(200, {
      accessToken,
      accessTokenExpiryTime: formatTimestamp(now + lifetime * 1000, PIVOT_TIME),
      refreshToken: customer.refreshToken,
      refreshTokenExpiryTime: formatTimestamp(customer.refreshTokenExpiresAt, PIVOT_TIME),
      responseCode: PIVOT_SNAP_SUCCESS.b2b2c,
      responseMessage: 'Successful',
      tokenType: 'Bearer',
    });
  };

  return defineEmulator({
    provider: PIVOT_SNAP,
    tokenPaths: new Map<string, PivotSnapFlow>([
      [paths.b2b, 'b2b'],
      [paths.b2b2c, 'b2b2c'],
    ]),
    clock: options.clock ?? Date.now,
    answer(request, now, flow) {
      if (flow === undefined) return services.handle(request, now);
      if (request.method !== 'POST')
        return { ...jsonResponse(404, { responseMessage: 'Not Found' }), refusal: { reason: 'not-found' } };
      return answer(flow, request, now);
    },
  });
}
