// The TokenManager's public surface, listed by name so that a change of API shows in a diff.
export { TokenManager } from './token-manager';
export type { GetTokenRequest } from './token-manager';
export type { TokenManagerOptions } from './options';
export { TokenManagerClosedError } from './token-manager';
export { cacheKey } from './cache-key';
export type { CacheKeyOwner } from './cache-key';
export type { TokenStore, ReleaseLock } from './store';
export { MemoryTokenStore, DEFAULT_MAX_ENTRIES } from './memory-store';
export type { MemoryTokenStoreOptions } from './memory-store';
export { DEFAULT_REFRESH_BEFORE_SECONDS, refreshAt } from './token-states';
export { DEFAULT_RETRY, backoffDelay } from './fetch-with-retries';
export type { RetryOptions } from './fetch-with-retries';
export type { Logger } from './logger';
export type {
  TokenManagerEvents,
  TokenManagerEvent,
  TokenManagerListener,
  MaskedToken,
  StoreOperation,
} from './events';
export { attachTokenManager } from './axios-interceptor';
export type { AttachTokenManagerOptions, KunciRequestOptions } from './axios-interceptor';
export { tokenRejection } from './token-rejection';
