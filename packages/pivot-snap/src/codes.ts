import { codeForHttpStatus } from '@kunci/core/provider';
import type { AuthErrorCode, TokenRejection } from '@kunci/core';
import type { TokenFlow } from '@kunci/core/provider';

export const PIVOT_SNAP = 'pivot-snap';

/** Both flows: `b2b` the client's token, `b2b2c` a customer's. */
export type PivotSnapFlow = TokenFlow;

/** SNAP service codes: 73 is the B2B token, 74 the B2B2C token. */
export const PIVOT_SNAP_SERVICE: Readonly<Record<PivotSnapFlow, string>> = Object.freeze({ b2b: '73', b2b2c: '74' });

export const PIVOT_SNAP_SUCCESS: Readonly<Record<PivotSnapFlow, string>> = Object.freeze({
  b2b: '2007300',
  b2b2c: '2007400',
});

/** A SNAP `responseCode`: HTTP status (3 digits) + service (2) + case (2). */
export function parseSnapCode(code: string): { status: number; service: string; case: string } | undefined {
  const match = /^(\d{3})(\d{2})(\d{2})$/.exec(code);
  if (match === null) return undefined;
  return { status: Number(match[1]), service: match[2] as string, case: match[3] as string };
}

/** Either flow's success code; which flow it answers is checked when the token is read. */
export function isPivotSnapSuccess(code: string): boolean {
  return code === PIVOT_SNAP_SUCCESS.b2b || code === PIVOT_SNAP_SUCCESS.b2b2c;
}

const namesTimestamp = (message: string | undefined): boolean => /timestamp/i.test(message ?? '');
const namesSignature = (message: string | undefined): boolean => /signature/i.test(message ?? '');

/**
 * The SNAP generic case table. The case decides, whatever the service digits say (a gateway may
 * answer a B2B call with a 74 code); the flow of the request decides what a "B2B token" case means.
 * Codes outside the table fall back on their status digits.
 */
export function pivotSnapErrorCode(
  code: string,
  message: string | undefined,
  flow: PivotSnapFlow,
): AuthErrorCode | undefined {
  const snap = parseSnapCode(code);
  if (snap === undefined) return undefined;
  const key = `${snap.status}:${snap.case}`;
  switch (key) {
    case '400:00':
    case '409:00':
      return 'REQUEST_REJECTED';
    case '400:01':
    case '400:02':
      return namesTimestamp(message) ? 'TIMESTAMP_REJECTED' : 'REQUEST_REJECTED';
    case '401:00':
      return namesSignature(message) ? 'SIGNATURE_REJECTED' : 'CREDENTIALS_REJECTED';
    // "Invalid Token (B2B)" / "Token Not Found (B2B)": on a customer call the grant is what failed.
    case '401:01':
    case '401:03':
      return flow === 'b2b2c' ? 'GRANT_REJECTED' : 'CREDENTIALS_REJECTED';
    case '401:02':
    case '401:04':
      return 'GRANT_REJECTED';
    case '429:00':
      return 'RATE_LIMITED';
    case '500:00':
    case '500:01':
    case '500:02':
    case '504:00':
      return 'PROVIDER_UNAVAILABLE';
    default:
      return codeForHttpStatus(snap.status); // 403xx.. is ACCESS_DENIED whatever its case
  }
}

/**
 * Which token a SNAP API's 401 names: cases 01 and 03 the B2B token (invalid, not found), 02 and
 * 04 the customer's. Any other case (a bad signature, an unknown client) is not about a token.
 */
export function pivotSnapRejectedToken(code: string): TokenRejection {
  const snap = parseSnapCode(code);
  if (snap?.status !== 401) return false;
  if (snap.case === '01' || snap.case === '03') return 'access';
  return snap.case === '02' || snap.case === '04' ? 'customer' : false;
}
