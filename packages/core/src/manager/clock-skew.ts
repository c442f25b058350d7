/** A `Date` header counts whole seconds: a smaller difference is its rounding, not skew. */
export const SKEW_NOISE_MS = 1_000;

/** The local clock's error against the provider's, measured from its `Date` headers. */
export class ClockSkew {
  /** Added to the local clock for signed timestamps (`FetchOptions.clockOffsetMs`). */
  offsetMs = 0;
  /** The last raw measurement, rounding included, for diagnostics. */
  lastMeasuredMs: number | undefined;

  record(serverDate: Date, receivedAt: number): void {
    const measured = serverDate.getTime() - receivedAt;
    if (!Number.isFinite(measured)) return;
    this.lastMeasuredMs = measured;
    this.offsetMs = Math.abs(measured) > SKEW_NOISE_MS ? measured : 0;
  }
}
