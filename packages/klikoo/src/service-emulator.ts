import {
  bearerToken,
  IssuedTokens,
  jsonResponse,
  refused,
  serviceSignatureValid,
  timestampWithin,
  type EmulatedRequest,
  type EmulatedResponse,
} from '@kunci/core/emulator';
import { serviceSigningOptions, type ServiceSigningOptions } from '@kunci/core/provider';
import { klikooMessage } from './codes';
import { klikooError } from './errors';

/**
 * The service digits of every service-call answer. Klikoo numbers its services (01 is Auth); the
 * emulator stands for all of its APIs, so it answers with `00`: 400006508, 401006500, 200002000.
 */
export const KLIKOO_GENERIC_SERVICE = '00';

export interface KlikooServiceVerifierOptions {
  clients: ReadonlyArray<{ clientId: string; clientSecret: string }>;
  timestampToleranceMs: number;
  /** Default `KLIKOO_GENERIC_SERVICE`. */
  serviceCode?: string;
  /** How the client signs (kunci's `signing` config). Default: upper-case method, query signed, GET hashes ''. */
  signing?: Partial<ServiceSigningOptions>;
}

export interface KlikooServiceVerifier {
  issued(token: string, clientId: string, expiresAt: number, now: number): void;
  /** An API call at `now` (the emulator's clock). */
  handle(request: EmulatedRequest, now: number): EmulatedResponse;
}

const TIMESTAMP = 'Open-Api-Timestamp';
const SIGNATURE = 'Open-Api-Signature';

/**
 * A Klikoo API after the token: the bearer token it issued (case 6500 unknown, 6535 expired), the
 * timestamp (6505), the HMAC-SHA512 `Open-Api-Signature` (6508). Answers `200xx2000` "Sukses".
 */
export function createKlikooServiceVerifier(options: KlikooServiceVerifierOptions): KlikooServiceVerifier {
  const service = options.serviceCode ?? KLIKOO_GENERIC_SERVICE;
  const signing = serviceSigningOptions(options.signing);
  const secrets = new Map(options.clients.map((c) => [c.clientId, c.clientSecret]));
  const tokens = new IssuedTokens<string>();
  // The Auth table's code with this service's digits: 4016500 -> 401006500.
  const answer = (code: string): EmulatedResponse =>
    klikooError(`${code.slice(0, 3)}${service}${code.slice(3)}`, klikooAuthMessage(code));
  return {
    issued: (token, clientId, expiresAt, now) => tokens.issue(token, clientId, expiresAt, now),
    handle(request, now) {
      const h = request.headers;
      const accessToken = bearerToken(h.authorization);
      const token = tokens.check(accessToken, now);
      const bearer = { token: 'the token', header: 'Authorization' };
      if (accessToken === undefined || token === 'unknown')
        return refused(answer('4016500'), { reason: 'unknown-token', ...bearer });
      if (token === 'expired') return refused(answer('4016535'), { reason: 'expired-token', ...bearer });
      const timestamp = h['open-api-timestamp'] ?? '';
      const signature = h['open-api-signature'] ?? '';
      if (timestamp === '' || signature === '') {
        const field = timestamp === '' ? TIMESTAMP : SIGNATURE;
        return refused(answer('4006512'), { reason: 'missing-field', field, in: 'header' });
      }
      if (!timestampWithin(timestamp, now, options.timestampToleranceMs))
        return refused(answer('4006505'), { reason: 'timestamp', header: TIMESTAMP, value: timestamp });
      const secret = secrets.get(token.owner);
      if (
        secret === undefined ||
        !serviceSignatureValid(secret, request, { accessToken, timestamp, signature }, signing)
      ) {
        return refused(answer('4006508'), {
          reason: 'bad-signature',
          client: token.owner,
          header: SIGNATURE,
          timestampHeader: TIMESTAMP,
        });
      }
      return jsonResponse(200, { response_code: `200${service}2000`, response_message: 'Sukses', data: null });
    },
  };
}

/** The Auth table's message for a case (`4016500`: status and case), whatever the service digits. */
const klikooAuthMessage = (code: string): string | undefined => klikooMessage(`${code.slice(0, 3)}01${code.slice(3)}`);
