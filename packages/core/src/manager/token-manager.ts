import type { TokenProvider, TokenRequest } from '../provider';
import type { AccessToken } from '../token';
import { baseCacheKey, cacheKey, customerCacheKey } from './cache-key';
import type { TokenManagerEvent, TokenManagerListener } from './events';
import { GuardedStore } from './guarded-store';
import { checkTokenRequest } from '../token-request';
import { abandonedError, TokenManagerClosedError } from './manager-errors';
import { MemoryTokenStore } from './memory-store';
import { resolveOptions } from './options';
import type { ResolvedOptions, TokenManagerOptions } from './options';
import { RefreshBackoff } from './refresh-backoff';
import { isFresh, isUsable, newerToken, refreshAt } from './refresh-window';
import { Reporter } from './reporter';
import { SharedFetches } from './shared-fetches';
import { raceSignal } from './timers';

export interface GetTokenRequest extends TokenRequest {
  /** Ends this caller's wait only; the shared request goes on for the other callers. */
  signal?: AbortSignal | undefined;
}

/** Gets, caches and refreshes one provider's tokens: the B2B token and one per B2B2C customer. */
export class TokenManager {
  readonly provider: TokenProvider;
  private readonly options: ResolvedOptions;
  private readonly baseKey: string;
  private readonly local: MemoryTokenStore;
  private readonly shared: GuardedStore | undefined;
  private readonly backoff: RefreshBackoff;
  private readonly report: Reporter;
  private readonly fetches: SharedFetches;
  private readonly sharedReads = new Map<string, Promise<AccessToken | undefined>>();
  private readonly lifetime = new AbortController();
  private closed = false;

  constructor(provider: TokenProvider, options?: TokenManagerOptions) {
    this.provider = provider;
    const resolved = (this.options = resolveOptions(provider.provider, options));
    this.baseKey = baseCacheKey(provider);
    this.report = new Reporter(provider.provider, this.baseKey, resolved.logger);
    this.backoff = new RefreshBackoff(resolved.refreshBackoff.baseDelayMs, resolved.refreshBackoff.maxDelayMs, resolved.maxEntries);
    const store = resolved.store;
    // A store outside the process gets a memory front: a hit must not cost a round trip, and the
    // manager keeps working from its memory when that store fails.
    this.local = store instanceof MemoryTokenStore ? store : new MemoryTokenStore({ maxEntries: resolved.maxEntries, clock: resolved.clock });
    this.shared =
      store === undefined || store === this.local
        ? undefined
        : new GuardedStore(store, {
            timeoutMs: resolved.storeTimeoutMs,
            clock: resolved.clock,
            signal: this.lifetime.signal,
            onError: (operation, key, error) => this.report.storeFailed(operation, key, error),
          });
    const { local, shared, backoff, report } = this;
    this.fetches = new SharedFetches({ provider, options: resolved, local, shared, backoff, report });
  }

