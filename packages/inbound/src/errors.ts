import { AuthError, isAuthError, type AuthErrorCode } from '@kunci/core';
import type { InboundAnswer } from './types';

/**
 * Why a request was refused, as the provider is answered: the HTTP status, the case code (the last
 * digits of a SNAP `responseCode`) and the provider-facing message. The kunci code says which check
 * failed; the message for the backend's own log says it in a sentence.
 */
export interface Refusal {
  code: AuthErrorCode;
  status: number;
  /** SNAP: the 2-digit case code; other schemes: their own code. */
  caseCode: string;
  /** What the sender reads (SNAP `responseMessage`): never a secret, a token or a key. */
  answer: string;
}

/** The refusals every scheme shares, by what failed. */
export const REFUSALS = {
  malformed: { code: 'REQUEST_REJECTED', status: 400, caseCode: '00', answer: 'Bad Request' },
  tooLarge: { code: 'REQUEST_REJECTED', status: 413, caseCode: '00', answer: 'Request Entity Too Large' },
  tooSlow: { code: 'TIMEOUT', status: 408, caseCode: '00', answer: 'Request Timeout' },
  unknownClient: { code: 'CREDENTIALS_REJECTED', status: 401, caseCode: '00', answer: 'Unauthorized. Unknown Client' },
  badSignature: { code: 'SIGNATURE_REJECTED', status: 401, caseCode: '00', answer: 'Unauthorized. Invalid Signature' },
  staleTimestamp: {
    code: 'TIMESTAMP_REJECTED',
    status: 401,
    caseCode: '00',
    answer: 'Unauthorized. Invalid Timestamp',
  },
  tokenMissing: { code: 'CREDENTIALS_REJECTED', status: 401, caseCode: '03', answer: 'Token Not Found (B2B)' },
  tokenInvalid: { code: 'CREDENTIALS_REJECTED', status: 401, caseCode: '01', answer: 'Invalid Token (B2B)' },
  replay: { code: 'REPLAY_REJECTED', status: 409, caseCode: '00', answer: 'Conflict' },
  source: { code: 'ACCESS_DENIED', status: 403, caseCode: '00', answer: 'Forbidden' },
  internal: { code: 'PROVIDER_UNAVAILABLE', status: 500, caseCode: '00', answer: 'General Error' },
} as const satisfies Record<string, Refusal>;

/** A header (or field) that is missing: SNAP `400xx02 Invalid Mandatory Field {name}`. */
export function missingField(name: string, code: AuthErrorCode = 'REQUEST_REJECTED'): Refusal {
  return { code, status: 400, caseCode: '02', answer: `Invalid Mandatory Field ${name}` };
}

/** A header (or field) that is malformed: SNAP `400xx01 Invalid Field Format {name}`. */
export function malformedField(name: string, code: AuthErrorCode = 'REQUEST_REJECTED'): Refusal {
  return { code, status: 400, caseCode: '01', answer: `Invalid Field Format ${name}` };
}

/** The AuthErrors this package made for a refusal: only these are answered with their own status. */
const REFUSED = new WeakSet<AuthError>();

/**
 * A refusal as an AuthError. `status`, `providerCode` and `providerMessage` hold the answer that
 * `reply(error)` sends (the provider code with the route's service code in it; without one, as
 * from `readRawBody`, `reply` writes it with the inbound's format); the message is for the
 * backend's log and names the check, never a value that could be a secret.
 */
export function refusal(
  provider: string,
  refused: Refusal,
  providerCode: string | undefined,
  message: string,
): AuthError {
  const error = new AuthError(refused.code, `${provider} inbound: ${message}`, {
    provider,
    status: refused.status,
    providerCode,
    providerMessage: refused.answer,
  });
  REFUSED.add(error);
  return error;
}

/** How a scheme writes its answers: the shape of its bodies, its success and error codes. */
export interface AnswerFormat {
  /** The provider code of a refusal for a route's service code. */
  code(refused: Pick<Refusal, 'status' | 'caseCode'>, serviceCode: string): string;
  /** The JSON body of an answer with that code and message. */
  body(code: string, message: string): Record<string, unknown>;
}

export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json',
  'cache-control': 'no-store',
});

/**
 * The answer to an error: a refusal's own answer, anything else a General Error (500, which
 * providers retry), whatever its status: another service's 401 is not the notification's.
 */
export function errorAnswer(error: unknown, format: AnswerFormat, serviceCode: string): InboundAnswer {
  if (isAuthError(error) && REFUSED.has(error) && error.status !== undefined) {
    const code = error.providerCode ?? format.code({ status: error.status, caseCode: '00' }, serviceCode);
    return {
      status: error.status,
      headers: { ...JSON_HEADERS },
      body: format.body(code, error.providerMessage ?? ''),
      error,
    };
  }
  const refused = REFUSALS.internal;
  return {
    status: refused.status,
    headers: { ...JSON_HEADERS },
    body: format.body(format.code(refused, serviceCode), refused.answer),
    ...(isAuthError(error) ? { error } : {}),
  };
}
