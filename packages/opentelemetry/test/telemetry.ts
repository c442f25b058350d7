import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import {
  InMemorySpanExporter,
  BasicTracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { MeterProvider, MetricReader, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { testKeyPair } from '#test-kit';
import type { TokenManager, TokenProvider } from '@kunci/core';
import { startSandbox, type Sandbox } from '@kunci/sandbox';
import { KunciInstrumentation } from '../src';

/** A reader collected on demand: the metrics as an exporter would get them at that moment. */
class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface Telemetry {
  instrumentation: KunciInstrumentation;
  tracerProvider: BasicTracerProvider;
  /** The spans ended so far, in the in-memory exporter. */
  spans(): ReadableSpan[];
  /** One collection of every metric. */
  metrics(): Promise<ResourceMetrics>;
  metric(name: string): Promise<MetricData | undefined>;
  stop(): Promise<void>;
}

/** OpenTelemetry's context manager, as the Node SDK registers it; once per test file. */
export function useContextManager(): void {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => {
    context.disable();
  });
}

/** A tracer provider with an in-memory exporter, a meter provider, and the instrumentation registered on both. */
export function startTelemetry(): Telemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = new KunciInstrumentation();
  const unregister = registerInstrumentations({ instrumentations: [instrumentation], tracerProvider, meterProvider });
  const metrics = async (): Promise<ResourceMetrics> => {
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    return resourceMetrics;
  };
  return {
    instrumentation,
    tracerProvider,
    spans: () => exporter.getFinishedSpans(),
    metrics,
    metric: async (name) =>
      (await metrics()).scopeMetrics.flatMap((scope) => scope.metrics).find((item) => item.descriptor.name === name),
    stop: async () => {
      unregister();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

export interface SandboxTelemetry {
  readonly sandbox: Sandbox;
  readonly telemetry: Telemetry;
  /** A manager closed after the test. */
  manage: (manager: TokenManager) => TokenManager;
}

/**
 * A fresh sandbox and telemetry for each test; the managers a test made are closed after it. The
 * sandbox's clients sign with the test kit's key (`otherKeyPair()` is a key it refuses).
 */
export function useSandboxTelemetry(): SandboxTelemetry {
  let sandbox: Sandbox | undefined;
  let telemetry: Telemetry | undefined;
  const managers: TokenManager[] = [];
  beforeEach(async () => {
    sandbox = await startSandbox({ privateKey: testKeyPair().privateKeyPem });
    telemetry = startTelemetry();
  });
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
    await telemetry?.stop();
    await sandbox?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('used outside a test');
    return value;
  };
  return {
    get sandbox() {
      return started(sandbox);
    },
    get telemetry() {
      return started(telemetry);
    },
    manage: (manager) => {
      managers.push(manager);
      return manager;
    },
  };
}

/** `real`, whose token requests say they started, then wait for `gate`: an instance that holds the fleet lock. */
export function gatedProvider(real: TokenProvider, gate: Promise<void>, started?: () => void): TokenProvider {
  return {
    provider: real.provider,
    clientId: real.clientId,
    supportsCustomerTokens: real.supportsCustomerTokens,
    fetchToken: async (request, options) => {
      started?.();
      await gate;
      return real.fetchToken(request, options);
    },
  };
}
