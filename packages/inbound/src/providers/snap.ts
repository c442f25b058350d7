import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseOffsetDateTime, tokenStringToSign } from '@kunci/core/provider';
import { snapMinifiedBody } from '@kunci/snap';
import { sha256Hex, signatureBytes, textMatcher, verifiedByAny } from '../compare';
import { ID_PATTERN } from '../config';
import type { DriverContext, DriverDefinition, InboundDriver, CheckedNotification } from '../driver';
import { JSON_HEADERS, malformedField, missingField, REFUSALS, type AnswerFormat, type Refusal } from '../errors';
import { inboundProfile } from '../profiles';
import { parseBody, Refused, requiredHeader, type ReceivedRequest } from '../request';
import type { InboundCommonConfig } from '../config';
import type { InboundAnswer, NotificationScheme } from '../types';

/** A route's codes: its service code, and the acknowledgement when it is not `200` + service + `00`. */
export interface SnapRoute {
  serviceCode?: string | undefined;
  ackCode?: string | undefined;
}

/** A SNAP provider's notifications (protocols: inbound). */
export interface SnapInboundConfig extends InboundCommonConfig {
  provider: 'snap';
  /** A SNAP profile's name (its notification scheme and routes); explicit settings win. */
  profile?: string | undefined;
  /** `asymmetric` (RSA with the provider's key) or `symmetric` (HMAC with a token this backend issued). */
  scheme?: NotificationScheme | undefined;
  /** The id the provider presents: `X-PARTNER-ID` on notifications, `X-CLIENT-KEY` on token requests. */
  clientId: string;
  /** The provider's public key (PEM, Base64, env:, file:), or several during a rotation. */
  publicKey: string | readonly string[];
  /** The shared secret of symmetric notifications. */
  clientSecret?: string | undefined;
  /** How far `X-TIMESTAMP` may be from the clock; default 300 s. */
  maxSkewSeconds?: number | undefined;
  /** How long an `X-EXTERNAL-ID` stays refused after it was accepted; default 24 h. */
  replayWindowSeconds?: number | undefined;
  /** Lifetime of the tokens `issueToken` issues; default 900 s. */
  tokenLifetimeSeconds?: number | undefined;
  /** Service code of routes not in `routes`; default `00`. */
  serviceCode?: string | undefined;
  /** Codes by route (the path without its query): `{ '/v1.0/debit/notify': { serviceCode: '56' } }`. */
  routes?: Readonly<Record<string, SnapRoute>> | undefined;
}

export const SNAP_TOKEN_SERVICE_CODE = '73';
export const DEFAULT_MAX_SKEW_SECONDS = 300;
export const DEFAULT_REPLAY_WINDOW_SECONDS = 24 * 60 * 60;
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 900;

const SERVICE_CODE = /^\d{2}$/;
const ACK_CODE = /^2\d{6}$/;
/** SNAP: a numeric string of at most 36; letters are let through (some providers send UUIDs). */
const EXTERNAL_ID = /^[A-Za-z0-9-]{1,64}$/;

const FIELDS = [
  'profile',
  'scheme',
  'clientId',
  'publicKey',
  'clientSecret',
  'maxSkewSeconds',
  'replayWindowSeconds',
  'tokenLifetimeSeconds',
  'serviceCode',
  'routes',
];

/** SNAP's flat answer: `{ responseCode, responseMessage }`, the code = HTTP status + service + case. */
export const SNAP_FORMAT: AnswerFormat = {
  code: (refused: Refusal, serviceCode: string) => `${refused.status}${serviceCode}${refused.caseCode}`,
  body: (code, message) => ({ responseCode: code, responseMessage: message }),
};

function readRoutes(context: DriverContext, profileRoutes: Record<string, SnapRoute>): Map<string, SnapRoute> {
  const { reader } = context;
  const routes = new Map(Object.entries(profileRoutes));
  const given = reader.config.routes;
  if (given === undefined) return routes;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    reader.problems.push('routes must be an object of paths');
    return routes;
  }
  for (const [path, route] of Object.entries(given as Record<string, unknown>)) {
    const { serviceCode, ackCode, ...rest } = (typeof route === 'object' && route !== null ? route : {}) as Record<
      string,
      unknown
    >;
    if (!path.startsWith('/')) reader.problems.push(`routes.${path} must be a path starting with /`);
    if (Object.keys(rest).length > 0 || typeof route !== 'object' || route === null)
      reader.problems.push(`routes.${path} takes serviceCode and ackCode only`);
    if (serviceCode !== undefined && (typeof serviceCode !== 'string' || !SERVICE_CODE.test(serviceCode)))
      reader.problems.push(`routes.${path}.serviceCode must be two digits`);
    if (ackCode !== undefined && (typeof ackCode !== 'string' || !ACK_CODE.test(ackCode)))
      reader.problems.push(`routes.${path}.ackCode must be seven digits starting with 2`);
    routes.set(path, route as SnapRoute);
  }
  return routes;
}

