import { codeForHttpStatus } from '@kunci/core/provider';
import type { AuthErrorCode, TokenRejection } from '@kunci/core';

export const KLIKOO = 'klikoo';
export const KLIKOO_SUCCESS = '200012000';

/**
 * Service 01 (Auth) of Klikoo's 9-digit table (HTTP status 3 + service 2 + case 4): what each
 * code means to kunci, with Klikoo's own words (the emulator answers with them).
 */
const AUTH_CODES = {
  '400016505': ['TIMESTAMP_REJECTED', 'Waktu tidak sesuai'],
  '400016508': ['SIGNATURE_REJECTED', 'Signature tidak sesuai'],
  '400016510': ['REQUEST_REJECTED', 'Validasi Error'],
  '400016512': ['REQUEST_REJECTED', 'Field tidak boleh kosong'],
  '400016568': ['REQUEST_REJECTED', 'UUID tidak sesuai'],
  '400016569': ['REQUEST_REJECTED', 'Grant type tidak sesuai'],
  '401016500': ['CREDENTIALS_REJECTED', 'Token tidak sesuai'],
  '401016535': ['CREDENTIALS_REJECTED', 'Token kadaluarsa'],
  '401016570': ['CREDENTIALS_REJECTED', 'Kredensial tidak sesuai'],
  '403016567': ['ACCESS_DENIED', 'User type bukan b2b'],
  '403016571': ['ACCESS_DENIED', 'IP tidak ada di dalam whitelist'],
  '500019999': ['PROVIDER_UNAVAILABLE', 'Harap hubungi admin'],
  '503010001': ['PROVIDER_UNAVAILABLE', 'Supplier sedang gangguan'],
} as const satisfies Record<string, readonly [AuthErrorCode, string]>;

/** A code of Klikoo's Auth table. */
export type KlikooAuthCode = keyof typeof AUTH_CODES;

const authCode = (code: string): readonly [AuthErrorCode, string] | undefined =>
  Object.hasOwn(AUTH_CODES, code) ? AUTH_CODES[code as KlikooAuthCode] : undefined;

/** Klikoo's documented message for a code of its Auth table, if it has one. */
export function klikooMessage(code: string): string | undefined {
  return authCode(code)?.[1];
}

/**
 * The error a Klikoo `response_code` (other than success) means. A 9-digit code outside the table
 * still starts with an HTTP status, which decides through `codeForHttpStatus` (so an unknown
 * `200…` code is RESPONSE_INVALID: not the token, not an outage). Anything else returns
 * undefined, so that the HTTP status of the answer decides.
 */
export function klikooErrorCode(code: string): AuthErrorCode | undefined {
  const known = authCode(code);
  if (known !== undefined) return known[0];
  if (/^5\d{2}01\d{4}$/.test(code)) return 'PROVIDER_UNAVAILABLE';
  const status = /^([1-5]\d{2})\d{6}$/.exec(code)?.[1];
  return status !== undefined ? codeForHttpStatus(Number(status)) : undefined;
}

/** Which token a Klikoo API's 401 names: case 6500 (token tidak sesuai) or 6535 (token kadaluarsa), of any service. */
export function klikooRejectedToken(code: string): TokenRejection {
  return /^401\d{2}65(?:00|35)$/.test(code) ? 'access' : false;
}
