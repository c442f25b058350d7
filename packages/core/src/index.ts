// The public surface of @kunci/core, listed by name so that a change of API shows in a diff.
export { AuthError, AuthErrorCode, AUTH_ERROR_CODES, asAuthError, isAuthError, isRetryableCode } from './errors';
export type { AuthErrorOptions } from './errors';
export { createAccessToken, serializeAccessToken, deserializeAccessToken } from './token';
export type { AccessToken, AccessTokenFields, ProviderName } from './token';
export type { TokenProvider, TokenRequest, FetchOptions, ResponseInfo, ProviderDefinition } from './provider';
export { maskToken, redactBody, sanitizeCause, scrubSecrets } from './redact';
export {
  BaseProviderConfig,
  SignedProviderConfig,
  TimestampConfig,
  IsSecretReference,
  IsHeaderValue,
  IsEndpointPath,
  validateConfig,
  configError,
  baseUrlProblem,
  isLoopbackHost,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
} from './config';
export { SecretReader, httpSettings, timestampFormat } from './provider-config';
export { resolveSecret } from './secrets';
export type { SecretResult } from './secrets';
export { loadPrivateKey } from './keys';
export type { KeyResult } from './keys';
export { signRsaSha256, verifyRsaSha256, tokenStringToSign, serviceStringToSign, signHmacSha512, minifyJson } from './signing';
export { formatTimestamp, parseOffsetDateTime, DEFAULT_TIMESTAMP_FORMAT, TIMESTAMP_OFFSET_PATTERN } from './timestamp';
export type { TimestampFormat } from './timestamp';
export { postJson, parseRetryAfter } from './transport';
export type { RawResponse, PostJsonOptions } from './transport';
export {
  normalizeResponse,
  codeForHttpStatus,
  providerError,
  buildAccessToken,
  invalidTokenBody,
  readStringField,
  codeFields,
} from './normalize';
export type { EnvelopeSpec, CodeInfo, TokenParts, ProviderErrorDetails } from './normalize';
export { IsTokenString, IsExpiresIn, IsBearer, IsOffsetDateTime, validateBody, parseSeconds, MAX_TOKEN_LIFETIME_SECONDS } from './response';
export type { BodyResult } from './response';
export { HttpTokenProvider } from './http-provider';
export { checkTokenRequest } from './token-request';
export type { HttpProviderSpec, HttpSettings, PreparedRequest } from './http-provider';
export { jsonResponse, parseJsonObject, timestampWithin, fakeJwt } from './emulator';
export type { ProviderEmulator, EmulatedRequest, EmulatedResponse } from './emulator';
export { startLoopbackServer } from './loopback-server';
export type { LoopbackServer, LoopbackHandler } from './loopback-server';
export { TokenManager, TokenManagerClosedError, cacheKey, MemoryTokenStore, DEFAULT_MAX_ENTRIES, DEFAULT_REFRESH_BEFORE_SECONDS, refreshAt, DEFAULT_RETRY, backoffDelay, attachTokenManager, TOKEN_PATH, isTokenRejected } from './manager';
export type { GetTokenRequest, TokenManagerOptions, CacheKeyOwner, TokenStore, ReleaseLock, MemoryTokenStoreOptions, RetryOptions, Logger, TokenManagerEvents, TokenManagerEvent, TokenManagerListener, MaskedToken, StoreOperation, AttachTokenManagerOptions, KunciRequestOptions, TokenRejection } from './manager';
