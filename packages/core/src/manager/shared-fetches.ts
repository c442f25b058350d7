import { isAuthError } from '../errors';
import type { TokenProvider, TokenRequest } from '../provider';
import type { AccessToken } from '../token';
import { ClockSkew } from './clock-skew';
import { fetchWithRecovery } from './fetch-with-recovery';
import type { RecoveryContext } from './fetch-with-recovery';
import { lockOrWait } from './fleet-lock';
import type { GuardedStore } from './guarded-store';
import { sharedTimeoutError } from './manager-errors';
import type { MemoryTokenStore } from './memory-store';
import type { ResolvedOptions } from './options';
import type { RefreshBackoff } from './refresh-backoff';
import { isFresh, isUsable, newerToken, retentionMs, usableRefreshToken } from './refresh-window';
import type { Reporter } from './reporter';
import type { ReleaseLock } from './store';
import { Keepalive } from './timers';

interface Flight {
  readonly promise: Promise<AccessToken>;
  readonly controller: AbortController;
  readonly keepalive: Keepalive;
}

export interface SharedFetchesContext {
  provider: TokenProvider;
  options: ResolvedOptions;
  local: MemoryTokenStore;
  shared: GuardedStore | undefined;
  backoff: RefreshBackoff;
  report: Reporter;
}

/**
 * Single flight: one request per key however many callers wait for it, with its own deadline, so
 * that no caller's impatience fails the others. The entry is removed when the request settles: a
 * rejection is never cached.
 */
export class SharedFetches {
  private readonly pending = new Map<string, Flight>();
  private readonly skew = new ClockSkew();

  constructor(private readonly context: SharedFetchesContext) {}

  /** The clock offset measured from the provider's `Date` headers (0 until one differs). */
  get clockOffsetMs(): number {
    return this.skew.offsetMs;
  }

  has(key: string): boolean {
    return this.pending.has(key);
  }

  /** The request in progress for `key`, if any, now awaited by one more caller. */
  join(key: string): Promise<AccessToken> | undefined {
    const flight = this.pending.get(key);
    flight?.keepalive.hold();
    return flight?.promise;
  }

  /** A request a caller awaits holds the process until it settles; a background one does not. */
  start(key: string, request: TokenRequest | undefined, known: AccessToken | undefined, background: boolean): Promise<AccessToken> {
    const { provider, options } = this.context;
    const controller = new AbortController();
    const keepalive = new Keepalive(!background);
    const stop = keepalive.start(() => controller.abort(sharedTimeoutError(provider.provider, options.fetchTimeoutMs)), options.fetchTimeoutMs);
    const promise = this.run(key, request, known, controller.signal, keepalive, background).finally(() => {
      stop();
      if (this.pending.get(key)?.promise === promise) this.pending.delete(key);
    });
    // Callers wait on promises derived from this one; with all of them gone (aborted), its
    // rejection would otherwise be reported as unhandled.
    promise.catch(() => undefined);
    this.pending.set(key, { promise, controller, keepalive });
    return promise;
  }

  /** Aborts every request in progress (the provider sees its `FetchOptions.signal` abort). */
  async abortAll(reason: Error): Promise<void> {
    const flights = [...this.pending.values()];
    for (const flight of flights) flight.controller.abort(reason);
    await Promise.allSettled(flights.map((flight) => flight.promise));
  }

  /** Takes in a token another instance wrote to the shared store. */
  adopt(key: string, token: AccessToken, due: boolean): AccessToken {
    const now = this.context.options.clock();
    this.context.local.put(key, token, retentionMs(token, now), now);
    this.context.backoff.reset(key);
    this.context.report.hit(key, 'store', due);
    return token;
  }

  private async run(
    key: string,
    request: TokenRequest | undefined,
    known: AccessToken | undefined,
    signal: AbortSignal,
    keepalive: Keepalive,
    background: boolean,
  ): Promise<AccessToken> {
    const { options, shared, report } = this.context;
    const { clock, fetchTimeoutMs, refreshBeforeMs } = options;
    const started = clock();
    let release: ReleaseLock | undefined;
    try {
      if (shared !== undefined) {
        const isFreshNow = (token: AccessToken): boolean => isFresh(token, clock(), refreshBeforeMs);
        // A caller that missed has just read the store; a background refresh has not.
        // The lock outlives this request's deadline by the write that follows the fetch.
        const ttlMs = fetchTimeoutMs + options.storeTimeoutMs;
        const fleet = await lockOrWait(shared, key, { ...options.lock, ttlMs, isFresh: isFreshNow, keepalive }, signal, background);
        if (fleet.token !== undefined) return this.adopt(key, fleet.token, false);
        release = fleet.release;
        known = newerToken(known, fleet.seen);
      }
      const fetchRequest = this.fetchRequest(request, known, started);
      const { token, attempts } = await fetchWithRecovery(this.recovery(key, keepalive, background), fetchRequest, signal, started + fetchTimeoutMs);
      await this.keep(key, token);
      report.fetched(key, token, attempts, clock() - started, background);
      return token;
    } catch (error) {
      if (isAuthError(error)) report.failed(key, error, known !== undefined && isUsable(known, clock()), background);
      throw error;
    } finally {
      if (release !== undefined) await shared?.release(key, release);
    }
  }

  /** The newest refresh token wins over one the caller passed in: the provider may have rotated it. */
  private fetchRequest(request: TokenRequest | undefined, known: AccessToken | undefined, now: number): TokenRequest {
    const authCode = request?.authCode;
    if (authCode === undefined) return {};
    const refreshToken = usableRefreshToken(known, now) ?? request?.refreshToken;
    return refreshToken === undefined ? { authCode } : { authCode, refreshToken };
  }

  private recovery(key: string, keepalive: Keepalive, background: boolean): RecoveryContext {
    const { provider, options, report } = this.context;
    return {
      provider,
      retry: options.retry,
      skew: this.skew,
      clock: options.clock,
      random: options.random,
      keepalive,
      onAttempt: (attempt, clockOffsetMs) => report.fetchStarted(key, attempt, background, clockOffsetMs),
      onRetry: (error, delayMs, attempt) => report.retrying(key, error, delayMs, attempt),
    };
  }

  private async keep(key: string, token: AccessToken): Promise<void> {
    const now = this.context.options.clock();
    const ttlMs = retentionMs(token, now);
    this.context.local.put(key, token, ttlMs, now);
    this.context.backoff.reset(key);
    await this.context.shared?.set(key, token, ttlMs);
  }
}
