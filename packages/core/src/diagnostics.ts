import { createHmac, randomBytes } from 'node:crypto';
import { channel, tracingChannel, type Channel, type TracingChannel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { isAuthError, type AuthErrorCode } from './errors';
import { maskedToken, type MaskedToken } from './manager/events';
import type { AccessToken } from './token';

// kunci's work on node:diagnostics_channel: tracing channels (start, end, asyncStart, asyncEnd,
// error, as node's TracingChannel publishes them) for what takes time, a plain channel for retries,
// and plain integer counters for what happens on every call. Nothing is built while nobody listens:
// each helper asks the channels' own `hasSubscribers` first (node 20's TracingChannel has none).
// No message carries a secret, a key, an auth code or a whole token: tokens are masked, cache keys
// hashed, errors are kunci's AuthErrors, already scrubbed of the config's secrets.

/** The channel names; a tracing channel `X` publishes on `tracing:X:start`, `tracing:X:end`, …. */
export const KUNCI_CHANNELS = Object.freeze({
  /** A `getToken()` that missed (the caller waits), or a background refresh of a due token. */
  tokenGet: 'kunci:token.get',
  /** One request to the provider's token endpoint (one attempt). */
  tokenFetch: 'kunci:token.fetch',
  /** Plain channel: a failed attempt is retried after `delayMs`. */
  tokenRetry: 'kunci:token.retry',
  /** The fleet's store: a read of a token. */
  storeRead: 'kunci:store.read',
  /** The fleet's store: a write, a delete or a clear. */
  storeWrite: 'kunci:store.write',
  /** The fleet's lock: taken, waited for, or given up on. */
  storeLock: 'kunci:store.lock',
  /** A service call's signature (synchronous). */
  serviceSign: 'kunci:service.sign',
} as const);

export type KunciChannelName = (typeof KUNCI_CHANNELS)[keyof typeof KUNCI_CHANNELS];

/** Whose work a message describes. */
export interface KunciMessageBase {
  /** The provider's name (`pivot-snap`, …). */
  provider: string;
  /** The client id the token is for: an identifier, not a secret. */
  clientId: string;
}

/** What a tracing channel's message gains as the work ends. */
export interface TracedOutcome {
  /** Milliseconds from start to end (monotonic clock); set before `asyncStart` (or `error` of a throw). */
  durationMs?: number | undefined;
  /** What was thrown, on `error` and after: an `AuthError` for kunci's own failures. */
  error?: unknown;
  /** The `AuthError` code of `error`, when it is one. */
  errorCode?: AuthErrorCode | undefined;
}

/** `kunci:token.get`. */
export interface TokenGetMessage extends KunciMessageBase, TracedOutcome {
  /** `b2b` for the client's own token, `b2b2c` for a customer's (auth code) token. */
  flow: 'b2b' | 'b2b2c';
  /** `miss`: a caller waits; `refresh`: a background refresh of a token that is due, nobody waits. */
  kind: 'miss' | 'refresh';
  /** A keyed hash of the cache key: the same key gives the same hash in one process, and no auth code. */
  keyHash: string;
  /** Where the token came from: the fleet's store, or a request to the provider (this one's or one it joined). */
  source: 'store' | 'network';
  /** The token served, masked. */
  token?: MaskedToken | undefined;
}

/** `kunci:token.fetch`. */
export interface TokenFetchMessage extends KunciMessageBase, TracedOutcome {
  /** The provider's flow for this request, lower-case (`b2b`, `b2b2c`, `legacy`); set before `end`. */
  flow?: string | undefined;
  /** 1 for the first attempt of one fetch; each retry (any reason) counts up (`FetchOptions.attempt`). */
  attempt: number;
  /** The kind of key the request is signed with, when the provider says (`rsa`, `hmac`). */
  keyKind?: KeyKind | undefined;
  method: 'POST';
  /** The token endpoint: scheme, host, port and path (no query, no credentials); set before `end`. */
  url?: string | undefined;
  serverAddress?: string | undefined;
  serverPort?: number | undefined;
  /** The HTTP status of the answer, when one came. */
  status?: number | undefined;
  /** The token, masked, when the answer was one. */
  token?: MaskedToken | undefined;
}

/** `kunci:token.retry` (plain channel). */
export interface TokenRetryMessage extends KunciMessageBase {
  keyHash: string;
  /** The attempt that failed (1 for the first). */
  attempt: number;
  errorCode: AuthErrorCode;
  /** The wait before the next attempt. */
  delayMs: number;
}

/** `kunci:store.read` (`get`) and `kunci:store.write` (`set`, `delete`, `clear`). */
export interface StoreMessage extends KunciMessageBase, TracedOutcome {
  operation: 'get' | 'set' | 'delete' | 'clear';
  /** Absent for `clear`, which names a prefix. */
  keyHash?: string | undefined;
  /** For a read: whether the store held a token for the key. */
  found?: boolean | undefined;
}

/** `kunci:store.lock`: the whole step, the polls for another instance's token included. */
export interface StoreLockMessage extends KunciMessageBase, TracedOutcome {
  keyHash: string;
  /** `acquired`: this instance fetches; `adopted`: another's token was read; `none`: no lock (unavailable, or the wait ran out). */
  outcome?: 'acquired' | 'adopted' | 'none' | undefined;
}

/** `kunci:service.sign`. */
export interface ServiceSignMessage extends KunciMessageBase, TracedOutcome {
  /** The HTTP method, upper-case. */
  method: string;
  /** The host of an absolute URL, or the one the axios interceptor sends a relative one to. */
  serverAddress?: string | undefined;
  /** Whether a customer's token was signed too (B2B2C). */
  customer: boolean;
  keyKind?: KeyKind | undefined;
}

/** The kind of key a signature uses. */
export type KeyKind = 'rsa' | 'hmac';

type KunciTracingChannel<M extends object> = TracingChannel<unknown, M>;

const tokenGetChannel = tracingChannel<unknown, TokenGetMessage>(KUNCI_CHANNELS.tokenGet);
const tokenFetchChannel = tracingChannel<unknown, TokenFetchMessage>(KUNCI_CHANNELS.tokenFetch);
const tokenRetryChannel = channel(KUNCI_CHANNELS.tokenRetry) as Channel<unknown, TokenRetryMessage>;
const storeReadChannel = tracingChannel<unknown, StoreMessage>(KUNCI_CHANNELS.storeRead);
const storeWriteChannel = tracingChannel<unknown, StoreMessage>(KUNCI_CHANNELS.storeWrite);
const storeLockChannel = tracingChannel<unknown, StoreLockMessage>(KUNCI_CHANNELS.storeLock);
const serviceSignChannel = tracingChannel<unknown, ServiceSignMessage>(KUNCI_CHANNELS.serviceSign);

/** Whether anybody listens to a tracing channel (a subscriber on any of its five, or a bound store). */
function listened(traced: KunciTracingChannel<object>): boolean {
  return (
    traced.start.hasSubscribers ||
    traced.end.hasSubscribers ||
    traced.asyncStart.hasSubscribers ||
    traced.asyncEnd.hasSubscribers ||
    traced.error.hasSubscribers
  );
}

/** Ends a message in failure: its duration and error, published on `error`. */
function failed<M extends TracedOutcome & object>(
  traced: KunciTracingChannel<M>,
  message: M,
  error: unknown,
  started: number,
): void {
  message.durationMs = performance.now() - started;
  message.error = error;
  if (isAuthError(error)) message.errorCode = error.code;
  traced.error.publish(message);
}

/**
 * TracingChannel's `tracePromise`, except that the result is not put on the message as it is
 * (a token must not be): `settle` writes what may be said of it.
 */
function traceAsync<M extends TracedOutcome & object, T>(
  traced: KunciTracingChannel<M>,
  message: M,
  run: () => Promise<T>,
  settle?: (message: M, value: T) => void,
): Promise<T> {
  const started = performance.now();
  const finish = (): void => {
    traced.asyncStart.publish(message);
    traced.asyncEnd.publish(message);
  };
  return traced.start.runStores(message, () => {
    try {
      return run().then(
        (value) => {
          message.durationMs = performance.now() - started;
          settle?.(message, value);
          finish();
          return value;
        },
        (error: unknown) => {
          failed(traced, message, error, started);
          finish();
          throw error;
        },
      );
    } catch (error) {
      failed(traced, message, error, started);
      throw error;
    } finally {
      traced.end.publish(message);
    }
  });
}

/** TracingChannel's `traceSync`, the result kept off the message. */
function traceSync<M extends TracedOutcome & object, T>(traced: KunciTracingChannel<M>, message: M, run: () => T): T {
  const started = performance.now();
  return traced.start.runStores(message, () => {
    try {
      const value = run();
      message.durationMs = performance.now() - started;
      return value;
    } catch (error) {
      failed(traced, message, error, started);
      throw error;
    } finally {
      traced.end.publish(message);
    }
  });
}

// One random key per process: a cache key's hash correlates messages without carrying its auth code.
let hashKey: Buffer | undefined;

/** A cache key as messages carry it: 16 hex digits of its HMAC-SHA256 under a per-process random key. */
export function hashCacheKey(key: string): string {
  return createHmac('sha256', (hashKey ??= randomBytes(32)))
    .update(key)
    .digest('hex')
    .slice(0, 16);
}

/** Whose tokens: a `TokenProvider` is one. */
export type DiagnosticsOwner = Pick<KunciMessageBase, 'provider' | 'clientId'>;

function base(owner: DiagnosticsOwner): KunciMessageBase {
  return { provider: owner.provider, clientId: owner.clientId };
}

/**
 * Traces a `getToken()` miss (`kind: 'miss'`, around the caller's wait) or a background refresh
 * (`kind: 'refresh'`, around the flight). `run` gets the message, or undefined when nobody listens:
 * it sets `source = 'store'` when the token it returns was read from the fleet's store.
 */
export function traceTokenGet(
  owner: DiagnosticsOwner,
  key: string,
  customer: boolean,
  kind: TokenGetMessage['kind'],
  run: (message: TokenGetMessage | undefined) => Promise<AccessToken>,
): Promise<AccessToken> {
  if (!listened(tokenGetChannel)) return run(undefined);
  const message: TokenGetMessage = {
    ...base(owner),
    flow: customer ? 'b2b2c' : 'b2b',
    kind,
    keyHash: hashCacheKey(key),
    source: 'network',
  };
  return traceAsync(
    tokenGetChannel,
    message,
    () => run(message),
    (done, token) => (done.token = maskedToken(token)),
  );
}

/**
 * Traces one request to a token endpoint. `run` gets the message, or undefined when nobody listens,
 * and fills in `flow`, the endpoint and `status` as it learns them.
 */
export function traceTokenFetch(
  owner: DiagnosticsOwner,
  attempt: number,
  keyKind: KeyKind | undefined,
  run: (message: TokenFetchMessage | undefined) => Promise<AccessToken>,
): Promise<AccessToken> {
  if (!listened(tokenFetchChannel)) return run(undefined);
  const message: TokenFetchMessage = {
    ...base(owner),
    attempt,
    method: 'POST',
    ...(keyKind !== undefined ? { keyKind } : {}),
  };
  return traceAsync(
    tokenFetchChannel,
    message,
    () => run(message),
    (done, token) => (done.token = maskedToken(token)),
  );
}

/** Fills in a token request's endpoint and flow (no query or credentials can be in a token URL). */
export function describeTokenEndpoint(message: TokenFetchMessage, url: string, flow: unknown): void {
  message.flow = String(flow).toLowerCase();
  try {
    const parsed = new URL(url);
    message.url = `${parsed.origin}${parsed.pathname}`;
    message.serverAddress = parsed.hostname;
    message.serverPort = parsed.port !== '' ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  } catch {
    // An invalid URL fails the request itself (CONFIG_INVALID); the message says nothing of it.
  }
}

/** A failed attempt will be retried after `delayMs`. */
export function publishTokenRetry(
  owner: DiagnosticsOwner,
  key: string,
  attempt: number,
  errorCode: AuthErrorCode,
  delayMs: number,
): void {
  if (!tokenRetryChannel.hasSubscribers) return;
  tokenRetryChannel.publish({ ...base(owner), keyHash: hashCacheKey(key), attempt, errorCode, delayMs });
}

/**
 * Traces one operation of the fleet's store: `get` on `kunci:store.read`; `set`, `delete` and
 * `clear` on `kunci:store.write`; anything else (the lock's own calls) runs untraced.
 */
export function traceStoreOperation<T>(
  owner: DiagnosticsOwner,
  operation: string,
  key: string | undefined,
  run: () => Promise<T>,
): Promise<T> {
  const traced =
    operation === 'get'
      ? storeReadChannel
      : operation === 'set' || operation === 'delete' || operation === 'clear'
        ? storeWriteChannel
        : undefined;
  if (traced === undefined || !listened(traced)) return run();
  const message: StoreMessage = {
    ...base(owner),
    operation: operation as StoreMessage['operation'],
    ...(key !== undefined && operation !== 'clear' ? { keyHash: hashCacheKey(key) } : {}),
  };
  return traceAsync(traced, message, run, (done, value) => {
    if (operation === 'get') done.found = value !== undefined && value !== null;
  });
}

/** Traces the fleet-lock step of a flight; its outcome is read from what the step returns. */
export function traceStoreLock<R extends { token?: unknown; release?: unknown }>(
  owner: DiagnosticsOwner,
  key: string,
  run: () => Promise<R>,
): Promise<R> {
  if (!listened(storeLockChannel)) return run();
  const message: StoreLockMessage = { ...base(owner), keyHash: hashCacheKey(key) };
  return traceAsync(storeLockChannel, message, run, (done, outcome) => {
    done.outcome = outcome.token !== undefined ? 'adopted' : outcome.release !== undefined ? 'acquired' : 'none';
  });
}

// The host of the call being signed, while a caller that signs only its path says it (signingFor).
// Signing is synchronous: no other signature can run in between.
let signingHost: string | undefined;

/**
 * Runs `sign`, a synchronous signature of a call to `serverAddress` whose request names only its
 * path (the axios interceptor's): its `kunci:service.sign` message names the host.
 */
export function signingFor<T>(serverAddress: string | undefined, sign: () => T): T {
  if (serverAddress === undefined || !listened(serviceSignChannel)) return sign();
  signingHost = serverAddress;
  try {
    return sign();
  } finally {
    signingHost = undefined;
  }
}

/** Traces the signature of one service call. */
export function traceServiceSign<T>(
  owner: DiagnosticsOwner,
  request: { method: string; url: string; customerToken?: string | undefined },
  keyKind: KeyKind | undefined,
  run: () => T,
): T {
  if (!listened(serviceSignChannel)) return run();
  // The request is the caller's and not checked yet (signing refuses a bad one): read it warily.
  const { method, url, customerToken } = (request ?? {}) as Partial<typeof request>;
  let serverAddress = signingHost;
  try {
    if (typeof url === 'string' && /^[a-z][a-z\d+\-.]*:\/\//i.test(url)) serverAddress = new URL(url).hostname;
  } catch {
    serverAddress = undefined;
  }
  const message: ServiceSignMessage = {
    ...base(owner),
    method: typeof method === 'string' ? method.toUpperCase() : '',
    customer: customerToken !== undefined,
    ...(serverAddress !== undefined ? { serverAddress } : {}),
    ...(keyKind !== undefined ? { keyKind } : {}),
  };
  return traceSync(serviceSignChannel, message, run);
}
