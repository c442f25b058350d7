// What happens on every getToken() is counted in plain integers, one set per TokenManager: a cache
// hit costs one increment, and a metrics library reads the totals when it exports (an observable
// counter), instead of a call per hit. The totals survive their managers: a manager that is
// garbage-collected hands its counts to the retired totals, so a total never goes down.

/** The counts kept per manager. */
export interface TokenCounterValues {
  /** `getToken()` answered from the manager's memory. */
  memoryHits: number;
  /** A miss answered from the fleet's store. */
  storeHits: number;
  /** `getToken()` found no usable token in memory. */
  misses: number;
  /** A hit answered with a token past its refresh point (a background refresh is due or running). */
  servedStale: number;
  /** A background refresh failed (the cached token is served until it expires). */
  refreshFailures: number;
  /** An operation of the fleet's store failed or timed out. */
  storeErrors: number;
  /** A flight found the fleet's lock held by another instance and waited. */
  lockWaits: number;
}

export type TokenCounterName = keyof TokenCounterValues;

export const TOKEN_COUNTER_NAMES: readonly TokenCounterName[] = Object.freeze([
  'memoryHits',
  'storeHits',
  'misses',
  'servedStale',
  'refreshFailures',
  'storeErrors',
  'lockWaits',
]);

/** One manager's counters: fields a manager increments (`counters.memoryHits++`). */
export class TokenCounters implements TokenCounterValues {
  memoryHits = 0;
  storeHits = 0;
  misses = 0;
  servedStale = 0;
  refreshFailures = 0;
  storeErrors = 0;
  lockWaits = 0;

  constructor(readonly provider: string) {}
}

interface CounterRegistry {
  readonly live: Set<TokenCounters>;
  readonly retired: Map<string, TokenCounterValues>;
  readonly finalizer: FinalizationRegistry<TokenCounters>;
}

function zero(): TokenCounterValues {
  return {
    memoryHits: 0,
    storeHits: 0,
    misses: 0,
    servedStale: 0,
    refreshFailures: 0,
    storeErrors: 0,
    lockWaits: 0,
  };
}

function add(into: TokenCounterValues, from: TokenCounterValues): void {
  for (const name of TOKEN_COUNTER_NAMES) into[name] += from[name];
}

/** Moves one manager's counts to the retired totals. */
export function retireTokenCounters(counters: TokenCounters): void {
  const registry = counterRegistry();
  if (!registry.live.delete(counters)) return;
  let retired = registry.retired.get(counters.provider);
  if (retired === undefined) registry.retired.set(counters.provider, (retired = zero()));
  add(retired, counters);
}

// Shared through a well-known symbol: two copies of @kunci/core in one process (ESM and CJS builds)
// count into one registry, as they publish on the same channels.
const REGISTRY = Symbol.for('kunci.diagnostics.tokenCounters');

function counterRegistry(): CounterRegistry {
  const holder = globalThis as { [REGISTRY]?: CounterRegistry };
  return (holder[REGISTRY] ??= {
    live: new Set(),
    retired: new Map(),
    finalizer: new FinalizationRegistry(retireTokenCounters),
  });
}

/**
 * New counters for `owner` (a TokenManager), counted in the totals from now on and until after
 * `owner` is garbage-collected. The counters must not refer to `owner`.
 */
export function createTokenCounters(owner: object, provider: string): TokenCounters {
  const counters = new TokenCounters(provider);
  const registry = counterRegistry();
  registry.live.add(counters);
  registry.finalizer.register(owner, counters);
  return counters;
}

/** Every manager's counts so far, summed per provider: what an observable counter reports. */
export function tokenCounterTotals(): Map<string, TokenCounterValues> {
  const registry = counterRegistry();
  const totals = new Map<string, TokenCounterValues>();
  const into = (provider: string): TokenCounterValues => {
    let values = totals.get(provider);
    if (values === undefined) totals.set(provider, (values = zero()));
    return values;
  };
  for (const [provider, retired] of registry.retired) add(into(provider), retired);
  for (const counters of registry.live) add(into(counters.provider), counters);
  return totals;
}
