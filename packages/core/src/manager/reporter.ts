import { publishTokenRetry, type DiagnosticsOwner } from '../diagnostics';
import { createTokenCounters, type TokenCounters } from '../diagnostics-counters';
import type { AuthError } from '../errors';
import { sanitizeCause } from '../redact';
import type { AccessToken } from '../token';
import { maskCacheKey } from './cache-key';
import { maskedToken, TokenManagerEmitter } from './events';
import type { StoreOperation } from './events';
import type { Logger, LogLevel } from './logger';

/**
 * Turns what the manager does into events, log lines, counts and diagnostics messages. Payloads
 * are only built for events somebody listens to, and every token and auth code is masked on its
 * way out. The counts are plain integers (`diagnostics-counters.ts`): a hit costs one increment.
 */
export class Reporter {
  readonly events: TokenManagerEmitter;
  private readonly provider: string;
  private readonly counters: TokenCounters;

  /** `manager` owns the counters: they are counted in the totals until it is garbage-collected. */
  constructor(
    private readonly owner: DiagnosticsOwner,
    private readonly baseKey: string,
    private readonly logger: Logger | undefined,
    manager: object,
  ) {
    this.provider = owner.provider;
    this.counters = createTokenCounters(manager, owner.provider);
    this.events = new TokenManagerEmitter((event, error) =>
      this.log('warn', { event, err: sanitizeCause(error) }, 'kunci: a TokenManager event listener threw'),
    );
  }

  /** A fresh token from memory: one increment, and the event only for a listener. */
  freshHit(key: string): void {
    this.counters.memoryHits++;
    if (this.events.has('hit')) this.events.emit('hit', { key, source: 'memory', due: false });
  }

  hit(key: string, source: 'memory' | 'store', due: boolean): void {
    if (source === 'memory') this.counters.memoryHits++;
    else this.counters.storeHits++;
    if (due) this.counters.servedStale++;
    if (this.events.has('hit')) this.events.emit('hit', { key, source, due });
  }

  miss(key: string): void {
    this.counters.misses++;
    if (this.events.has('miss')) this.events.emit('miss', { key });
  }

  fetchStarted(key: string, attempt: number, background: boolean, clockOffsetMs: number): void {
    if (this.events.has('fetch')) this.events.emit('fetch', { key, attempt, background, clockOffsetMs });
    this.log('debug', { key: this.mask(key), attempt, background, clockOffsetMs }, 'kunci: fetching a token');
  }

  /** Another attempt follows the failed `attempt`, after `delayMs` (0 for a retry that does not wait). */
  retrying(key: string, error: AuthError, delayMs: number, attempt: number): void {
    publishTokenRetry(this.owner, key, attempt, error.code, delayMs);
    this.log('debug', { key: this.mask(key), code: error.code, attempt, delayMs }, `kunci: retrying in ${delayMs} ms`);
  }

  fetched(key: string, token: AccessToken, attempts: number, durationMs: number, background: boolean): void {
    const masked = maskedToken(token);
    if (this.events.has('token')) this.events.emit('token', { key, token: masked, attempts, durationMs, background });
    this.log('info', { key: this.mask(key), token: masked, attempts, durationMs, background }, 'kunci: token fetched');
  }

  failed(key: string, error: AuthError, stale: boolean, background: boolean): void {
    if (this.events.has('error')) this.events.emit('error', { key, error, stale, background });
    const message = stale
      ? 'kunci: token refresh failed; the cached token is served until it expires'
      : 'kunci: token fetch failed';
    this.log(stale ? 'warn' : 'error', { key: this.mask(key), err: error, stale, background }, message);
  }

  /** A flight found the fleet's lock held by another instance and waited for it. */
  lockWaited(): void {
    this.counters.lockWaits++;
  }

  refresh(key: string, phase: 'started' | 'succeeded' | 'failed', nextAttemptInMs?: number): void {
    if (phase === 'failed') this.counters.refreshFailures++;
    if (this.events.has('refresh')) {
      this.events.emit('refresh', nextAttemptInMs === undefined ? { key, phase } : { key, phase, nextAttemptInMs });
    }
    if (phase !== 'succeeded')
      this.log('debug', { key: this.mask(key), phase, nextAttemptInMs }, `kunci: background refresh ${phase}`);
  }

  storeFailed(operation: StoreOperation, key: string | undefined, cause: unknown): void {
    this.counters.storeErrors++;
    const error = sanitizeCause(cause);
    if (this.events.has('storeError')) this.events.emit('storeError', { key, operation, error });
    const masked = key === undefined ? undefined : this.mask(key);
    this.log('warn', { key: masked, operation, err: error }, 'kunci: token store failed; using this process’s memory');
  }

  private mask(key: string): string {
    return maskCacheKey(key, this.baseKey);
  }

  private log(level: LogLevel, obj: Record<string, unknown>, msg: string): void {
    if (this.logger === undefined) return;
    try {
      this.logger[level]({ provider: this.provider, ...obj }, msg);
    } catch {
      // A broken logger must not break token delivery; there is nowhere left to report it.
    }
  }
}
