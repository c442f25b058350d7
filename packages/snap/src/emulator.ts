import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { formatTimestamp, verifyRsaSha256, type TimestampFormat } from '@kunci/core/provider';
import {
  jsonResponse,
  parseJsonObject,
  timestampWithin,
  type EmulatedRequest,
  type EmulatedResponse,
  type ProviderEmulator,
} from '@kunci/core/emulator';
import { SNAP, SNAP_SUCCESS, SNAP_TOKEN_SERVICE, type SnapFlow } from './codes';
import {
  DEFAULT_SNAP_PROFILE,
  SNAP_PROFILES,
  type SnapMinify,
  type SnapProfileName,
  type SnapServiceSignature,
} from './profiles';
import { snapStringToSign } from './request';
import { createSnapServiceVerifier, snapErrorBody } from './service-emulator';
import type { SnapSigningOptions } from './settings';

export interface SnapEmulatorOptions {
  /** The provider name it answers for; default 'snap'. */
  provider?: string | undefined;
  /** Whose settings it checks; default 'aspi'. Each setting below overrides the profile's. */
  profile?: SnapProfileName | undefined;
  /**
   * Clients and the public keys they registered (KeyObject or SPKI/PKCS#1 PEM); with a
   * `clientSecret` (and `partnerId`, default clientId) their symmetric service calls are accepted,
   * with the public key their asymmetric ones.
   */
  clients: ReadonlyArray<{
    clientId: string;
    publicKey: KeyObject | string;
    clientSecret?: string | undefined;
    partnerId?: string | undefined;
  }>;
  /** Bound customers: their auth code (binding id) and the refresh token they hold, if any. */
  customers?: ReadonlyArray<{ authCode: string; refreshToken?: string | undefined }> | undefined;
  /** Also accept any auth code matching this (a sandbox): its first refresh token is taken on trust. */
  authCodePattern?: RegExp | undefined;
  clock?: (() => number) | undefined;
  /** How far X-TIMESTAMP may be from the emulator's clock; default 5 minutes. */
  timestampToleranceMs?: number | undefined;
  paths?: { b2b?: string | undefined; b2b2c?: string | undefined } | undefined;
  /** The X-TIMESTAMP format required (offset and milliseconds exactly); default the profile's. */
  timestamp?: Partial<TimestampFormat> | undefined;
  /** Accept any ISO 8601 X-TIMESTAMP with an offset, as long as it is within the tolerance. Default false. */
  anyTimestampFormat?: boolean | undefined;
  serviceSignature?: SnapServiceSignature | undefined;
  tokenWithAsymmetric?: boolean | undefined;
  /** The B2B2C grant type required; default the profile's. */
  customerGrantType?: string | undefined;
  /** Default 900 (the standard's 15 minutes). */
  tokenLifetimeSeconds?: number | undefined;
  /** Default 86 400. */
  refreshTokenLifetimeSeconds?: number | undefined;
  /** The two service digits of service-call answers; default `SNAP_GENERIC_SERVICE` (`00`). */
  serviceCode?: string | undefined;
  /** How clients sign service calls (kunci's `signing` config); default its defaults and the profile's minify. */
  signing?: Partial<SnapSigningOptions> | undefined;
}

export const SNAP_TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

interface Customer {
  refreshToken?: string | undefined;
  refreshTokenExpiresAt?: number;
}

const randomToken = (): string => randomBytes(32).toString('base64url');

