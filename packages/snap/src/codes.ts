import { codeForHttpStatus } from '@kunci/core/provider';
import type { AuthErrorCode, TokenRejection } from '@kunci/core';
import type { TokenFlow } from '@kunci/core/provider';

export const SNAP = 'snap';

/** The two token flows: `b2b` the client's own token, `b2b2c` a customer's. */
export type SnapFlow = TokenFlow;

/**
 * SNAP service codes kunci meets: the two token calls it makes, and the service calls whose 401
 * answers the interceptor reads. A `responseCode` is HTTP status (3 digits) + service (2) + case (2).
 * Source: ASPI's SNAP code list, as repeated by the providers' pages (docs/providers/snap.md).
 */
export const SNAP_SERVICE_CODES: Readonly<Record<string, string>> = Object.freeze({
  '00': 'generic (a provider or gateway that gives no service code)',
  '24': 'virtual account inquiry',
  '25': 'virtual account payment',
  '27': 'virtual account create',
  '43': 'transfer to bank',
  '47': 'QRIS MPM generate',
  '54': 'direct debit payment',
  '55': 'direct debit status',
  '56': 'direct debit notify',
  '73': 'access token B2B',
  '74': 'access token B2B2C',
});

/** The token calls' service codes. */
export const SNAP_TOKEN_SERVICE: Readonly<Record<SnapFlow, string>> = Object.freeze({ b2b: '73', b2b2c: '74' });

export const SNAP_SUCCESS: Readonly<Record<SnapFlow, string>> = Object.freeze({
  b2b: '2007300',
  b2b2c: '2007400',
});

/** What a case means: an AuthError code, or a rule on the request's flow and the message. */
export type SnapCaseMeaning =
  | AuthErrorCode
  | 'TIMESTAMP_OR_REQUEST' // the field the message names decides: the timestamp, or any other field
  | 'SIGNATURE_OR_CREDENTIALS' // the reason the message gives decides
  | 'B2B_TOKEN'; // "Invalid Token (B2B)": the client's credentials on a B2B call, the grant on a B2B2C one

export interface SnapCase {
  status: number;
  /** The two case digits. */
  case: string;
  /** The standard's message. */
  message: string;
  meaning: SnapCaseMeaning;
  /** Which token an API answer with this case names (the interceptor drops it and retries once). */
  rejects?: 'access' | 'customer';
}

/**
 * The SNAP generic case table, one row per HTTP status and case, for every service code. The case
 * decides whatever the service digits say (a gateway may answer a B2B call with a 74 code); codes
 * outside the table fall back on their status digits (403xx.. is ACCESS_DENIED whatever its case).
 */
export const SNAP_CASES: readonly SnapCase[] = Object.freeze([
  { status: 400, case: '00', message: 'Bad Request', meaning: 'REQUEST_REJECTED' },
  { status: 400, case: '01', message: 'Invalid Field Format {field}', meaning: 'TIMESTAMP_OR_REQUEST' },
  { status: 400, case: '02', message: 'Invalid Mandatory Field {field}', meaning: 'TIMESTAMP_OR_REQUEST' },
  { status: 401, case: '00', message: 'Unauthorized. [reason]', meaning: 'SIGNATURE_OR_CREDENTIALS' },
  { status: 401, case: '01', message: 'Invalid Token (B2B)', meaning: 'B2B_TOKEN', rejects: 'access' },
  { status: 401, case: '02', message: 'Invalid Customer Token', meaning: 'GRANT_REJECTED', rejects: 'customer' },
  { status: 401, case: '03', message: 'Token Not Found (B2B)', meaning: 'B2B_TOKEN', rejects: 'access' },
  { status: 401, case: '04', message: 'Customer Token Not Found', meaning: 'GRANT_REJECTED', rejects: 'customer' },
  { status: 409, case: '00', message: 'Conflict', meaning: 'REQUEST_REJECTED' },
  { status: 429, case: '00', message: 'Too Many Requests', meaning: 'RATE_LIMITED' },
  { status: 500, case: '00', message: 'General Error', meaning: 'PROVIDER_UNAVAILABLE' },
  { status: 500, case: '01', message: 'Internal Server Error', meaning: 'PROVIDER_UNAVAILABLE' },
  { status: 500, case: '02', message: 'External Server Error', meaning: 'PROVIDER_UNAVAILABLE' },
  { status: 504, case: '00', message: 'Timeout', meaning: 'PROVIDER_UNAVAILABLE' },
]);

const CASES = new Map(SNAP_CASES.map((row) => [`${row.status}:${row.case}`, row]));

/** A SNAP `responseCode`: HTTP status (3 digits) + service (2) + case (2). */
export function parseSnapCode(code: string): { status: number; service: string; case: string } | undefined {
  const match = /^(\d{3})(\d{2})(\d{2})$/.exec(code);
  if (match === null) return undefined;
  return { status: Number(match[1]), service: match[2] as string, case: match[3] as string };
}

/** Either flow's success code; which flow it answers is checked when the token is read. */
export function isSnapTokenSuccess(code: string): boolean {
  return code === SNAP_SUCCESS.b2b || code === SNAP_SUCCESS.b2b2c;
}

const namesTimestamp = (message: string | undefined): boolean => /timestamp/i.test(message ?? '');
const namesSignature = (message: string | undefined): boolean => /signature/i.test(message ?? '');

/** A SNAP error code (any service) on a request of `flow` to one of the twelve AuthError codes. */
export function snapErrorCode(code: string, message: string | undefined, flow: SnapFlow): AuthErrorCode | undefined {
  const snap = parseSnapCode(code);
  if (snap === undefined) return undefined;
  const row = CASES.get(`${snap.status}:${snap.case}`);
  if (row === undefined) return codeForHttpStatus(snap.status);
  switch (row.meaning) {
    case 'TIMESTAMP_OR_REQUEST':
      return namesTimestamp(message) ? 'TIMESTAMP_REJECTED' : 'REQUEST_REJECTED';
    case 'SIGNATURE_OR_CREDENTIALS':
      return namesSignature(message) ? 'SIGNATURE_REJECTED' : 'CREDENTIALS_REJECTED';
    case 'B2B_TOKEN':
      return flow === 'b2b2c' ? 'GRANT_REJECTED' : 'CREDENTIALS_REJECTED';
    default:
      return row.meaning;
  }
}

/**
 * Which token a SNAP API's 401 names: cases 01 and 03 the B2B token (invalid, not found), 02 and
 * 04 the customer's. Any other case (a bad signature, an unknown client) is not about a token.
 */
export function snapRejectedToken(code: string): TokenRejection {
  const snap = parseSnapCode(code);
  if (snap?.status !== 401) return false;
  return CASES.get(`401:${snap.case}`)?.rejects ?? false;
}
