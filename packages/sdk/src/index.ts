// The public surface of kunci, listed by name so that a change of API shows in a diff.
export { createTokenProvider, BUILT_IN_PROVIDERS } from './providers';
export { createTokenProviders } from './config-file';
export { createStoreFromConfig } from './config-store';
export type { ConfiguredTokenStore } from './config-store';
export type {
  ProviderConfig,
  ProviderConfigEntry,
  BuiltInProviderName,
  CommonConfigInput,
  TimestampInput,
  PivotSnapConfigInput,
  PivotLegacyConfigInput,
  KlikooConfigInput,
  KunciConfig,
  KunciConfigFile,
  StoreConfigInput,
  ServiceSigningInput,
} from './config-input';
// All of @kunci/core's application entry, name for name, so that an application imports kunci from
// one package (the exports test holds the two lists together).
export { AuthError, AuthErrorCode, AUTH_ERROR_CODES, isAuthError, isRetryableCode } from '@kunci/core';
export type { AuthErrorOptions } from '@kunci/core';
export { createAccessToken, serializeAccessToken, deserializeAccessToken } from '@kunci/core';
export type { AccessToken, AccessTokenFields, ProviderName } from '@kunci/core';
export type {
  TokenProvider,
  TokenRequest,
  FetchOptions,
  ResponseInfo,
  ProviderDefinition,
  TokenRejection,
  FailedResponse,
} from '@kunci/core';
export { maskToken } from '@kunci/core';
export { TokenManager, TokenManagerClosedError, MemoryTokenStore, attachTokenManager } from '@kunci/core';
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
} from '@kunci/core';
export type { ServiceRequest, SignedServiceRequest, ExternalIdGenerator } from '@kunci/core';
export { KUNCI_CHANNELS, tokenCounterTotals, TOKEN_COUNTER_NAMES } from '@kunci/core';
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
  TokenCounterValues,
  TokenCounterName,
} from '@kunci/core';
