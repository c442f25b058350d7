import { Keepalive } from './timers';

/** One fetch for one key, however many callers wait for it. */
export interface Flight {
  readonly key: string;
  /** Started by a background refresh: nobody waited for it when it began. */
  readonly background: boolean;
  /** Aborted at the flight's deadline, or by `close()`. */
  readonly signal: AbortSignal;
  /** When the flight times out, on the manager's clock: no retry waits past it. */
  readonly deadline: number;
  /** Whether a caller waits on the flight: then its timers hold the process. */
  readonly keepalive: Keepalive;
}

interface Pending<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  readonly keepalive: Keepalive;
}

/**
 * Single flight: one request per key however many callers wait for it, with its own deadline, so
 * that no caller's impatience fails the others. The entry is removed when the flight settles: a
 * rejection is never cached.
 */
export class Flights<T> {
  private readonly pending = new Map<string, Pending<T>>();

  constructor(
    private readonly timeoutMs: number,
    private readonly timeoutError: () => Error,
    private readonly clock: () => number,
  ) {}

  has(key: string): boolean {
    return this.pending.has(key);
  }

  /** The flight in progress for `key`, if any, now awaited by one more caller. */
  join(key: string): Promise<T> | undefined {
    const flight = this.pending.get(key);
    flight?.keepalive.hold();
    return flight?.promise;
  }

  /** A flight a caller awaits holds the process until it settles; a background one does not. */
  start(key: string, background: boolean, run: (flight: Flight) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const keepalive = new Keepalive(!background);
    const stop = keepalive.start(() => controller.abort(this.timeoutError()), this.timeoutMs);
    const deadline = this.clock() + this.timeoutMs;
    const promise = run({ key, background, signal: controller.signal, deadline, keepalive }).finally(() => {
      stop();
      if (this.pending.get(key)?.promise === promise) this.pending.delete(key);
    });
    // Callers wait on promises derived from this one; with all of them gone (aborted), its
    // rejection would otherwise be reported as unhandled.
    promise.catch(() => undefined);
    this.pending.set(key, { promise, controller, keepalive });
    return promise;
  }

  /** Aborts every flight in progress (the provider sees its `FetchOptions.signal` abort). */
  async abortAll(reason: Error): Promise<void> {
    const flights = [...this.pending.values()];
    for (const flight of flights) flight.controller.abort(reason);
    await Promise.allSettled(flights.map((flight) => flight.promise));
  }
}
