import { createPublicKey, type KeyObject } from 'node:crypto';
import { isUUID } from 'class-validator';
import {
  fakeJwt,
  jsonResponse,
  parseJsonObject,
  sameSecret,
  timestampWithin,
  type EmulatedRequest,
  type EmulatedResponse,
  type ProviderEmulator,
} from '@kunci/core/emulator';
import { verifyRsaSha256, type ServiceSigningOptions } from '@kunci/core/provider';
import { KLIKOO, KLIKOO_SUCCESS, klikooMessage, type KlikooAuthCode } from './codes';
import { DEFAULT_KLIKOO_PATH } from './config';
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
  /** The emulated server's clock, for the timestamp window. */
  clock?: () => number;
  timestampToleranceMs?: number;
  path?: string;
  tokenLifetimeSeconds?: number;
  /** The two service digits of service-call answers; default `KLIKOO_GENERIC_SERVICE` (`00`). */
  serviceCode?: string;
  /** How clients sign service calls (kunci's `signing` config); default its defaults. */
  signing?: Partial<ServiceSigningOptions>;
}

/** Klikoo's error envelope. */
export function klikooErrorBody(code: string, message: string): Record<string, unknown> {
  return { response_code: code, response_message: message };
}

/** An answer with one of the documented Auth codes; the HTTP status is the code's first three digits. */
function reject(code: KlikooAuthCode): EmulatedResponse {
  return jsonResponse(Number(code.slice(0, 3)), klikooErrorBody(code, klikooMessage(code) ?? code));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * Klikoo's token endpoint: checks the timestamp (format and window), the body, the client, the
 * signature over `client_id|Open-Api-Timestamp` with the registered public key, then the secret,
 * and answers with the documented bodies and codes. The signature needs the client id from the
 * body, so the body is read before the signature is verified. Any other path is an API call,
 * verified as `createKlikooServiceVerifier` says.
 */
export function createKlikooEmulator(options: KlikooEmulatorOptions): ProviderEmulator {
  const path = options.path ?? DEFAULT_KLIKOO_PATH;
  const clock = options.clock ?? Date.now;
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
    clock,
    timestampToleranceMs: tolerance,
    ...(options.serviceCode !== undefined ? { serviceCode: options.serviceCode } : {}),
    ...(options.signing !== undefined ? { signing: options.signing } : {}),
  });
  // The answer's Date is the emulated server's clock (the one its timestamp window uses), as a
  // client measures its skew from it.
  const dated = (response: EmulatedResponse): EmulatedResponse => ({
    ...response,
    headers: { ...response.headers, date: new Date(clock()).toUTCString() },
  });
  return {
    provider: KLIKOO,
    paths: [path],
    handle: (request) => dated(answer(request)),
  };

  function answer(request: EmulatedRequest): EmulatedResponse {
    if (request.path !== path) return services.handle(request);
    if (request.method !== 'POST') return jsonResponse(404, klikooErrorBody('404000000', 'Not Found'));
    const body = parseJsonObject(request.body);
    if (body === undefined || !/application\/json/.test(request.headers['content-type'] ?? ''))
      return reject('400016510');
    const timestamp = request.headers['open-api-timestamp'];
    const signature = request.headers['open-api-signature'];
    if (!nonEmpty(timestamp) || !nonEmpty(signature)) return reject('400016512');
    if (!timestampWithin(timestamp, clock(), tolerance)) return reject('400016505');
    const info = isObject(body.additional_info) ? body.additional_info : {};
    const clientId = info.client_id;
    const clientSecret = info.client_secret;
    if (body.grant_type === undefined || !nonEmpty(clientId) || !nonEmpty(clientSecret)) return reject('400016512');
    if (body.grant_type !== 'client_credentials') return reject('400016569');
    if (!isUUID(clientId, '4')) return reject('400016568');
    const client = clients.get(clientId);
    if (client === undefined) return reject('401016570');
    if (!verifyRsaSha256(client.publicKey, klikooStringToSign(clientId, timestamp), signature))
      return reject('400016508');
    if (!sameSecret(clientSecret, client.clientSecret)) return reject('401016570');
    const now = clock();
    const exp = Math.floor(now / 1000) + lifetime;
    const accessToken = fakeJwt({ iss: 'kunci-sandbox', sub: clientId, exp }, 'RS256');
    services.issued(accessToken, clientId, now + lifetime * 1000, now);
    return jsonResponse(200, {
      response_code: KLIKOO_SUCCESS,
      response_message: 'Sukses',
      data: { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime },
    });
  }
}
