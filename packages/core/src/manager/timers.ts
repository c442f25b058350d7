/** Resolves after `ms`, or rejects with the signal's reason; never keeps the process alive. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    if (ms <= 0) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref?.();
    signal.addEventListener('abort', onAbort, { once: true });
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
    const onAbort = (): void => reject(abortError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Like `promise`, but rejects with `timeoutError()` after `ms`; the timer is cleared either way. */
export function withTimeout<T>(promise: Promise<T>, ms: number, signal: AbortSignal, timeoutError: () => Error): Promise<T> {
  if (signal.aborted) return raceSignal(promise, signal);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(timeoutError()), ms);
  timer.unref?.();
  return raceSignal(promise, controller.signal).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  });
}
