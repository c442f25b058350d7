/** The middle value (the mean of the two middle ones for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `samples` pairs of (subject, baseline) measurements, swapping which goes first on every
 * pair so that drift (a warming JIT, a CPU changing clock, GC debt from the previous run) falls on
 * both sides equally. Returns every sample, the median of each side, and the median of the
 * per-pair ratios (each pair ran back to back, so its ratio carries the least drift).
 */
export async function alternate(samples, subject, baseline) {
  const subjectValues = [];
  const baselineValues = [];
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      subjectValues.push(await subject());
      baselineValues.push(await baseline());
    } else {
      baselineValues.push(await baseline());
      subjectValues.push(await subject());
    }
  }
  const ratio = median(subjectValues.map((value, i) => value / baselineValues[i]));
  return { subject: median(subjectValues), baseline: median(baselineValues), ratio, subjectValues, baselineValues };
}

/** Nanoseconds since an arbitrary origin, as a number (precise to well under a microsecond here). */
export function nowNs() {
  return Number(process.hrtime.bigint());
}
