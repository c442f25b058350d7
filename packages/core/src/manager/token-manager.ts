import { AuthError, isAuthError } from '../errors';
import type { TokenProvider, TokenRequest } from '../provider';
import { checkTokenRequest } from '../token-request';
import type { AccessToken } from '../token';
import { baseCacheKey, cacheKey, customerCacheKey } from './cache-key';
import type { TokenManagerEvent, TokenManagerListener } from './events';
import { ClockSkew, fetchWithRetries, type FetchSettings } from './fetch-with-retries';
import { FleetStore, lockOrWait } from './fleet';
import { Flights, type Flight } from './flights';
import { MemoryTokenStore } from './memory-store';
import { resolveOptions, type ResolvedOptions, type TokenManagerOptions } from './options';
import { RefreshBackoff } from './refresh-backoff';
import { Reporter } from './reporter';
import type { ReleaseLock } from './store';
import { raceSignal } from './timers';
import { isFresh, isUsable, newerToken, retentionMs, tokenState, usableRefreshToken } from './token-states';

export interface GetTokenRequest extends TokenRequest {
  /** Ends this caller's wait only; the flight goes on for the other callers. */
  signal?: AbortSignal | undefined;
}

/**
 * Gets, caches and refreshes one provider's tokens: the B2B token and one per B2B2C customer.
 * Read top to bottom, this file is a `getToken()`: the memory (fresh, due, expired, missing), then
 * on a miss the fleet's store, then the one flight per key (the fleet lock, the fetch with its
 * retries, the store), whose promise every waiter shares.
 */
export class TokenManager {
  readonly provider: TokenProvider;
  private readonly options: ResolvedOptions;
  private readonly baseKey: string;
  /** This process's tokens: a hit is a synchronous lookup. */
  private readonly memory: MemoryTokenStore;
  /** The store a fleet of instances shares (configured `store` other than a `MemoryTokenStore`). */
  private readonly fleet: FleetStore | undefined;
  /** One store read per key however many callers missed at once. */
  private readonly fleetReads = new Map<string, Promise<AccessToken | undefined>>();
  private readonly flights: Flights<AccessToken>;
  private readonly fetching: FetchSettings;
  private readonly backoff: RefreshBackoff;
  private readonly report: Reporter;
  /** Aborted by `close()`: every flight and store operation in progress ends. */
  private readonly closing = new AbortController();
  /** Set by `close()`; read on every `getToken()`, as are the next two (fields, not lookups through the options). */
  private closed = false;
  private readonly clock: () => number;
  private readonly refreshBeforeMs: number;

  constructor(provider: TokenProvider, options?: TokenManagerOptions) {
    this.provider = provider;
    const resolved = (this.options = resolveOptions(provider.provider, options));
    this.clock = resolved.clock;
    this.refreshBeforeMs = resolved.refreshBeforeMs;
    this.baseKey = baseCacheKey(provider);
    this.report = new Reporter(provider.provider, this.baseKey, resolved.logger);
    this.backoff = new RefreshBackoff(
      resolved.refreshBackoff.baseDelayMs,
      resolved.refreshBackoff.maxDelayMs,
      resolved.maxEntries,
    );
    const store = resolved.store;
    // A store outside the process gets a memory front: a hit must not cost a round trip, and the
    // manager keeps working from its memory when that store fails.
    this.memory =
      store instanceof MemoryTokenStore
        ? store
        : new MemoryTokenStore({ maxEntries: resolved.maxEntries, clock: resolved.clock });
    this.fleet =
      store === undefined || store === this.memory
        ? undefined
        : new FleetStore(store, {
            timeoutMs: resolved.storeTimeoutMs,
            clock: resolved.clock,
            signal: this.closing.signal,
            onError: (operation, key, error) => this.report.storeFailed(operation, key, error),
          });
    this.flights = new Flights(resolved.fetchTimeoutMs, () =>
      flightTimeoutError(provider.provider, resolved.fetchTimeoutMs),
    );
    const { retry, clock, random } = resolved;
    this.fetching = { provider, retry, clock, random, skew: new ClockSkew(), report: this.report };
  }

