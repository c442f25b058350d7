import { createPublicKey, type KeyObject } from 'node:crypto';
import { isUUID } from 'class-validator';
import {
  defineEmulator,
  fakeJwt,
  jsonResponse,
  parseJsonObject,
  refused,
  sameSecret,
  timestampWithin,
  type EmulatedRequest,
  type EmulatedResponse,
  type ProviderEmulator,
} from '@kunci/core/emulator';
import { isObject, verifyRsaSha256, type ServiceSigningOptions } from '@kunci/core/provider';
import { KLIKOO, KLIKOO_SUCCESS, type KlikooAuthCode } from './codes';
import { DEFAULT_KLIKOO_PATH } from './config';
import { klikooError, klikooErrorBody } from './errors';
import { klikooStringToSign } from './request';
import { createKlikooServiceVerifier } from './service-emulator';

/** Klikoo does not publish its window; five minutes either way is what SNAP-style gateways allow. */
export const DEFAULT_KLIKOO_TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

export interface KlikooEmulatorClient {
  clientId: string;
  clientSecret: string;
  /** The public half registered in Klikoo's dashboard: a KeyObject or SPKI PEM text. */
  publicKey: KeyObject | string;
}

export interface KlikooEmulatorOptions {
  clients: readonly KlikooEmulatorClient[];
  /** The emulated server's clock, for the timestamp window and the `Date` header. */
  clock?: () => number;
  timestampToleranceMs?: number;
  path?: string;
  tokenLifetimeSeconds?: number;
  /** The two service digits of service-call answers; default `KLIKOO_GENERIC_SERVICE` (`00`). */
  serviceCode?: string;
  /** How clients sign service calls (kunci's `signing` config); default its defaults. */
  signing?: Partial<ServiceSigningOptions>;
}

const TIMESTAMP = 'Open-Api-Timestamp';
const SIGNATURE = 'Open-Api-Signature';

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const reject = (code: KlikooAuthCode, refusal: Parameters<typeof refused>[1]): EmulatedResponse =>
  refused(klikooError(code), refusal);

/**
 * Klikoo's token endpoint: checks the timestamp (format and window), the body, the client, the
 * signature over `client_id|Open-Api-Timestamp` with the registered public key, then the secret,
 * and answers with the documented bodies and codes. The signature needs the client id from the
 * body, so the body is read before the signature is verified. Any other path is an API call,
 * verified as `createKlikooServiceVerifier` says.
 */
export function createKlikooEmulator(options: KlikooEmulatorOptions): ProviderEmulator {
  const path = options.path ?? DEFAULT_KLIKOO_PATH;
  const tolerance = options.timestampToleranceMs ?? DEFAULT_KLIKOO_TIMESTAMP_TOLERANCE_MS;
  const lifetime = options.tokenLifetimeSeconds ?? 900;
  const clients = new Map(
    options.clients.map((c) => [
      c.clientId,
      {
        clientSecret: c.clientSecret,
        publicKey: typeof c.publicKey === 'string' ? createPublicKey(c.publicKey) : c.publicKey,
      },
    ]),
  );
  const services = createKlikooServiceVerifier({
    clients: options.clients,
    timestampToleranceMs: tolerance,
    ...(options.serviceCode !== undefined ? { serviceCode: options.serviceCode } : {}),
    ...(options.signing !== undefined ? { signing: options.signing } : {}),
  });
  return defineEmulator({
    provider: KLIKOO,
    tokenPaths: new Map([[path, 'b2b']]),
    clock: options.clock ?? Date.now,
    answer: (request, now, flow) => (flow === undefined ? services.handle(request, now) : token(request, now)),
  });

  function token(request: EmulatedRequest, now: number): EmulatedResponse {
    if (request.method !== 'POST')
      return refused(jsonResponse(404, klikooErrorBody('404000000', 'Not Found')), { reason: 'not-found' });
    const body = parseJsonObject(request.body);
    if (body === undefined || !/application\/json/.test(request.headers['content-type'] ?? ''))
      return reject('400016510', {
        reason: 'bad-request',
        detail: 'the body is not a JSON object sent as application/json',
      });
    const timestamp = request.headers['open-api-timestamp'];
    const signature = request.headers['open-api-signature'];
    if (!nonEmpty(timestamp)) return reject('400016512', { reason: 'missing-field', field: TIMESTAMP, in: 'header' });
    if (!nonEmpty(signature)) return reject('400016512', { reason: 'missing-field', field: SIGNATURE, in: 'header' });
    if (!timestampWithin(timestamp, now, tolerance))
      return reject('400016505', { reason: 'timestamp', header: TIMESTAMP, value: timestamp });
    const info = isObject(body.additional_info) ? body.additional_info : {};
    const clientId = info.client_id;
    const clientSecret = info.client_secret;
    for (const [field, value] of [
      ['grant_type', body.grant_type],
      ['additional_info.client_id', clientId],
      ['additional_info.client_secret', clientSecret],
    ] as const) {
      if (field === 'grant_type' ? value === undefined : !nonEmpty(value))
        return reject('400016512', { reason: 'missing-field', field, in: 'body' });
    }
    const id = clientId as string;
    if (body.grant_type !== 'client_credentials')
      return reject('400016569', {
        reason: 'invalid-field',
        field: 'grant_type',
        in: 'body',
        expected: 'client_credentials',
      });
    if (!isUUID(id, '4'))
      return reject('400016568', {
        reason: 'invalid-field',
        field: 'additional_info.client_id',
        in: 'body',
        value: id,
        expected: 'a UUID v4',
      });
    const client = clients.get(id);
    if (client === undefined) return reject('401016570', { reason: 'unknown-client', client: id, role: 'client' });
    if (!verifyRsaSha256(client.publicKey, klikooStringToSign(id, timestamp), signature))
      return reject('400016508', {
        reason: 'bad-signature',
        client: id,
        header: SIGNATURE,
        timestampHeader: TIMESTAMP,
      });
    if (!sameSecret(clientSecret as string, client.clientSecret))
      return reject('401016570', { reason: 'wrong-secret', client: id, role: 'client' });
    const exp = Math.floor(now / 1000) + lifetime;
    const accessToken = fakeJwt({ iss: 'kunci-sandbox', sub: id, exp }, 'RS256');
    services.issued(accessToken, id, now + lifetime * 1000, now);
    return jsonResponse(200, {
      response_code: KLIKOO_SUCCESS,
      response_message: 'Sukses',
      data: { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime },
    });
  }
}
