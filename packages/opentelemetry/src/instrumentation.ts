import type { AsyncLocalStorage } from 'node:async_hooks';
import { channel, tracingChannel, type Channel, type TracingChannel } from 'node:diagnostics_channel';
import {
  context,
  metrics,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type BatchObservableCallback,
  type Context,
  type Histogram,
  type Meter,
  type MeterProvider,
  type Observable,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import {
  KUNCI_CHANNELS,
  tokenCounterTotals,
  type TokenCounterName,
  type TokenFetchMessage,
  type TokenRetryMessage,
  type TracedOutcome,
} from '@kunci/core';
import { otelContextStorage } from './context-binding';
import { KUNCI_ATTRIBUTES as A, KUNCI_METRICS } from './names';
import { errorDescription, errorType, HTTP, SPAN_MAPPINGS, type SpanMapping } from './spans';

export const INSTRUMENTATION_NAME = '@kunci/opentelemetry';
export const INSTRUMENTATION_VERSION = '0.1.0';

/** Options of `KunciInstrumentation`; `registerInstrumentations` enables one whose `enabled` is not false. */
export interface KunciInstrumentationConfig {
  /** Default true: subscribe at once. */
  enabled?: boolean;
}

type Message = TracedOutcome & object;

interface Binding {
  mapping: SpanMapping<Message>;
  traced: TracingChannel<Context, Message>;
  handlers: {
    start(message: Message): void;
    end(message: Message): void;
    asyncStart(message: Message): void;
    asyncEnd(message: Message): void;
    error(message: Message): void;
  };
}

/** The observable counters: which of kunci's counters, and the attributes of each count. */
const OBSERVED: ReadonlyArray<{
  metric: string;
  description: string;
  unit: string;
  counts: ReadonlyArray<{ counter: TokenCounterName; attributes?: Attributes }>;
}> = [
  {
    metric: KUNCI_METRICS.cacheHits,
    description: 'getToken() calls answered from the memory or the fleet store',
    unit: '{hit}',
    counts: [
      { counter: 'memoryHits', attributes: { [A.tokenSource]: 'memory' } },
      { counter: 'storeHits', attributes: { [A.tokenSource]: 'store' } },
    ],
  },
  {
    metric: KUNCI_METRICS.cacheMisses,
    description: 'getToken() calls that found no usable token in memory',
    unit: '{miss}',
    counts: [{ counter: 'misses' }],
  },
  {
    metric: KUNCI_METRICS.servedStale,
    description: 'cache hits answered with a token past its refresh point',
    unit: '{hit}',
    counts: [{ counter: 'servedStale' }],
  },
  {
    metric: KUNCI_METRICS.refreshFailures,
    description: 'background token refreshes that failed',
    unit: '{refresh}',
    counts: [{ counter: 'refreshFailures' }],
  },
  {
    metric: KUNCI_METRICS.storeErrors,
    description: 'fleet store operations that failed or timed out',
    unit: '{error}',
    counts: [{ counter: 'storeErrors' }],
  },
  {
    metric: KUNCI_METRICS.lockWaits,
    description: 'token fetches that waited for the fleet lock held by another instance',
    unit: '{wait}',
    counts: [{ counter: 'lockWaits' }],
  },
];

interface Instruments {
  meter: Meter;
  fetchDuration: Histogram;
  observables: Array<{ observable: Observable; counts: (typeof OBSERVED)[number]['counts'] }>;
  callback: BatchObservableCallback;
}

/**
 * kunci's spans and metrics for OpenTelemetry, from the diagnostics channels `@kunci/core`
 * publishes on and the counters every `TokenManager` keeps. An OpenTelemetry `Instrumentation`:
 * pass it to `registerInstrumentations` (or the Node SDK's `instrumentations`). A cached
 * `getToken()` makes no span; its hit is counted by the manager and read at export time.
 */
export class KunciInstrumentation {
  readonly instrumentationName = INSTRUMENTATION_NAME;
  readonly instrumentationVersion = INSTRUMENTATION_VERSION;
  private config: KunciInstrumentationConfig;
  private tracer: Tracer;
  private instruments: Instruments;
  private enabled = false;
  private readonly spans = new WeakMap<object, Span>();
  private readonly bindings: Binding[];
  private readonly retries: Channel<unknown, TokenRetryMessage>;
  private readonly onRetry = (message: unknown): void => this.retried(message as TokenRetryMessage);
  /** OpenTelemetry's context storage, once found: spans are made active in it. */
  private storage: AsyncLocalStorage<Context> | undefined;

  constructor(config: KunciInstrumentationConfig = {}) {
    this.config = { ...config };
    this.tracer = trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
    this.instruments = this.createInstruments(metrics.getMeter(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION));
    this.retries = channel(KUNCI_CHANNELS.tokenRetry) as Channel<unknown, TokenRetryMessage>;
    this.bindings = SPAN_MAPPINGS.map((mapping) => ({
      mapping,
      traced: tracingChannel<Context, Message>(mapping.channel),
      handlers: {
        start: (message) => {
          this.bindStorage();
          this.spanFor(mapping, message, context.active());
        },
        end: (message) => {
          const span = this.spans.get(message);
          if (span === undefined) return;
          span.setAttributes(mapping.describe(message));
          // A synchronous call ends here, and so does an asynchronous one that threw before its promise.
          if (mapping.sync || message.error !== undefined) this.finish(mapping, message, span);
        },
        asyncStart: () => undefined,
        asyncEnd: (message) => {
          const span = this.spans.get(message);
          if (span !== undefined) this.finish(mapping, message, span);
        },
        error: () => undefined,
      },
    }));
    if (config.enabled !== false) this.enable();
  }

  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    this.observeCounters(true);
    for (const binding of this.bindings) binding.traced.subscribe(binding.handlers);
    this.retries.subscribe(this.onRetry);
    this.bindStorage();
  }

  disable(): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.observeCounters(false);
    for (const binding of this.bindings) {
      binding.traced.unsubscribe(binding.handlers);
      if (this.storage !== undefined) binding.traced.start.unbindStore(this.storage);
    }
    this.retries.unsubscribe(this.onRetry);
    this.storage = undefined;
  }

  setTracerProvider(provider: TracerProvider): void {
    this.tracer = provider.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
  }

  setMeterProvider(provider: MeterProvider): void {
    const enabled = this.enabled;
    if (enabled) this.observeCounters(false);
    this.instruments = this.createInstruments(provider.getMeter(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION));
    if (enabled) this.observeCounters(true);
  }

  setConfig(config: KunciInstrumentationConfig): void {
    this.config = { ...config };
  }

  getConfig(): KunciInstrumentationConfig {
    return this.config;
  }

  /** Starts or stops reading kunci's counters at each collection. */
  private observeCounters(on: boolean): void {
    const { meter, callback, observables } = this.instruments;
    const list = observables.map((item) => item.observable);
    if (on) meter.addBatchObservableCallback(callback, list);
    else meter.removeBatchObservableCallback(callback, list);
  }

  /** Binds the spans to OpenTelemetry's context storage once a context manager that has one is registered. */
  private bindStorage(): void {
    if (this.storage !== undefined || !this.enabled) return;
    const storage = otelContextStorage();
    if (storage === undefined) return;
    this.storage = storage;
    for (const binding of this.bindings) {
      const { mapping } = binding;
      binding.traced.start.bindStore(storage, (message) => {
        const parent = context.active();
        return trace.setSpan(parent, this.spanFor(mapping, message, parent));
      });
    }
  }

  private spanFor(mapping: SpanMapping<Message>, message: Message, parent: Context): Span {
    let span = this.spans.get(message);
    if (span === undefined) {
      const { name, options, root } = mapping.start(message, parent);
      span = this.tracer.startSpan(name, options, root === true ? ROOT_CONTEXT : parent);
      this.spans.set(message, span);
    }
    return span;
  }

  private finish(mapping: SpanMapping<Message>, message: Message, span: Span): void {
    this.spans.delete(message);
    span.setAttributes(mapping.describe(message));
    const type = errorType(message);
    if (type !== undefined) {
      span.setAttribute(HTTP.errorType, type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorDescription(message) });
    }
    span.end();
    if (mapping.channel === KUNCI_CHANNELS.tokenFetch) this.recordFetch(message as TokenFetchMessage, type);
  }

  private recordFetch(message: TokenFetchMessage, type: string | undefined): void {
    if (message.durationMs === undefined) return;
    const attributes: Attributes = { [A.provider]: message.provider };
    if (message.flow !== undefined) attributes[A.flow] = message.flow;
    if (message.status !== undefined) attributes[HTTP.statusCode] = message.status;
    if (type !== undefined) attributes[HTTP.errorType] = type;
    this.instruments.fetchDuration.record(message.durationMs / 1000, attributes);
  }

  private retried(message: TokenRetryMessage): void {
    trace.getActiveSpan()?.addEvent('kunci.retry', {
      [A.provider]: message.provider,
      'kunci.attempt': message.attempt,
      [HTTP.errorType]: message.errorCode,
      'kunci.retry.delay_ms': message.delayMs,
    });
  }

  private createInstruments(meter: Meter): Instruments {
    const fetchDuration = meter.createHistogram(KUNCI_METRICS.tokenFetchDuration, {
      description: 'Duration of one request to a token endpoint',
      unit: 's',
    });
    const observables = OBSERVED.map((item) => ({
      observable: meter.createObservableCounter(item.metric, { description: item.description, unit: item.unit }),
      counts: item.counts,
    }));
    const callback: BatchObservableCallback = (result) => {
      for (const [provider, values] of tokenCounterTotals()) {
        for (const { observable, counts } of observables) {
          for (const { counter, attributes } of counts) {
            result.observe(observable, values[counter], { [A.provider]: provider, ...attributes });
          }
        }
      }
    };
    return { meter, fetchDuration, observables, callback };
  }
}
