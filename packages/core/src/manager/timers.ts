import { onAbort } from '../abort';

/**
 * Whether anyone waits on a piece of work. While someone does, its timers hold the process: a
 * script that awaits a token must not end during a retry wait. Work nobody awaits (a background
 * refresh) lets the process exit, until a caller joins it.
 */
export class Keepalive {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private awaited: boolean) {}

  /** A caller waits from now on: every timer of this work, running or to come, holds the process. */
  hold(): void {
    if (this.awaited) return;
    this.awaited = true;
    for (const timer of this.timers) timer.ref();
  }

  /** `setTimeout` under this policy; returns the function that clears the timer. */
  start(callback: () => void, ms: number): () => void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, ms);
    if (!this.awaited) timer.unref();
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }
}

/* eslint-disable @typescript-eslint/prefer-promise-reject-errors -- they reject with the caller's abort reason (compared by identity) or forward a rejection unchanged */

/** Resolves after `ms`, or rejects with the signal's reason. It holds the process while awaited. */
export function delay(ms: number, signal: AbortSignal, keepalive: Keepalive = new Keepalive(true)): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    if (ms <= 0) return resolve();
    const stop = keepalive.start(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = onAbort(signal, (reason) => {
      stop();
      reject(reason);
    });
  });
}

/**
 * Settles like `promise`, or rejects as soon as `signal` aborts, with `abortError(reason)`. The
 * promise keeps running for whoever else waits on it; it is not cancelled.
 */
export function raceSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  abortError: (reason: unknown) => unknown = (reason) => reason,
): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = onAbort(signal, (reason) => reject(abortError(reason)));
    promise.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}
/* eslint-enable @typescript-eslint/prefer-promise-reject-errors */

/** Like `promise`, but rejects with `timeoutError()` after `ms`; the timer is cleared either way. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  signal: AbortSignal,
  timeoutError: () => Error,
): Promise<T> {
  if (signal.aborted) return raceSignal(promise, signal);
  const controller = new AbortController();
  const unsubscribe = onAbort(signal, (reason) => controller.abort(reason));
  const stop = new Keepalive(true).start(() => controller.abort(timeoutError()), ms);
  return raceSignal(promise, controller.signal).finally(() => {
    stop();
    unsubscribe();
  });
}
