interface Failure {
  count: number;
  nextAt: number;
}

/**
 * Paces background refreshes of one key after failures, so that every cache hit on a due token
 * does not become a call to a provider that is down: at most one attempt per (doubling) interval.
 */
export class RefreshBackoff {
  private readonly failures = new Map<string, Failure>();

  constructor(
    private readonly baseDelayMs: number,
    private readonly maxDelayMs: number,
    private readonly maxKeys: number,
  ) {}

  allows(key: string, now: number): boolean {
    const failure = this.failures.get(key);
    return failure === undefined || now >= failure.nextAt;
  }

  /** Records a failure; returns the wait before the next background attempt. */
  failed(key: string, now: number): number {
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    const wait = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (count - 1));
    this.failures.delete(key);
    this.failures.set(key, { count, nextAt: now + wait });
    // Bounded like the token cache: with a provider down, every customer's key could land here.
    if (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next();
      if (oldest.done !== true) this.failures.delete(oldest.value);
    }
    return wait;
  }

  reset(key?: string): void {
    if (key === undefined) this.failures.clear();
    else this.failures.delete(key);
  }
}
