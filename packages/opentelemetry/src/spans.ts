import { SpanKind, trace, type Attributes, type Context, type Span, type SpanOptions } from '@opentelemetry/api';
import {
  KUNCI_CHANNELS,
  type ServiceSignMessage,
  type StoreLockMessage,
  type StoreMessage,
  type TokenFetchMessage,
  type TokenGetMessage,
  type TracedOutcome,
} from '@kunci/core';
import { KUNCI_ATTRIBUTES as A, KUNCI_SPANS } from './names';

/** How one tracing channel's messages become a span. */
export interface SpanMapping<M extends TracedOutcome> {
  channel: string;
  /** A synchronous call: the span ends with `end`. */
  sync: boolean;
  /** The span to start, under `parent` (the active context when the work started). */
  start(message: M, parent: Context): { name: string; options: SpanOptions; root?: boolean };
  /** What the message says once the work is under way (`end` of the synchronous part) or over. */
  describe(message: M): Attributes;
}

// The HTTP client semantic conventions' attribute names (stable).
export const HTTP = Object.freeze({
  method: 'http.request.method',
  resendCount: 'http.request.resend_count',
  statusCode: 'http.response.status_code',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  urlFull: 'url.full',
  errorType: 'error.type',
});

function defined(attributes: Record<string, string | number | boolean | undefined>): Attributes {
  const out: Attributes = {};
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) out[name] = value;
  return out;
}

const tokenGet: SpanMapping<TokenGetMessage> = {
  channel: KUNCI_CHANNELS.tokenGet,
  sync: false,
  start(message, parent) {
    const attributes = defined({ [A.provider]: message.provider, [A.flow]: message.flow });
    if (message.kind === 'refresh') {
      // Nobody waits for a background refresh: its own trace, linked to the call that started it.
      const started = trace.getSpanContext(parent);
      return {
        name: KUNCI_SPANS.tokenRefresh,
        root: true,
        options: { kind: SpanKind.INTERNAL, attributes, ...(started ? { links: [{ context: started }] } : {}) },
      };
    }
    return { name: KUNCI_SPANS.tokenGet, options: { kind: SpanKind.INTERNAL, attributes } };
  },
  describe: (message) => ({ [A.tokenSource]: message.source }),
};

const tokenFetch: SpanMapping<TokenFetchMessage> = {
  channel: KUNCI_CHANNELS.tokenFetch,
  sync: false,
  start: (message) => ({
    name: KUNCI_SPANS.tokenFetch,
    options: {
      kind: SpanKind.CLIENT,
      attributes: defined({
        [A.provider]: message.provider,
        [A.tokenSource]: 'network',
        [HTTP.method]: message.method,
        [HTTP.resendCount]: message.attempt > 1 ? message.attempt - 1 : undefined,
        [A.keyKind]: message.keyKind,
      }),
    },
  }),
  describe: (message) =>
    defined({
      [A.flow]: message.flow,
      [HTTP.serverAddress]: message.serverAddress,
      [HTTP.serverPort]: message.serverPort,
      [HTTP.urlFull]: message.url,
      [HTTP.statusCode]: message.status,
    }),
};

function storeMapping(channel: string, name: string): SpanMapping<StoreMessage> {
  return {
    channel,
    sync: false,
    start: (message) => ({
      name,
      options: {
        kind: SpanKind.CLIENT,
        attributes: { [A.provider]: message.provider, [A.storeOperation]: message.operation },
      },
    }),
    describe: (message) => defined({ [A.storeFound]: message.found }),
  };
}

const storeLock: SpanMapping<StoreLockMessage> = {
  channel: KUNCI_CHANNELS.storeLock,
  sync: false,
  start: (message) => ({
    name: KUNCI_SPANS.storeLock,
    options: { kind: SpanKind.INTERNAL, attributes: { [A.provider]: message.provider } },
  }),
  describe: (message) => defined({ [A.lockOutcome]: message.outcome }),
};

const serviceSign: SpanMapping<ServiceSignMessage> = {
  channel: KUNCI_CHANNELS.serviceSign,
  sync: true,
  start: (message) => ({
    name: KUNCI_SPANS.serviceSign,
    options: {
      kind: SpanKind.INTERNAL,
      attributes: defined({
        [A.provider]: message.provider,
        [HTTP.method]: message.method === '' ? undefined : message.method,
        [HTTP.serverAddress]: message.serverAddress,
        [A.customer]: message.customer,
        [A.keyKind]: message.keyKind,
      }),
    },
  }),
  describe: () => ({}),
};

/**
 * Every tracing channel kunci publishes on, and its span. Each mapping reads its own channel's
 * messages: the list holds them as mappings of any message.
 */
const mappings: ReadonlyArray<SpanMapping<never>> = [
  tokenGet,
  tokenFetch,
  storeMapping(KUNCI_CHANNELS.storeRead, KUNCI_SPANS.storeRead),
  storeMapping(KUNCI_CHANNELS.storeWrite, KUNCI_SPANS.storeWrite),
  storeLock,
  serviceSign,
];
export const SPAN_MAPPINGS = mappings as ReadonlyArray<SpanMapping<TracedOutcome & object>>;

/** `error.type`: kunci's error code, else the error's class name. */
export function errorType(message: TracedOutcome): string | undefined {
  if (message.error === undefined) return undefined;
  if (message.errorCode !== undefined) return message.errorCode;
  return message.error instanceof Error ? message.error.name : '_OTHER';
}

/** What a span's status may say of an error: kunci's messages are scrubbed of secrets; others are not shown. */
export function errorDescription(message: TracedOutcome): string {
  const { error } = message;
  if (message.errorCode !== undefined && error instanceof Error) return error.message;
  return errorType(message) ?? '';
}

export type { Span };
