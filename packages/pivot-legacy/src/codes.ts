import { codeForHttpStatus } from '@kunci/core/provider';
import type { AuthErrorCode } from '@kunci/core';

export const PIVOT_LEGACY = 'pivot-legacy';
export const PIVOT_LEGACY_SUCCESS = '00';

/** Codes seen on Pivot's APIs (the token endpoint publishes no error example of its own). */
const BY_CODE: Readonly<Record<string, AuthErrorCode>> = {
  api_validation_error: 'REQUEST_REJECTED',
  credentials_invalid: 'CREDENTIALS_REJECTED',
  forbidden_access: 'ACCESS_DENIED',
  too_many_requests: 'RATE_LIMITED',
};

const BY_TYPE: Readonly<Record<string, AuthErrorCode>> = {
  API_ERROR: 'REQUEST_REJECTED',
  GATEWAY_ERROR: 'PROVIDER_UNAVAILABLE',
  PARTNER_ERROR: 'PROVIDER_UNAVAILABLE',
};

/**
 * With no documented error for this endpoint, the HTTP status decides first; the envelope's
 * `code`, then `error.type`, decide for an error that arrives under 200.
 */
export function pivotLegacyErrorCode(status: number, code: string, errorType: string | undefined): AuthErrorCode {
  if (status >= 400) return codeForHttpStatus(status);
  return BY_CODE[code] ?? (errorType !== undefined ? BY_TYPE[errorType] : undefined) ?? 'PROVIDER_UNAVAILABLE';
}
