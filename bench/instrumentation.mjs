import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TokenManager } from '@kunci/core';
import { KunciInstrumentation } from '@kunci/opentelemetry';
import { cachedReadFloor } from './cached-get-token.mjs';
import { awaitedLoop, rotate } from './lib/stats.mjs';
import { fakeProvider } from './lib/tokens.mjs';

const CALLS = 200_000;
const WARM_UP_ROUNDS = 5;

/** Collected on demand: no timer exports while the loops run. */
class CollectingReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

/**
 * A cache hit, `await tokens.getToken()`, with `KunciInstrumentation` registered (an SDK tracer
 * and meter provider, OpenTelemetry's context manager) and without it, against the same floor as
 * the cached-read bench (an awaited async function that does one Map.get and one expiry check).
 * The instrumentation is enabled for its turn only: diagnostics subscriptions are process-wide.
 * A cached read must make no span, and its hit is counted by the manager and read at export time:
 * the run checks both (no span ended during the cached loops; the hits are in the collection).
 */
export async function benchInstrumentation({ samples }) {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = new KunciInstrumentation({ enabled: false });
  const unregister = registerInstrumentations({ instrumentations: [instrumentation], tracerProvider, meterProvider });
  instrumentation.disable();

  const provider = fakeProvider();
  const manager = new TokenManager(provider);
  const token = await manager.getToken();
  const lookup = cachedReadFloor(provider, token);
  const get = () => manager.getToken();
  const loops = {
    baseline: awaitedLoop(lookup, CALLS),
    without: awaitedLoop(get, CALLS),
    with: awaitedLoop(get, CALLS),
  };
  const checked = (name, loop) => async () => {
    const { ns, last } = await loop();
    if (last !== token) throw new Error(`${name} served another token: the run was not all cache hits`);
    return ns;
  };
  const runs = {
    baseline: checked('baseline', loops.baseline),
    'without instrumentation': checked('without', loops.without),
    'with instrumentation': async () => {
      instrumentation.enable();
      try {
        return await checked('with', loops.with)();
      } finally {
        instrumentation.disable();
      }
    },
  };
  // The hits collected so far: the totals are the process's, and count earlier benches' managers too.
  const collectedHits = async () => {
    instrumentation.enable();
    try {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((metric) => metric.descriptor.name === 'kunci.token.cache.hits')
        ?.dataPoints.reduce((sum, point) => sum + point.value, 0);
    } finally {
      instrumentation.disable();
    }
  };
  try {
    const hitsBefore = (await collectedHits()) ?? 0;
    for (let i = 0; i < WARM_UP_ROUNDS; i++) for (const run of Object.values(runs)) await run();
    const spansBefore = exporter.getFinishedSpans().length;
    const results = await rotate(samples, runs, 'baseline');
    const spansDuringCachedRuns = exporter.getFinishedSpans().length - spansBefore;
    if (provider.calls !== 1) throw new Error(`expected one provider call, saw ${provider.calls}`);
    const hits = ((await collectedHits()) ?? 0) - hitsBefore;
    // Every cached call of the two manager loops (warm-up rounds included) is one hit.
    const expectedHits = (WARM_UP_ROUNDS + samples) * 2 * CALLS;
    if (hits !== expectedHits) throw new Error(`expected ${expectedHits} hits collected, saw ${hits}`);
    if (spansDuringCachedRuns !== 0) throw new Error(`cached reads made ${spansDuringCachedRuns} span(s)`);
    return {
      calls: CALLS,
      samples,
      results,
      spansDuringCachedRuns,
      hitsCollected: hits,
    };
  } finally {
    unregister();
    await manager.close();
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    context.disable();
  }
}
