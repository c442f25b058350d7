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
} from './config-input';
export { AuthError, isAuthError, AuthErrorCode, AUTH_ERROR_CODES, maskToken } from '@kunci/core';
export type { AccessToken, TokenProvider, TokenRequest, FetchOptions, ProviderDefinition } from '@kunci/core';
export { TokenManager, TokenManagerClosedError, MemoryTokenStore, attachTokenManager } from '@kunci/core';
export type {
  GetTokenRequest,
  TokenManagerOptions,
  TokenStore,
  ReleaseLock,
  RetryOptions,
  Logger,
  TokenManagerEvents,
  TokenManagerEvent,
  TokenManagerListener,
  MaskedToken,
  AttachTokenManagerOptions,
  KunciRequestOptions,
} from '@kunci/core';

// Service-call signing.
export type { ServiceSigningInput } from './config-input';
export type { ServiceRequest, SignedServiceRequest } from '@kunci/core';