  /**
   * Milliseconds to add to the local clock for a timestamp the provider will check: measured from
   * its `Date` headers. The interceptor signs service calls with it.
   */
  get clockOffsetMs(): number {
    return this.fetching.skew.offsetMs;
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends TokenManagerEvent>(event: E, listener: TokenManagerListener<E>): () => void {
    return this.report.events.on(event, listener);
  }

  /** The cached token while it is fresh; a due one at once while one refresh runs; else waits for one. */
  getToken(request?: GetTokenRequest): Promise<AccessToken> {
    if (this.closed) return Promise.reject(new TokenManagerClosedError(this.provider.provider));
    let key = this.baseKey;
    let signal: AbortSignal | undefined;
    if (request !== undefined) {
      signal = request.signal;
      if (request.authCode !== undefined || request.refreshToken !== undefined) {
        let authCode: string | undefined;
        try {
          ({ authCode } = checkTokenRequest(
            this.provider.provider,
            request,
            this.provider.supportsCustomerTokens,
            'getToken',
          ));
        } catch (error) {
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- checkTokenRequest throws AuthError only; it is passed on unchanged
          return Promise.reject(error);
        }
        if (authCode !== undefined) key = customerCacheKey(this.baseKey, authCode);
      }
    }
    const now = this.clock();
    const entry = this.memory.entry(key, now);
    const token = entry?.token;
    if (entry !== undefined && token !== undefined && (signal === undefined || !signal.aborted)) {
      const state = tokenState(token, now, this.refreshBeforeMs);
      if (state === 'fresh') {
        this.report.hit(key, 'memory', false);
        return (entry.settled ??= Promise.resolve(token));
      }
      if (state === 'due') {
        this.refreshInBackground(key, request, token, now);
        this.report.hit(key, 'memory', true);
        return (entry.settled ??= Promise.resolve(token));
      }
    }
    return this.waitForToken(key, request, token);
  }

  /** A miss: join the key's flight, or take a usable token from the fleet's store, or start the flight. */
  private async waitForToken(
    key: string,
    request: GetTokenRequest | undefined,
    known: AccessToken | undefined,
  ): Promise<AccessToken> {
    const signal = request?.signal;
    const abandoned = (reason: unknown): Error => abandonedError(this.provider.provider, reason);
    if (signal?.aborted === true) throw abandoned(signal.reason);
    this.report.miss(key);
    let flight = this.flights.join(key);
    if (flight === undefined && this.fleet !== undefined) {
      const stored = await raceSignal(this.readFleet(this.fleet, key), signal, abandoned);
      if (this.closing.signal.aborted) throw new TokenManagerClosedError(this.provider.provider);
      const now = this.options.clock();
      // The memory's token has expired (or there is none): a usable stored one is newer.
      const state = tokenState(stored, now, this.options.refreshBeforeMs);
      if (stored !== undefined && (state === 'fresh' || state === 'due')) {
        this.adopt(key, stored, state === 'due');
        if (state === 'due') this.refreshInBackground(key, request, stored, now);
        return stored;
      }
      known = newerToken(known, stored);
      flight = this.flights.join(key);
    }
    flight ??= this.flights.start(key, false, (started) => this.fly(started, request, known));
    return raceSignal(flight, signal, abandoned);
  }

  private readFleet(fleet: FleetStore, key: string): Promise<AccessToken | undefined> {
    let read = this.fleetReads.get(key);
    if (read === undefined) {
      read = fleet.get(key).finally(() => this.fleetReads.delete(key));
      this.fleetReads.set(key, read);
    }
    return read;
  }

  /**
   * What one flight does: in a fleet, take the key's lock (or the token its holder writes), then
   * fetch with retries, then keep the token in memory and in the fleet's store.
   */
  private async fly(
    flight: Flight,
    request: TokenRequest | undefined,
    known: AccessToken | undefined,
  ): Promise<AccessToken> {
    const { clock, fetchTimeoutMs, refreshBeforeMs, storeTimeoutMs, lock } = this.options;
    const started = clock();
    let release: ReleaseLock | undefined;
    try {
      if (this.fleet !== undefined) {
        // The lock outlives the flight's deadline by the write that follows the fetch.
        const ttlMs = fetchTimeoutMs + storeTimeoutMs;
        const isFreshNow = (token: AccessToken): boolean => isFresh(token, clock(), refreshBeforeMs);
        const outcome = await lockOrWait(this.fleet, flight, { ...lock, ttlMs, isFresh: isFreshNow });
        if (outcome.token !== undefined) return this.adopt(flight.key, outcome.token, false);
        release = outcome.release;
        known = newerToken(known, outcome.seen);
      }
      const fetchRequest = this.fetchRequest(request, known, started);
      const { token, attempts } = await fetchWithRetries(this.fetching, flight, fetchRequest, started + fetchTimeoutMs);
      await this.keep(flight.key, token);
      this.report.fetched(flight.key, token, attempts, clock() - started, flight.background);
      return token;
    } catch (error) {
      if (isAuthError(error))
        this.report.failed(flight.key, error, known !== undefined && isUsable(known, clock()), flight.background);
      throw error;
    } finally {
      if (release !== undefined) await this.fleet?.release(flight.key, release);
    }
  }

  /** The newest refresh token wins over one the caller passed in: the provider may have rotated it. */
  private fetchRequest(request: TokenRequest | undefined, known: AccessToken | undefined, now: number): TokenRequest {
    const authCode = request?.authCode;
    if (authCode === undefined) return {};
    const refreshToken = usableRefreshToken(known, now) ?? request?.refreshToken;
    return refreshToken === undefined ? { authCode } : { authCode, refreshToken };
  }

  /** A token fetched here: into memory and the fleet's store. */
  private async keep(key: string, token: AccessToken): Promise<void> {
    const now = this.options.clock();
    const ttlMs = retentionMs(token, now);
    this.memory.put(key, token, ttlMs, now);
    this.backoff.reset(key);
    await this.fleet?.set(key, token, ttlMs);
  }

  /** A token another instance wrote to the fleet's store: into memory. */
  private adopt(key: string, token: AccessToken, due: boolean): AccessToken {
    const now = this.options.clock();
    this.memory.put(key, token, retentionMs(token, now), now);
    this.backoff.reset(key);
    this.report.hit(key, 'store', due);
    return token;
  }

  private refreshInBackground(key: string, request: TokenRequest | undefined, token: AccessToken, now: number): void {
    if (this.flights.has(key) || !this.backoff.allows(key, now)) return;
    this.report.refresh(key, 'started');
    this.flights
      .start(key, true, (flight) => this.fly(flight, request, token))
      .then(
        () => this.report.refresh(key, 'succeeded'),
        () => {
          if (!this.closing.signal.aborted)
            this.report.refresh(key, 'failed', this.backoff.failed(key, this.options.clock()));
        },
      );
  }

  /**
   * Drops cached tokens: all of this manager's, or one key (a cache key string, or the request it
   * stands for: `{}` is the B2B token, `{ authCode }` a customer's). With `rejectedAccessToken`,
   * the token is only dropped while it is still that one: a newer token stays.
   */
  async invalidate(target?: string | TokenRequest, rejectedAccessToken?: string): Promise<void> {
    if (target === undefined) {
      this.memory.remove(this.baseKey);
      this.memory.removePrefix(`${this.baseKey}:`);
      this.backoff.reset();
      await this.fleet?.delete(this.baseKey);
      await this.fleet?.clear(`${this.baseKey}:`);
      return;
    }
    const key = typeof target === 'string' ? target : cacheKey(this.provider, target);
    if (rejectedAccessToken === undefined || this.memory.peek(key)?.accessToken === rejectedAccessToken)
      this.memory.remove(key);
    this.backoff.reset(key);
    if (this.fleet === undefined) return;
    if (rejectedAccessToken !== undefined && (await this.fleet.get(key))?.accessToken !== rejectedAccessToken) return;
    await this.fleet.delete(key);
  }

  /** Stops everything: flights in progress are aborted, and later calls to `getToken` reject. */
  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closed = true;
    const error = new TokenManagerClosedError(this.provider.provider);
    this.closing.abort(error);
    await this.flights.abortAll(error);
  }
}

/** Thrown by `getToken` after `close()`: using a closed manager is a bug in the caller, not a provider failure. */
export class TokenManagerClosedError extends Error {
  override readonly name = 'TokenManagerClosedError';
  readonly code = 'MANAGER_CLOSED';

  constructor(readonly provider: string) {
    super(`The TokenManager for ${provider} is closed; create a new one to get tokens again.`);
  }
}

function abandonedError(provider: string, reason: unknown): AuthError {
  return new AuthError(
    'TIMEOUT',
    `${provider}: the caller's AbortSignal ended its wait for a token (the request goes on for the other callers).`,
    {
      provider,
      cause: reason,
    },
  );
}

function flightTimeoutError(provider: string, fetchTimeoutMs: number): AuthError {
  return new AuthError(
    'TIMEOUT',
    `${provider}: no token within ${fetchTimeoutMs} ms (fetchTimeoutMs, every attempt included).`,
    {
      provider,
    },
  );
}
