import {
  bearerToken,
  IssuedTokens,
  jsonResponse,
  serviceSignatureValid,
  timestampWithin,
  type EmulatedRequest,
  type EmulatedResponse,
} from '@kunci/core/emulator';
import { serviceSigningOptions, type ServiceSigningOptions } from '@kunci/core/provider';
import { klikooErrorBody } from './emulator';

/**
 * The service digits of every service-call answer. Klikoo numbers its services (01 is Auth); the
 * emulator stands for all of its APIs, so it answers with `00`: 400006508, 401006500, 200002000.
 */
export const KLIKOO_GENERIC_SERVICE = '00';

export interface KlikooServiceVerifierOptions {
  clients: ReadonlyArray<{ clientId: string; clientSecret: string }>;
  clock: () => number;
  timestampToleranceMs: number;
  /** Default `KLIKOO_GENERIC_SERVICE`. */
  serviceCode?: string;
  /** How the client signs (kunci's `signing` config). Default: upper-case method, query signed, GET hashes ''. */
  signing?: Partial<ServiceSigningOptions>;
}

export interface KlikooServiceVerifier {
  issued(token: string, clientId: string, expiresAt: number, now: number): void;
  handle(request: EmulatedRequest): EmulatedResponse;
}

/**
 * A Klikoo API after the token: the bearer token it issued (case 6500 unknown, 6535 expired), the
 * timestamp (6505), the HMAC-SHA512 `Open-Api-Signature` (6508). Answers `200xx2000` "Sukses".
 */
export function createKlikooServiceVerifier(options: KlikooServiceVerifierOptions): KlikooServiceVerifier {
  const service = options.serviceCode ?? KLIKOO_GENERIC_SERVICE;
  const signing = serviceSigningOptions(options.signing);
  const secrets = new Map(options.clients.map((c) => [c.clientId, c.clientSecret]));
  const tokens = new IssuedTokens<string>();
  return {
    issued: (token, clientId, expiresAt, now) => tokens.issue(token, clientId, expiresAt, now),
    handle(request) {
      const now = options.clock();
      const answer = (code: string, message: string): EmulatedResponse => {
        const full = `${code.slice(0, 3)}${service}${code.slice(3)}`;
        return jsonResponse(Number(code.slice(0, 3)), klikooErrorBody(full, message));
      };
      const h = request.headers;
      const accessToken = bearerToken(h.authorization);
      const token = tokens.check(accessToken, now);
      if (accessToken === undefined || token === 'unknown') return answer('4016500', 'Token tidak sesuai');
      if (token === 'expired') return answer('4016535', 'Token kadaluarsa');
      const timestamp = h['open-api-timestamp'] ?? '';
      const signature = h['open-api-signature'] ?? '';
      if (timestamp === '' || signature === '') return answer('4006512', 'Field tidak boleh kosong');
      if (!timestampWithin(timestamp, now, options.timestampToleranceMs))
        return answer('4006505', 'Waktu tidak sesuai');
      const secret = secrets.get(token.owner);
      if (
        secret === undefined ||
        !serviceSignatureValid(secret, request, { accessToken, timestamp, signature }, signing)
      ) {
        return answer('4006508', 'Signature tidak sesuai');
      }
      return jsonResponse(200, { response_code: `200${service}2000`, response_message: 'Sukses', data: null });
    },
  };
}