  /**
   * Milliseconds to add to the local clock for a timestamp the provider will check: measured from
   * its `Date` headers. The interceptor signs service calls with it.
   */
  get clockOffsetMs(): number {
    return this.fetches.clockOffsetMs;
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends TokenManagerEvent>(event: E, listener: TokenManagerListener<E>): () => void {
    return this.report.events.on(event, listener);
  }

  /** The cached token while it is fresh; a due one at once while one refresh runs; else waits for one. */
  getToken(request?: GetTokenRequest): Promise<AccessToken> {
    if (this.closed) return Promise.reject(new TokenManagerClosedError(this.provider.provider));
    let key = this.baseKey;
    if (request?.authCode !== undefined || request?.refreshToken !== undefined) {
      let authCode: string | undefined;
      try {
        ({ authCode } = checkTokenRequest(this.provider.provider, request, this.provider.supportsCustomerTokens, 'getToken'));
      } catch (error) {
        return Promise.reject(error);
      }
      if (authCode !== undefined) key = customerCacheKey(this.baseKey, authCode);
    }
    const now = this.options.clock();
    const token = this.local.peek(key, now);
    if (token !== undefined && now < token.expiresAt.getTime() && request?.signal?.aborted !== true) {
      const due = now >= refreshAt(token, this.options.refreshBeforeMs);
      if (due) this.refreshInBackground(key, request, token, now);
      this.report.hit(key, 'memory', due);
      return Promise.resolve(token);
    }
    return this.waitForToken(key, request, token);
  }

  /**
   * Drops cached tokens: all of this manager's, or one key (a cache key string, or the request it
   * stands for: `{}` is the B2B token, `{ authCode }` a customer's). With `rejectedAccessToken`,
   * the token is only dropped while it is still that one: a newer token stays.
   */
  async invalidate(target?: string | TokenRequest, rejectedAccessToken?: string): Promise<void> {
    if (target === undefined) {
      this.local.remove(this.baseKey);
      this.local.removePrefix(`${this.baseKey}:`);
      this.backoff.reset();
      await this.shared?.delete(this.baseKey);
      await this.shared?.clear(`${this.baseKey}:`);
      return;
    }
    const key = typeof target === 'string' ? target : cacheKey(this.provider, target);
    if (rejectedAccessToken === undefined || this.local.peek(key)?.accessToken === rejectedAccessToken) this.local.remove(key);
    this.backoff.reset(key);
    if (this.shared === undefined) return;
    if (rejectedAccessToken !== undefined && (await this.shared.get(key))?.accessToken !== rejectedAccessToken) return;
    await this.shared.delete(key);
  }

  /** Stops everything: requests in progress are aborted, and later calls to `getToken` reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new TokenManagerClosedError(this.provider.provider);
    this.lifetime.abort(error);
    await this.fetches.abortAll(error);
  }

  private async waitForToken(key: string, request: GetTokenRequest | undefined, known: AccessToken | undefined): Promise<AccessToken> {
    const signal = request?.signal;
    const abandoned = (reason: unknown): Error => abandonedError(this.provider.provider, reason);
    if (signal?.aborted === true) throw abandoned(signal.reason);
    this.report.miss(key);
    let pending = this.fetches.join(key);
    if (pending === undefined && this.shared !== undefined) {
      const stored = await raceSignal(this.readShared(this.shared, key), signal, abandoned);
      if (this.closed) throw new TokenManagerClosedError(this.provider.provider);
      const now = this.options.clock();
      // The memory's token has expired (or there is none): a usable stored one is newer.
      if (stored !== undefined && isUsable(stored, now)) {
        const due = !isFresh(stored, now, this.options.refreshBeforeMs);
        this.fetches.adopt(key, stored, due);
        if (due) this.refreshInBackground(key, request, stored, now);
        return stored;
      }
      known = newerToken(known, stored);
      pending = this.fetches.join(key);
    }
    pending ??= this.fetches.start(key, request, known, false);
    return raceSignal(pending, signal, abandoned);
  }

  /** One store read per key however many callers missed at once: a cold key must not cost a read each. */
  private readShared(shared: GuardedStore, key: string): Promise<AccessToken | undefined> {
    let read = this.sharedReads.get(key);
    if (read === undefined) {
      read = shared.get(key).finally(() => this.sharedReads.delete(key));
      this.sharedReads.set(key, read);
    }
    return read;
  }

  private refreshInBackground(key: string, request: TokenRequest | undefined, token: AccessToken, now: number): void {
    if (this.fetches.has(key) || !this.backoff.allows(key, now)) return;
    this.report.refresh(key, 'started');
    this.fetches.start(key, request, token, true).then(
      () => this.report.refresh(key, 'succeeded'),
      () => {
        if (!this.closed) this.report.refresh(key, 'failed', this.backoff.failed(key, this.options.clock()));
      },
    );
  }
}
