import { traceTokenGet, type TokenGetMessage } from '../diagnostics';
import { AuthError, isAuthError } from '../errors';
import type { TokenProvider, TokenRequest } from '../provider';
import { checkTokenRequest } from '../token-request';
import type { AccessToken } from '../token';
import { baseCacheKey, cacheKey, customerCacheKey } from './cache-key';
import type { TokenManagerEvent, TokenManagerListener } from './events';
import { TokenFetcher } from './fetcher';
import { FleetStore } from './fleet';
import { Flights, type Flight } from './flights';
import { MemoryTokenStore, refreshAt, retentionMs, type MemoryEntry } from './memory-store';
import { resolveOptions, type TokenManagerOptions } from './options';
import { Reporter } from './reporter';
import type { ReleaseLock } from './store';
import { raceSignal } from './timers';

export interface GetTokenRequest extends TokenRequest {
  /** Ends this caller's wait only; the flight goes on for the other callers. */
  signal?: AbortSignal | undefined;
}

/**
 * Gets, caches and refreshes one provider's tokens: the B2B token and one per B2B2C customer.
 * Read top to bottom, this file is a `getToken()`: the memory's entry (fresh, due, expired or
 * missing); on a miss, the key's one flight (`flights.ts`), whose promise every waiter shares; the
 * flight asks the fleet's store (`fleet.ts`: a stored token, or the lock), fetches (`fetcher.ts`:
 * the request, the retries, the clock offset) and puts the token in memory and in the store.
 */
export class TokenManager {
  readonly provider: TokenProvider;
  private readonly baseKey: string;
  private readonly clock: () => number;
  /** Refresh this long before expiry (or at half the token's life): worked out once per token, on `put`. */
  private readonly refreshBeforeMs: number;
  /** After a failed background refresh, the first wait before the next one, doubling up to the second. */
  private readonly refreshBackoff: { baseDelayMs: number; maxDelayMs: number };
  /** This process's tokens: a hit is a synchronous lookup. */
  private readonly memory: MemoryTokenStore;
  /** The store a fleet of instances shares (configured `store` other than a `MemoryTokenStore`). */
  private readonly fleet: FleetStore | undefined;
  private readonly flights: Flights<Fetched>;
  private readonly fetcher: TokenFetcher;
  /** Events, log lines, counts and diagnostics messages. */
  private readonly reporter: Reporter;
  /** Set by `close()`. */
  private closed = false;

  constructor(provider: TokenProvider, options?: TokenManagerOptions) {
    this.provider = provider;
    const resolved = resolveOptions(provider.provider, options);
    const { clock, store, fetchTimeoutMs, storeTimeoutMs } = resolved;
    this.clock = clock;
    this.refreshBeforeMs = resolved.refreshBeforeMs;
    this.refreshBackoff = resolved.refreshBackoff;
    this.baseKey = baseCacheKey(provider);
    this.reporter = new Reporter(provider, this.baseKey, resolved.logger, this);
    // A store outside the process gets a memory front: a hit must not cost a round trip, and the
    // manager keeps working from its memory when that store fails.
    this.memory =
      store instanceof MemoryTokenStore ? store : new MemoryTokenStore({ maxEntries: resolved.maxEntries, clock });
    this.fleet =
      store === undefined || store === this.memory
        ? undefined
        : new FleetStore(store, {
            owner: provider,
            timeoutMs: storeTimeoutMs,
            // The lock outlives the flight's deadline by the write that follows the fetch.
            lockTtlMs: fetchTimeoutMs + storeTimeoutMs,
            lockWaitMs: resolved.lock.waitMs,
            lockPollMs: resolved.lock.pollMs,
            clock,
            onError: (operation, key, error) => this.reporter.storeFailed(operation, key, error),
          });
    this.flights = new Flights(fetchTimeoutMs, () => flightTimeoutError(provider.provider, fetchTimeoutMs), clock);
    this.fetcher = new TokenFetcher(provider, resolved.retry, clock, resolved.random, this.reporter);
  }