function createSnapDriver(context: DriverContext): InboundDriver {
  const { reader, store, clock, name } = context;
  const profileName = reader.optionalString('profile', /^[a-z][a-z0-9-]{0,31}$/, 'a profile name');
  const profile = profileName === undefined ? undefined : inboundProfile(profileName);
  const scheme =
    (reader.optionalString('scheme', /^(asymmetric|symmetric)$/, "'asymmetric' or 'symmetric'") as
      NotificationScheme | undefined) ?? profile?.scheme;
  if (scheme === undefined && reader.config.scheme === undefined)
    reader.problems.push(
      profileName === undefined
        ? "scheme is required: 'asymmetric' or 'symmetric'"
        : `scheme is required: the profile '${profileName}' names no notification scheme here`,
    );
  const clientId = reader.requiredString('clientId', ID_PATTERN, 'visible ASCII without spaces (at most 256)');
  const keys = reader.publicKeys('publicKey');
  const clientSecret = reader.secret('clientSecret', scheme === 'symmetric');
  const maxSkewMs = (reader.optionalInt('maxSkewSeconds', 1, 3600) ?? DEFAULT_MAX_SKEW_SECONDS) * 1000;
  const replayMs =
    (reader.optionalInt('replayWindowSeconds', 60, 7 * 24 * 3600) ?? DEFAULT_REPLAY_WINDOW_SECONDS) * 1000;
  const lifetime = reader.optionalInt('tokenLifetimeSeconds', 60, 24 * 3600) ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  const defaultService = reader.optionalString('serviceCode', SERVICE_CODE, 'two digits') ?? '00';
  const routes = readRoutes(context, { ...profile?.routes });
  // The body hash is taken over the body minified by the profile's rule ('compact' without one).
  const minify = profile?.minify ?? 'compact';
  reader.finish();

  const serviceCode = (route: string): string => routes.get(route)?.serviceCode ?? defaultService;
  const tokenKey = (token: string): string => `kunci:inbound:${name}:token:${sha256Hex(token)}`;

  const isClient = textMatcher(clientId);

  function knownClient(request: ReceivedRequest, header: string): string {
    const sent = requiredHeader(request, header);
    if (!isClient(sent)) throw new Refused(REFUSALS.unknownClient, `the ${header} is not the client configured.`);
    return sent;
  }

  /** `X-TIMESTAMP`: present, an ISO 8601 date-time with its offset, within the window. */
  function freshTimestamp(request: ReceivedRequest): { header: string; at: Date } {
    const header = requiredHeader(request, 'X-TIMESTAMP', missingField('X-TIMESTAMP', 'TIMESTAMP_REJECTED'));
    const at = parseOffsetDateTime(header);
    if (at === undefined)
      throw new Refused(
        malformedField('X-TIMESTAMP', 'TIMESTAMP_REJECTED'),
        'the X-TIMESTAMP header is not a date-time with an offset (2026-11-22T10:15:30+07:00).',
      );
    const skewMs = Math.abs(at.getTime() - clock());
    if (skewMs > maxSkewMs)
      throw new Refused(
        REFUSALS.staleTimestamp,
        `the X-TIMESTAMP is ${Math.round(skewMs / 1000)} s from this clock, more than maxSkewSeconds (${maxSkewMs / 1000}).`,
      );
    return { header, at };
  }

  function signature(request: ReceivedRequest): Buffer {
    const header = requiredHeader(request, 'X-SIGNATURE', missingField('X-SIGNATURE', 'SIGNATURE_REJECTED'));
    const bytes = signatureBytes(header);
    if (bytes === undefined) throw new Refused(REFUSALS.badSignature, 'the X-SIGNATURE header is not standard Base64.');
    return bytes;
  }

  /** The symmetric scheme's token: one this backend issued to this client, not expired. */
  async function issuedToken(request: ReceivedRequest): Promise<string> {
    const header = requiredHeader(request, 'Authorization', REFUSALS.tokenMissing);
    const token = /^Bearer +([\x21-\x7e]{1,1024})$/i.exec(header)?.[1];
    if (token === undefined)
      throw new Refused(REFUSALS.tokenInvalid, 'the Authorization header is not `Bearer <token>`.');
    const record = await store.get(tokenKey(token));
    const issued = readIssued(record);
    if (issued?.clientId !== clientId)
      throw new Refused(REFUSALS.tokenInvalid, 'the bearer token was not issued by this backend (or was dropped).');
    if (issued.expiresAt <= clock()) throw new Refused(REFUSALS.tokenInvalid, 'the bearer token has expired.');
    return token;
  }

  async function verifySignature(request: ReceivedRequest, timestamp: string, sent: Buffer): Promise<void> {
    const method = request.method.toUpperCase();
    const bodyHash = sha256Hex(snapMinifiedBody(request.rawBody, { minify, emptyBody: '' }));
    if (scheme === 'asymmetric') {
      if (!verifiedByAny(keys, `${method}:${request.path}:${bodyHash}:${timestamp}`, sent))
        throw new Refused(REFUSALS.badSignature, "the X-SIGNATURE is not the provider's signature of this request.");
      return;
    }
    const token = await issuedToken(request);
    const expected = createHmac('sha512', clientSecret ?? '')
      .update(`${method}:${request.path}:${token}:${bodyHash}:${timestamp}`, 'utf8')
      .digest();
    // An HMAC-SHA512 is 64 bytes whatever the secret: its length tells nothing, its bytes are
    // compared in constant time.
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected))
      throw new Refused(
        REFUSALS.badSignature,
        'the X-SIGNATURE is not the HMAC of this request with the client secret.',
      );
  }

  /** `X-EXTERNAL-ID` unseen in the replay window, and the signature unseen in the freshness window. */
  async function firstSighting(request: ReceivedRequest, sent: Buffer): Promise<string[]> {
    const externalId = requiredHeader(request, 'X-EXTERNAL-ID');
    if (!EXTERNAL_ID.test(externalId))
      throw new Refused(malformedField('X-EXTERNAL-ID'), 'the X-EXTERNAL-ID is not 1 to 64 letters, digits or -.');
    // One client per inbound, so its name scopes the id; both are checked text (no hashing needed).
    const idKey = `kunci:inbound:${name}:external-id:${externalId}`;
    // X-EXTERNAL-ID is not signed: the signature itself is claimed too, for the window in which its
    // timestamp is accepted, so a captured notification sent again under a new id is refused as well.
    const signatureKey = `kunci:inbound:${name}:signature:${sent.toString('base64')}`;
    if (!(await store.claim(idKey, replayMs)))
      throw new Refused(REFUSALS.replay, 'this X-EXTERNAL-ID was accepted before (a replay).');
    if (!(await store.claim(signatureKey, 2 * maxSkewMs))) {
      await store.delete(idKey);
      throw new Refused(REFUSALS.replay, 'this signature was accepted before (a replay under another X-EXTERNAL-ID).');
    }
    return [idKey, signatureKey];
  }

  return {
    format: SNAP_FORMAT,
    serviceCode,
    tokenServiceCode: SNAP_TOKEN_SERVICE_CODE,

    async verify(request): Promise<CheckedNotification> {
      const client = knownClient(request, 'X-PARTNER-ID');
      const timestamp = freshTimestamp(request);
      const sent = signature(request);
      await verifySignature(request, timestamp.header, sent);
      const body = parseBody(request.rawBody);
      const claims = await firstSighting(request, sent);
      const route = routes.get(request.route);
      const service = serviceCode(request.route);
      return {
        scheme: scheme ?? 'asymmetric',
        method: request.method,
        path: request.path,
        clientId: client,
        externalId: request.header('X-EXTERNAL-ID'),
        timestamp: timestamp.at,
        body,
        rawBody: request.rawBody,
        ack: {
          status: 200,
          headers: { ...JSON_HEADERS },
          body: SNAP_FORMAT.body(route?.ackCode ?? `200${service}00`, 'Successful'),
        },
        claims,
      };
    },

    async issueToken(request): Promise<InboundAnswer> {
      const client = knownClient(request, 'X-CLIENT-KEY');
      const timestamp = freshTimestamp(request);
      const sent = signature(request);
      if (!verifiedByAny(keys, tokenStringToSign(client, timestamp.header), sent))
        throw new Refused(
          REFUSALS.badSignature,
          "the X-SIGNATURE is not the provider's signature of clientId|X-TIMESTAMP.",
        );
      const body = parseBody(request.rawBody);
      const grantType = (body as { grantType?: unknown } | null)?.grantType;
      if (typeof body !== 'object' || body === null || grantType === undefined)
        throw new Refused(missingField('grantType'), 'the token request has no grantType.');
      if (grantType !== 'client_credentials')
        throw new Refused(malformedField('grantType'), 'the token request grantType is not client_credentials.');
      const accessToken = randomBytes(32).toString('base64url');
      const expiresAt = clock() + lifetime * 1000;
      await store.put(tokenKey(accessToken), JSON.stringify({ clientId: client, expiresAt }), lifetime * 1000);
      return {
        status: 200,
        headers: { ...JSON_HEADERS },
        body: {
          responseCode: `200${SNAP_TOKEN_SERVICE_CODE}00`,
          responseMessage: 'Successful',
          accessToken,
          tokenType: 'Bearer',
          expiresIn: String(lifetime),
        },
      };
    },
  };
}

function readIssued(record: string | undefined): { clientId: string; expiresAt: number } | undefined {
  if (record === undefined) return undefined;
  try {
    const value = JSON.parse(record) as { clientId?: unknown; expiresAt?: unknown };
    return typeof value.clientId === 'string' && typeof value.expiresAt === 'number'
      ? { clientId: value.clientId, expiresAt: value.expiresAt }
      : undefined;
  } catch {
    return undefined;
  }
}

export const snapInbound: DriverDefinition = { fields: FIELDS, create: createSnapDriver };
