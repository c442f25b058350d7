/** The spans `KunciInstrumentation` makes, named `{verb} {object}` after the work. */
export const KUNCI_SPANS = Object.freeze({
  /** A `getToken()` that missed: the caller's wait (the store, a flight). */
  tokenGet: 'kunci token get',
  /** A background refresh of a token that is due: a root span linked to the call that started it. */
  tokenRefresh: 'kunci token refresh',
  /** One request to the provider's token endpoint. */
  tokenFetch: 'kunci token fetch',
  storeRead: 'kunci store read',
  storeWrite: 'kunci store write',
  /** Taking the fleet's lock, or waiting for the token of the instance that holds it. */
  storeLock: 'kunci store lock',
  serviceSign: 'kunci service sign',
} as const);

/** The metrics `KunciInstrumentation` reports. */
export const KUNCI_METRICS = Object.freeze({
  /** Histogram, seconds: one request to a token endpoint. */
  tokenFetchDuration: 'kunci.token.fetch.duration',
  /** Observable counter: `getToken()` answered from memory or the fleet's store (`kunci.token.source`). */
  cacheHits: 'kunci.token.cache.hits',
  /** Observable counter: `getToken()` found no usable token in memory. */
  cacheMisses: 'kunci.token.cache.misses',
  /** Observable counter: hits answered with a token past its refresh point. */
  servedStale: 'kunci.token.served_stale',
  /** Observable counter: background refreshes that failed. */
  refreshFailures: 'kunci.token.refresh.failures',
  /** Observable counter: failed or timed-out operations of the fleet's store. */
  storeErrors: 'kunci.store.errors',
  /** Observable counter: flights that found the fleet's lock held and waited. */
  lockWaits: 'kunci.store.lock.waits',
} as const);

/** The attributes of kunci's own (beside the semantic conventions' HTTP client attributes). */
export const KUNCI_ATTRIBUTES = Object.freeze({
  provider: 'kunci.provider',
  flow: 'kunci.flow',
  /** `memory`, `store` or `network`. */
  tokenSource: 'kunci.token.source',
  storeOperation: 'kunci.store.operation',
  storeFound: 'kunci.store.found',
  lockOutcome: 'kunci.lock.outcome',
  keyKind: 'kunci.key.kind',
  customer: 'kunci.customer',
} as const);
