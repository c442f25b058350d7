import { randomBytes } from 'node:crypto';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { DataPointType, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import axios from 'axios';
import { otherKeyPair } from '#test-kit';
import { attachTokenManager, isAuthError, TokenManager, type AuthError } from '@kunci/core';
import type { Sandbox } from '@kunci/sandbox';
import { createTokenProvider } from '@kunci/sdk';
import { KUNCI_METRICS, KUNCI_SPANS, KunciInstrumentation } from '../src';
import { useContextManager, useSandboxTelemetry } from './telemetry';

useContextManager();

const named = (spans: ReadableSpan[], name: string): ReadableSpan[] => spans.filter((span) => span.name === name);

/** Everything an exporter would send of the spans and metrics, as one text. */
function exported(spans: ReadableSpan[], metrics: unknown): string {
  return JSON.stringify({
    spans: spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      status: span.status,
      events: span.events,
      links: span.links,
      resource: span.resource.attributes,
    })),
    metrics,
  });
}

describe('KunciInstrumentation', () => {
  const fx = useSandboxTelemetry();
  const { manage } = fx;
  const snapConfig = (): ReturnType<Sandbox['config']>['providers']['pivot-snap'] =>
    fx.sandbox.config().providers['pivot-snap'];

  it('is an OpenTelemetry Instrumentation that registerInstrumentations enables', () => {
    const instrumentation: Instrumentation = new KunciInstrumentation({ enabled: false });
    expect(instrumentation.instrumentationName).toBe('@kunci/opentelemetry');
    expect(instrumentation.getConfig()).toEqual({ enabled: false });
  });

  it('a cold fetch: a client span active around the HTTP request, and its duration', async () => {
    const activeDuringRequest: Array<string | undefined> = [];
    const httpClient = axios.create();
    httpClient.interceptors.request.use((config) => {
      activeDuringRequest.push(trace.getActiveSpan()?.spanContext().spanId);
      return config;
    });
    const tokens = manage(new TokenManager(createTokenProvider({ ...snapConfig(), httpClient })));
    await tokens.getToken();

    const [fetch, ...others] = named(fx.telemetry.spans(), KUNCI_SPANS.tokenFetch);
    expect(others).toEqual([]);
    expect(fetch!.kind).toBe(SpanKind.CLIENT);
    expect(fetch!.status.code).toBe(SpanStatusCode.UNSET);
    expect(fetch!.attributes).toEqual({
      'kunci.provider': 'pivot-snap',
      'kunci.flow': 'b2b',
      'kunci.token.source': 'network',
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(fx.sandbox.url).port),
      'url.full': `${fx.sandbox.url}/pivot-snap/open-api/v1/access-token/b2b`,
      'http.response.status_code': 200,
    });
    // The HTTP instrumentation's span starts where the request goes out: under this one.
    expect(activeDuringRequest).toEqual([fetch!.spanContext().spanId]);

    const duration = (await fx.telemetry.metric(KUNCI_METRICS.tokenFetchDuration)) as HistogramMetricData;
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPoints.map((point) => [point.attributes, point.value.count])).toEqual([
      [{ 'kunci.provider': 'pivot-snap', 'kunci.flow': 'b2b', 'http.response.status_code': 200 }, 1],
    ]);
  });

  it('a refusal: the span is an ERROR with the AuthError code as error.type', async () => {
    const tokens = manage(
      new TokenManager(createTokenProvider({ ...snapConfig(), privateKey: otherKeyPair().privateKeyPem })),
    );
    const error = (await tokens.getToken().catch((caught: unknown) => caught)) as AuthError;
    expect(isAuthError(error)).toBe(true);

    const fetches = named(fx.telemetry.spans(), KUNCI_SPANS.tokenFetch);
    expect(fetches).toHaveLength(1);
    expect(fetches[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(fetches[0]!.attributes).toMatchObject({
      'error.type': error.code,
      'http.response.status_code': error.status,
    });
    const duration = (await fx.telemetry.metric(KUNCI_METRICS.tokenFetchDuration)) as HistogramMetricData;
    expect(duration.dataPoints.map((point) => point.attributes['error.type'])).toEqual([error.code]);
  });

  it('a retry: the attempt a caller passes is the resend count', async () => {
    const provider = createTokenProvider(snapConfig());
    await provider.fetchToken(undefined, { attempt: 1 });
    await provider.fetchToken(undefined, { attempt: 3 });
    const counts = named(fx.telemetry.spans(), KUNCI_SPANS.tokenFetch).map(
      (span) => span.attributes['http.request.resend_count'],
    );
    expect(counts).toEqual([undefined, 2]);
  });

  it('a signed call: a span under the caller’s own span', async () => {
    const tokens = manage(new TokenManager(createTokenProvider(snapConfig())));
    const api = axios.create({ baseURL: `${fx.sandbox.url}/pivot-snap` });
    attachTokenManager(api, tokens);
    const tracer = fx.telemetry.tracerProvider.getTracer('checkout');
    const status = await tracer.startActiveSpan('checkout', async (span) => {
      try {
        return (await api.post('/wallet-backend/snap/v1.0/balance-inquiry', { partnerReferenceNo: 'INV-1' })).status;
      } finally {
        span.end();
      }
    });
    expect(status).toBe(200);

    const spans = fx.telemetry.spans();
    const [checkout] = named(spans, 'checkout');
    const [sign, ...more] = named(spans, KUNCI_SPANS.serviceSign);
    expect(more).toEqual([]);
    expect(sign!.parentSpanContext?.spanId).toBe(checkout!.spanContext().spanId);
    // The interceptor signs the path as it goes on the wire; the host is axios's baseURL's.
    expect(sign!.attributes).toEqual({
      'kunci.provider': 'pivot-snap',
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'kunci.customer': false,
    });
  });

  it('no exported span or metric holds a token, a secret, a key or an auth code', async () => {
    const config = snapConfig();
    const authCode = randomBytes(12).toString('hex');
    const tokens = manage(new TokenManager(createTokenProvider(config)));
    const b2b = await tokens.getToken();
    const customer = await tokens.getToken({ authCode });
    const api = axios.create({ baseURL: `${fx.sandbox.url}/pivot-snap` });
    attachTokenManager(api, tokens);
    await api.post(
      '/wallet-backend/snap/v1.0/balance-inquiry',
      { partnerReferenceNo: 'INV-2' },
      { kunci: { authCode } },
    );
    const wrongKey = otherKeyPair().privateKeyPem;
    const wrong = createTokenProvider({ ...config, privateKey: wrongKey });
    await wrong.fetchToken({ authCode }).catch(() => undefined);

    const spans = fx.telemetry.spans();
    expect(named(spans, KUNCI_SPANS.tokenFetch).length).toBeGreaterThanOrEqual(3);
    const text = exported(spans, await fx.telemetry.metrics());
    const keyBody = (pem: string): string[] =>
      pem
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('-----'))
        .map((line) => line.slice(0, 24));
    const secrets = [
      config.clientSecret,
      ...keyBody(config.privateKey),
      ...keyBody(wrongKey),
      b2b.accessToken,
      customer.accessToken,
      customer.refreshToken!,
      authCode,
    ];
    expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
  });

  it('disabled, it makes no span', async () => {
    fx.telemetry.instrumentation.disable();
    await createTokenProvider(snapConfig()).fetchToken();
    expect(fx.telemetry.spans()).toEqual([]);
  });
});
