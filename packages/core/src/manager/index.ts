// The manager's names that core's entry points list (packages/core/src/index.ts picks from these).
// An internal barrel: tests import anything else from its own file.
export { TokenManager, TokenManagerClosedError } from './token-manager';
export type { GetTokenRequest } from './token-manager';
export type { TokenManagerOptions } from './options';
export type { TokenStore, ReleaseLock } from './store';
export { MemoryTokenStore } from './memory-store';
export type { MemoryTokenStoreOptions } from './memory-store';
export type { RetryOptions } from './fetcher';
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
