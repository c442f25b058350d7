import type { TokenManagerOptions, TokenStore } from '@kunci/core';
import type { KunciConfig } from '@kunci/sdk';

/** What `KunciModule.forRoot` takes, and what the `forRootAsync` factory returns. */
export interface KunciModuleOptions {
  /** The `kunci.config.json` object, or the path of the file: the same as `createTokenProviders` takes. */
  config: KunciConfig | string;
  /** Options of every provider's `TokenManager`. */
  manager?: TokenManagerOptions;
  /**
   * Options of one provider's `TokenManager`, by the provider's name in the config; each is laid
   * over `manager` (a field given here replaces the same field there).
   */
  managers?: Partial<Record<string, TokenManagerOptions>>;
  /**
   * Where every manager keeps its tokens (any `TokenStore`, one shared by all: the cache keys name
   * the provider and the client). A `store` in `managers` or `manager` wins over it.
   */
  store?: TokenStore;
}

/** `forRoot` and `forRootAsync` also take `isGlobal`: the module's providers are then injectable in every module. */
export interface KunciModuleExtras {
  isGlobal?: boolean;
}
