import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { formatTimestamp, verifyRsaSha256, type TimestampFormat } from '@kunci/core/provider';
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
import { SNAP, SNAP_SUCCESS, SNAP_TOKEN_SERVICE, type SnapFlow } from './codes';
import { snapError, snapMissingField } from './errors';
import {
  DEFAULT_SNAP_PROFILE,
  SNAP_PROFILES,
  type SnapProfile,
  type SnapProfileName,
  type SnapServiceSignature,
} from './profiles';
import { snapStringToSign } from './request';
import { createSnapServiceVerifier, snapTimestampRefusal, type SnapServiceRules } from './service-emulator';
import type { SnapSigningOptions } from './settings';
import { serviceSigningOptions } from '@kunci/core/provider';

/**
 * A client and the public key it registered (KeyObject or SPKI/PKCS#1 PEM); with a `clientSecret`
 * (and `partnerId`, default clientId) its symmetric service calls are accepted, with the public key
 * its asymmetric ones. `profile`: whose settings its requests are held to (default the emulator's).
 */
export interface SnapEmulatorClient {
  clientId: string;
  publicKey: KeyObject | string;
  clientSecret?: string | undefined;
  partnerId?: string | undefined;
  profile?: SnapProfileName | undefined;
}

export interface SnapEmulatorOptions {
  /** The provider name it answers for; default 'snap'. */
  provider?: string | undefined;
  /** Whose settings it checks; default 'aspi'. Each setting below overrides the profile's. */
  profile?: SnapProfileName | undefined;
  clients: readonly SnapEmulatorClient[];
  /** Bound customers: their auth code (binding id) and the refresh token they hold, if any. */
  customers?: ReadonlyArray<{ authCode: string; refreshToken?: string | undefined }> | undefined;
  /** Also accept any auth code matching this (a sandbox): its first refresh token is taken on trust. */
  authCodePattern?: RegExp | undefined;
  /** The emulated server's clock, for the timestamp window and the `Date` header. */
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

/** One profile as the emulator holds its clients to it. */
interface Rules extends SnapServiceRules {
  paths: { b2b: string; b2b2c: string };
  format: TimestampFormat;
  customerGrantType: string;
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
 * afterwards). Any other path is a service call, verified in the client's scheme (symmetric or
 * asymmetric) as `createSnapServiceVerifier` says. Clients of several profiles may share one
 * emulator (the sandbox's): each is held to its own profile's paths, timestamp and scheme.
 */
export function createSnapEmulator(options: SnapEmulatorOptions): ProviderEmulator {
  const provider = options.provider ?? SNAP;
  const tolerance = options.timestampToleranceMs ?? SNAP_TIMESTAMP_TOLERANCE_MS;
  const lifetime = options.tokenLifetimeSeconds ?? 900;
  const refreshLifetime = options.refreshTokenLifetimeSeconds ?? 86_400;
  const signing = serviceSigningOptions(options.signing);

  const rulesOf = (profile: SnapProfile, own: boolean): Rules => {
    const format: TimestampFormat = {
      offset: (own ? options.timestamp?.offset : undefined) ?? profile.timestamp.offset,
      milliseconds: (own ? options.timestamp?.milliseconds : undefined) ?? profile.timestamp.milliseconds,
    };
    const pattern = timestampPattern(format);
    return {
      paths: {
        b2b: (own ? options.paths?.b2b : undefined) ?? profile.paths.b2b,
        b2b2c: (own ? options.paths?.b2b2c : undefined) ?? profile.paths.b2b2c,
      },
      format,
      customerGrantType: (own ? options.customerGrantType : undefined) ?? profile.customerGrantType,
      scheme: (own ? options.serviceSignature : undefined) ?? profile.serviceSignature,
      tokenWithAsymmetric: (own ? options.tokenWithAsymmetric : undefined) ?? profile.tokenWithAsymmetric,
      signing: { ...signing, minify: (own ? options.signing?.minify : undefined) ?? profile.minify },
      ...(options.anyTimestampFormat === true
        ? {}
        : {
            timestampFormat: {
              test: (timestamp: string) => pattern.test(timestamp),
              expected: `yyyy-MM-ddTHH:mm:ss${format.milliseconds ? '.SSS' : ''}${format.offset}`,
            },
          }),
      timestampWithin: (timestamp, now) => timestampWithin(timestamp, now, tolerance),
    };
  };
  const ownName = options.profile ?? DEFAULT_SNAP_PROFILE;
  const byProfile = new Map<SnapProfileName, Rules>([[ownName, rulesOf(SNAP_PROFILES[ownName], true)]]);
  for (const client of options.clients) {
    const name = client.profile ?? ownName;
    if (!byProfile.has(name)) byProfile.set(name, rulesOf(SNAP_PROFILES[name], false));
  }
  const own = byProfile.get(ownName) as Rules;
  const clients = new Map(
    options.clients.map((c) => [
      c.clientId,
      {
        publicKey: typeof c.publicKey === 'string' ? createPublicKey(c.publicKey) : c.publicKey,
        rules: byProfile.get(c.profile ?? ownName) as Rules,
      },
    ]),
  );
  const tokenPaths = new Map<string, SnapFlow>();
  for (const rules of byProfile.values()) {
    tokenPaths.set(rules.paths.b2b, 'b2b');
    tokenPaths.set(rules.paths.b2b2c, 'b2b2c');
  }
  const services = createSnapServiceVerifier({
    clients: options.clients.map((c) => ({
      ...c,
      ...(clients.get(c.clientId) as { publicKey: KeyObject; rules: Rules }),
    })),
    rules: own,
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
    const service = SNAP_TOKEN_SERVICE[flow];
    const fail = (status: number, kase: string, message: string, refusal: Refusal): EmulatedResponse =>
      snapError(status, service, kase, message, refusal);
    const h = request.headers;
    for (const name of ['x-client-key', 'x-timestamp', 'x-signature']) {
      if ((h[name] ?? '') === '') return snapMissingField(service, name.toUpperCase(), 'header');
    }
    const clientId = h['x-client-key'] as string;
    const timestamp = h['x-timestamp'] as string;
    const client = clients.get(clientId);
    if (client === undefined)
      return fail(401, '00', 'Unauthorized. Unknown Client', {
        reason: 'unknown-client',
        client: clientId,
        role: 'client',
      });
    const { rules } = client;
    if (rules.paths[flow] !== request.path)
      return { ...jsonResponse(404, { responseMessage: 'Not Found' }), refusal: { reason: 'not-found' } };
    const late = snapTimestampRefusal(rules, timestamp, now);
    if (late !== undefined) return fail(400, '01', 'Invalid Field Format X-TIMESTAMP', late);
    if (!verifyRsaSha256(client.publicKey, snapStringToSign(clientId, timestamp), h['x-signature'] as string)) {
      return fail(401, '00', 'Unauthorized. Invalid Signature', {
        reason: 'bad-signature',
        client: clientId,
        header: 'X-SIGNATURE',
        timestampHeader: 'X-TIMESTAMP',
      });
    }
    if (!/^application\/json\b/i.test(h['content-type'] ?? ''))
      return snapMissingField(service, 'Content-Type', 'header');
    const body = parseJsonObject(request.body);
    if (body === undefined)
      return fail(400, '00', 'Bad Request', { reason: 'bad-request', detail: 'the body is not a JSON object' });
    if (body.grantType === undefined) return snapMissingField(service, 'grantType', 'body');
    const grantType = flow === 'b2b' ? 'client_credentials' : rules.customerGrantType;
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
        responseCode: SNAP_SUCCESS.b2b,
        responseMessage: 'Successful',
        accessToken,
        tokenType: 'Bearer',
        expiresIn: String(lifetime),
      });
    }
    const { authCode, refreshToken } = body;
    if (typeof authCode !== 'string' || authCode === '') return snapMissingField(service, 'authCode', 'body');
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
      accessTokenExpiryTime: formatTimestamp(now + lifetime * 1000, rules.format),
      refreshToken: customer.refreshToken,
      refreshTokenExpiryTime: formatTimestamp(customer.refreshTokenExpiresAt, rules.format),
      responseCode: SNAP_SUCCESS.b2b2c,
      responseMessage: 'Successful',
      tokenType: 'Bearer',
    });
  };

  return defineEmulator({
    provider,
    tokenPaths,
    clock: options.clock ?? Date.now,
    answer(request, now, flow) {
      if (flow === undefined) return services.handle(request, now);
      if (request.method !== 'POST')
        return { ...jsonResponse(404, { responseMessage: 'Not Found' }), refusal: { reason: 'not-found' } };
      return answer(flow, request, now);
    },
  });
}
