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

/**
 * Several subjects measured in turns: every sample runs each once, the order rotated from one
 * sample to the next (so no subject always runs first, or always right after the same one). Per
 * subject: every value, the median, and the median of its per-sample ratios to `baseline`.
 */
export async function rotate(samples, subjects, baseline) {
  const names = Object.keys(subjects);
  const values = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < samples; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      values[name].push(await subjects[name]());
    }
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        median: median(values[name]),
        ratio: median(values[name].map((value, i) => value / values[baseline][i])),
        values: values[name],
      },
    ]),
  );
}

/**
 * An awaited loop of `calls` calls of `get`, ns per call. Each loop is compiled from its own source
 * text, so that each subject's call site sees one target, as in an application (one shared loop
 * taking a function would see them all and measure the megamorphic call instead).
 */
export function awaitedLoop(get, calls) {
  return new Function(
    'get',
    'calls',
    'nowNs',
    `return async function run() {
      let last;
      const started = nowNs();
      for (let i = 0; i < calls; i++) last = await get();
      return { ns: (nowNs() - started) / calls, last };
    };`,
  )(get, calls, nowNs);
}

/** Like `awaitedLoop` for a synchronous `call`: ns per call, and the last result. */
export function syncLoop(call, calls) {
  return new Function(
    'call',
    'calls',
    'nowNs',
    `return function run() {
      let last;
      const started = nowNs();
      for (let i = 0; i < calls; i++) last = call();
      return { ns: (nowNs() - started) / calls, last };
    };`,
  )(call, calls, nowNs);
}
