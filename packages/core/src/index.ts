// @kunci/core for applications: the token, the errors, the provider contract, the TokenManager, the
// axios interceptor and the store interface. Listed by name so that a change of API shows in a diff;
// provider authors read @kunci/core/provider, the sandbox and tests @kunci/core/emulator.
export { AuthError, AuthErrorCode, AUTH_ERROR_CODES, isAuthError, isRetryableCode } from './errors';
export type { AuthErrorOptions } from './errors';
export { createAccessToken, serializeAccessToken, deserializeAccessToken } from './token';
export type { AccessToken, AccessTokenFields, ProviderName } from './token';
export type {
  TokenProvider,
  TokenRequest,
  FetchOptions,
  ResponseInfo,
  ProviderDefinition,
  TokenRejection,
  FailedResponse,
} from './provider';
export { maskToken } from './redact';
export { TokenManager, TokenManagerClosedError, MemoryTokenStore, attachTokenManager } from './manager';
export type {
  GetTokenRequest,
  TokenManagerOptions,
  TokenStore,
  ReleaseLock,
  MemoryTokenStoreOptions,
  RetryOptions,
  Logger,
  TokenManagerEvents,
  TokenManagerEvent,
  TokenManagerListener,
  MaskedToken,
  StoreOperation,
  AttachTokenManagerOptions,
  KunciRequestOptions,
} from './manager';
export type { ServiceRequest, SignedServiceRequest, ExternalIdGenerator } from './service-signing';

// Diagnostics: the node:diagnostics_channel names kunci publishes on, their messages, and the
// per-provider totals of the counters every TokenManager keeps (read by @kunci/opentelemetry).
export { KUNCI_CHANNELS } from './diagnostics';
export type {
  KunciChannelName,
  KunciMessageBase,
  TracedOutcome,
  TokenGetMessage,
  TokenFetchMessage,
  TokenRetryMessage,
  StoreMessage,
  StoreLockMessage,
  ServiceSignMessage,
  KeyKind,
} from './diagnostics';
export { tokenCounterTotals, TOKEN_COUNTER_NAMES } from './diagnostics-counters';
export type { TokenCounterValues, TokenCounterName } from './diagnostics-counters';
