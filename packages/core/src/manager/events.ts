import type { AuthError } from '../errors';
import { maskToken } from '../redact';
import type { AccessToken } from '../token';

/** What events say about a token: never the token itself. */
export interface MaskedToken {
  /** The first four characters and `…`. */
  accessToken: string;
  expiresAt: Date;
  issuedAt: Date;
  hasRefreshToken: boolean;
}

export function maskedToken(token: AccessToken): MaskedToken {
  return {
    accessToken: maskToken(token.accessToken) ?? '…',
    expiresAt: token.expiresAt,
    issuedAt: token.issuedAt,
    hasRefreshToken: token.refreshToken !== undefined,
  };
}

export type StoreOperation = 'get' | 'set' | 'delete' | 'clear' | 'lock' | 'unlock';

/**
 * Every event carries the cache key (`provider:clientId[:authCode]`). The auth code in it names
 * a customer: mask it (or drop the key) before the event goes to a log.
 */
export interface TokenManagerEvents {
  /** A token served from memory, or from the fleet's store; `due` when a background refresh is wanted. */
  hit: { key: string; source: 'memory' | 'store'; due: boolean };
  /** No usable token in memory: the caller waits for the store or the provider. */
  miss: { key: string };
  /** A call to the provider starts; `attempt` counts from 1 within one flight (one request for a key, however many callers wait). */
  fetch: { key: string; attempt: number; background: boolean; clockOffsetMs: number };
  /** The provider answered with a token. */
  token: { key: string; token: MaskedToken; attempts: number; durationMs: number; background: boolean };
  /** A background refresh of a still-valid token started, succeeded, or failed (see `error` for why). */
  refresh: { key: string; phase: 'started' | 'succeeded' | 'failed'; nextAttemptInMs?: number };
  /** A flight failed; `stale` is true while a still-valid token keeps being served. */
  error: { key: string; error: AuthError; stale: boolean; background: boolean };
  /** The fleet's store failed (or timed out): the manager keeps working from its own memory. */
  storeError: { key: string | undefined; operation: StoreOperation; error: unknown };
}

export type TokenManagerEvent = keyof TokenManagerEvents;
export type TokenManagerListener<E extends TokenManagerEvent> = (payload: TokenManagerEvents[E]) => void;

type ListenerTable = { [E in TokenManagerEvent]: ReadonlyArray<TokenManagerListener<E>> | undefined };

/**
 * A small typed emitter. Unlike Node's EventEmitter, an `error` with no listener is not thrown,
 * and a listener that throws cannot break the manager (it is handed to `onListenerError`).
 */
export class TokenManagerEmitter {
  // Every event present from the start (one object shape), and undefined while nobody listens:
  // `has`, asked on every cache hit, is one property read and one comparison.
  private listeners: ListenerTable = {
    hit: undefined,
    miss: undefined,
    fetch: undefined,
    token: undefined,
    refresh: undefined,
    error: undefined,
    storeError: undefined,
  };

  constructor(private readonly onListenerError: (event: TokenManagerEvent, error: unknown) => void) {}

  on<E extends TokenManagerEvent>(event: E, listener: TokenManagerListener<E>): () => void {
    // Copy on write: an emit in progress keeps iterating the array it started with.
    const table = this.listeners as { [K in E]: ReadonlyArray<TokenManagerListener<K>> | undefined };
    table[event] = [...(table[event] ?? []), listener];
    return () => {
      const rest = (table[event] ?? []).filter((item) => item !== listener);
      table[event] = rest.length > 0 ? rest : undefined;
    };
  }

  has(event: TokenManagerEvent): boolean {
    return this.listeners[event] !== undefined;
  }

  emit<E extends TokenManagerEvent>(event: E, payload: TokenManagerEvents[E]): void {
    const list = (this.listeners as { [K in E]: ReadonlyArray<TokenManagerListener<K>> | undefined })[event];
    if (list === undefined) return;
    for (const listener of list) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }
}