/** A pattern for X-TIMESTAMP in exactly this format: `yyyy-MM-ddTHH:mm:ss[.SSS]` and this offset. */
function timestampPattern(format: TimestampFormat): RegExp {
  const offset = format.offset === 'Z' ? 'Z' : format.offset.replace('+', '\\+');
  return new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}${format.milliseconds ? '\\.\\d{3}' : ''}${offset}$`);
}

/**
 * A SNAP provider's token endpoints and API as a profile describes them: client key, X-TIMESTAMP
 * in the profile's format and within the window, the RSA signature, the grant, then the customer's
 * auth code and refresh token, which is rotated on every answer (the previous one is refused
 * afterwards). Any other path is a service call, verified in the profile's scheme (symmetric or
 * asymmetric) as `createSnapServiceVerifier` says.
 */
export function createSnapEmulator(options: SnapEmulatorOptions): ProviderEmulator {
  const provider = options.provider ?? SNAP;
  const profile = SNAP_PROFILES[options.profile ?? DEFAULT_SNAP_PROFILE];
  const clock = options.clock ?? Date.now;
  const tolerance = options.timestampToleranceMs ?? SNAP_TIMESTAMP_TOLERANCE_MS;
  const lifetime = options.tokenLifetimeSeconds ?? 900;
  const refreshLifetime = options.refreshTokenLifetimeSeconds ?? 86_400;
  const paths = {
    b2b: options.paths?.b2b ?? profile.paths.b2b,
    b2b2c: options.paths?.b2b2c ?? profile.paths.b2b2c,
  };
  const format: TimestampFormat = {
    offset: options.timestamp?.offset ?? profile.timestamp.offset,
    milliseconds: options.timestamp?.milliseconds ?? profile.timestamp.milliseconds,
  };
  const pattern = timestampPattern(format);
  const customerGrant = options.customerGrantType ?? profile.customerGrantType;
  const timestampValid = (timestamp: string, now: number): boolean =>
    (options.anyTimestampFormat === true || pattern.test(timestamp)) && timestampWithin(timestamp, now, tolerance);
  const keys = new Map(
    options.clients.map((c) => [
      c.clientId,
      typeof c.publicKey === 'string' ? createPublicKey(c.publicKey) : c.publicKey,
    ]),
  );
  const minify: SnapMinify = options.signing?.minify ?? profile.minify;
  const services = createSnapServiceVerifier({
    clients: options.clients.map((c) => ({ ...c, publicKey: keys.get(c.clientId) as KeyObject })),
    clock,
    timestampValid,
    scheme: options.serviceSignature ?? profile.serviceSignature,
    tokenWithAsymmetric: options.tokenWithAsymmetric ?? profile.tokenWithAsymmetric,
    signing: { ...options.signing, minify },
    ...(options.serviceCode !== undefined ? { serviceCode: options.serviceCode } : {}),
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

  const answer = (flow: SnapFlow, request: EmulatedRequest, now: number): EmulatedResponse => {
    const headers = { date: new Date(now).toUTCString() };
    const fail = (status: number, kase: string, message: string): EmulatedResponse =>
      jsonResponse(status, snapErrorBody(`${status}${SNAP_TOKEN_SERVICE[flow]}${kase}`, message), headers);
    const h = request.headers;
    for (const name of ['x-client-key', 'x-timestamp', 'x-signature']) {
      if ((h[name] ?? '') === '') return fail(400, '02', `Invalid Mandatory Field ${name.toUpperCase()}`);
    }
    const clientId = h['x-client-key'] as string;
    const timestamp = h['x-timestamp'] as string;
    const publicKey = keys.get(clientId);
    if (publicKey === undefined) return fail(401, '00', 'Unauthorized. Unknown Client');
    if (!timestampValid(timestamp, now)) return fail(400, '01', 'Invalid Field Format X-TIMESTAMP');
    if (!verifyRsaSha256(publicKey, snapStringToSign(clientId, timestamp), h['x-signature'] as string)) {
      return fail(401, '00', 'Unauthorized. Invalid Signature');
    }
    if (!/^application\/json\b/i.test(h['content-type'] ?? ''))
      return fail(400, '02', 'Invalid Mandatory Field Content-Type');
    const body = parseJsonObject(request.body);
    if (body === undefined) return fail(400, '00', 'Bad Request');
    if (body.grantType === undefined) return fail(400, '02', 'Invalid Mandatory Field grantType');
    if (body.grantType !== (flow === 'B2B' ? 'client_credentials' : customerGrant))
      return fail(400, '01', 'Invalid Field Format grantType');
    if (flow === 'B2B') {
      const accessToken = randomToken();
      services.issued(accessToken, clientId, now + lifetime * 1000, now);
      return jsonResponse(
        200,
        {
          responseCode: SNAP_SUCCESS.B2B,
          responseMessage: 'Successful',
          accessToken,
          tokenType: 'Bearer',
          expiresIn: String(lifetime),
        },
        headers,
      );
    }
    const { authCode, refreshToken } = body;
    if (typeof authCode !== 'string' || authCode === '') return fail(400, '02', 'Invalid Mandatory Field authCode');
    if (refreshToken !== undefined && typeof refreshToken !== 'string')
      return fail(400, '01', 'Invalid Field Format refreshToken');
    const customer = customerFor(authCode, refreshToken, now);
    if (customer === undefined) return fail(401, '02', 'Invalid Customer Token');
    customer.refreshToken = randomToken();
    customer.refreshTokenExpiresAt = now + refreshLifetime * 1000;
    const accessToken = randomToken();
    services.issuedCustomer(accessToken, authCode, now + lifetime * 1000, now);
    return jsonResponse(
      200,
      {
        accessToken,
        accessTokenExpiryTime: formatTimestamp(now + lifetime * 1000, profile.timestamp),
        refreshToken: customer.refreshToken,
        refreshTokenExpiryTime: formatTimestamp(customer.refreshTokenExpiresAt, profile.timestamp),
        responseCode: SNAP_SUCCESS.B2B2C,
        responseMessage: 'Successful',
        tokenType: 'Bearer',
      },
      headers,
    );
  };

  return {
    provider,
    paths: [paths.b2b, paths.b2b2c],
    handle(request: EmulatedRequest): EmulatedResponse {
      const flow: SnapFlow | undefined =
        request.path === paths.b2b ? 'B2B' : request.path === paths.b2b2c ? 'B2B2C' : undefined;
      if (flow === undefined) return services.handle(request);
      if (request.method !== 'POST') return jsonResponse(404, { responseMessage: 'Not Found' });
      return answer(flow, request, clock());
    },
  };
}
