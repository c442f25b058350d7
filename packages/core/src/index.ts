// The public surface of @kunci/core, listed by name so that a change of API shows in a diff.
export { AuthError, AuthErrorCode, AUTH_ERROR_CODES, isAuthError, isRetryableCode } from './errors';
export type { AuthErrorOptions } from './errors';
export { createAccessToken, serializeAccessToken, deserializeAccessToken } from './token';
export type { AccessToken, AccessTokenFields, ProviderName } from './token';
export type { TokenProvider, TokenRequest, FetchOptions, ResponseInfo, ProviderDefinition } from './provider';
export { maskToken, redactBody, sanitizeCause, scrubSecrets } from './redact';