  /**
   * Milliseconds to add to the local clock for a timestamp the provider will check: measured from
   * its `Date` headers. The interceptor signs service calls with it.
   */
  get clockOffsetMs(): number {
    return this.fetcher.clockOffsetMs;
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends TokenManagerEvent>(event: E, listener: TokenManagerListener<E>): () => void {
    return this.reporter.events.on(event, listener);
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
    if (entry !== undefined && (signal === undefined || !signal.aborted)) {
      // Fresh: one comparison (refreshAt is never past expiresAt).
      if (now < entry.refreshAt) {
        this.reporter.freshHit(key);
        return (entry.settled ??= Promise.resolve(entry.token));
      }
      // Due. Past `expiresAt`, the entry is kept for its refresh token only: a miss.
      if (now < entry.expiresAt) {
        this.refreshInBackground(key, request, entry, now);
        this.reporter.hit(key, 'memory', true);
        return (entry.settled ??= Promise.resolve(entry.token));
      }
    }
    return this.waitForToken(key, request, entry?.token);
  }

  /**
   * A miss, traced on `kunci:token.get` while somebody listens. A method of its own: a closure in
   * `getToken` would make every call allocate the variables it captures, hits included.
   */
  private waitForToken(
    key: string,
    request: GetTokenRequest | undefined,
    lastToken: AccessToken | undefined,
  ): Promise<AccessToken> {
    return traceTokenGet(this.provider, key, key !== this.baseKey, 'miss', (message) =>
      this.joinFlight(key, request, lastToken, message),
    );
  }

  /**
   * Joins the key's flight or starts it; a due token it brings starts a background refresh.
   * `message` is the miss's diagnostics message while somebody listens: it learns where the token came from.
   */
  private async joinFlight(
    key: string,
    request: GetTokenRequest | undefined,
    lastToken: AccessToken | undefined,
    message: TokenGetMessage | undefined,
  ): Promise<AccessToken> {
    const signal = request?.signal;
    const abandoned = (reason: unknown): Error => abandonedError(this.provider.provider, reason);
    if (signal?.aborted === true) throw abandoned(signal.reason);
    this.reporter.miss(key);
    const flight =
      this.flights.join(key) ??
      this.flights.start(key, false, (started) => this.fetchAndStore(started, request, lastToken));
    const { entry, source } = await raceSignal(flight, signal, abandoned);
    if (message !== undefined) message.source = source;
    // Only a token from the fleet's store can be due already (and still valid).
    const now = this.clock();
    if (now >= entry.refreshAt && now < entry.expiresAt) this.refreshInBackground(key, request, entry, now);
    return entry.token;
  }

  /**
   * What one flight does: in a fleet, take a usable stored token (fresh, for a background
   * refresh), or the key's lock, or the token its holder writes; else fetch the token with its
   * retries, then put it in memory and in the fleet's store.
   */
  private async fetchAndStore(
    flight: Flight,
    request: TokenRequest | undefined,
    lastToken: AccessToken | undefined,
  ): Promise<Fetched> {
    const { key, background } = flight;
    const started = this.clock();
    let release: ReleaseLock | undefined;
    try {
      if (this.fleet !== undefined) {
        // A caller takes any token still valid (a due one is refreshed after); a refresh, a fresh one only.
        const found = await this.fleet.findOrLock(flight, (token) =>
          background ? this.clock() < refreshAt(token, this.refreshBeforeMs) : this.clock() < token.expiresAt.getTime(),
        );
        flight.signal.throwIfAborted();
        if (found.waited === true) this.reporter.lockWaited();
        if (found.token !== undefined) {
          const entry = this.putInMemory(key, found.token);
          this.reporter.hit(key, 'store', this.clock() >= entry.refreshAt);
          return { entry, source: 'store' };
        }
        release = found.release;
        lastToken = newerToken(lastToken, found.seen);
      }
      const { token, attempts } = await this.fetcher.fetch(flight, request, lastToken);
      const entry = this.putInMemory(key, token);
      await this.fleet?.set(key, token, entry.until - this.clock());
      this.reporter.fetched(key, token, attempts, this.clock() - started, background);
      return { entry, source: 'network' };
    } catch (error) {
      if (isAuthError(error)) {
        const stale = lastToken !== undefined && this.clock() < lastToken.expiresAt.getTime();
        this.reporter.failed(key, error, stale, background);
      }
      throw error;
    } finally {
      if (release !== undefined) await this.fleet?.release(key, release);
    }
  }

  /** A new token for `key` in memory, with its refresh instant worked out once. */
  private putInMemory(key: string, token: AccessToken): MemoryEntry {
    const now = this.clock();
    return this.memory.put(key, token, retentionMs(token, now), now, this.refreshBeforeMs);
  }

  /**
   * One background flight for a due token, unless one runs or the last failures pace it: after
   * each failure in a row, the next waits twice as long (one attempt per interval, not one per hit).
   */
  private refreshInBackground(key: string, request: TokenRequest | undefined, entry: MemoryEntry, now: number): void {
    if (now < entry.nextRefreshAt || this.flights.has(key)) return;
    this.reporter.refresh(key, 'started');
    traceTokenGet(this.provider, key, key !== this.baseKey, 'refresh', async (message) => {
      const fetched = await this.flights.start(key, true, (flight) => this.fetchAndStore(flight, request, entry.token));
      if (message !== undefined) message.source = fetched.source;
      return fetched.entry.token;
    }).then(
      () => this.reporter.refresh(key, 'succeeded'),
      () => {
        if (this.closed) return;
        const { baseDelayMs, maxDelayMs } = this.refreshBackoff;
        const wait = Math.min(maxDelayMs, baseDelayMs * 2 ** entry.refreshFailures++);
        entry.nextRefreshAt = this.clock() + wait;
        this.reporter.refresh(key, 'failed', wait);
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
      await this.fleet?.delete(this.baseKey);
      await this.fleet?.clear(`${this.baseKey}:`);
      return;
    }
    const key = typeof target === 'string' ? target : cacheKey(this.provider, target);
    if (rejectedAccessToken === undefined || this.memory.peek(key)?.accessToken === rejectedAccessToken)
      this.memory.remove(key);
    if (this.fleet === undefined) return;
    if (rejectedAccessToken !== undefined && (await this.fleet.get(key))?.accessToken !== rejectedAccessToken) return;
    await this.fleet.delete(key);
  }

  /** Stops everything: flights in progress are aborted, and later calls to `getToken` reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fleet?.close();
    await this.flights.abortAll(new TokenManagerClosedError(this.provider.provider));
  }
}

/** What a flight brings: the key's new entry, and whether its token was the fleet's store's or the provider's. */
interface Fetched {
  readonly entry: MemoryEntry;
  readonly source: 'store' | 'network';
}

/** Of two tokens for one key, the one that lives longer: it came from the later response. */
function newerToken(a: AccessToken | undefined, b: AccessToken | undefined): AccessToken | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return b.expiresAt.getTime() > a.expiresAt.getTime() ? b : a;
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
