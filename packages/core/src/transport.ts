import axios, { type AxiosInstance, type AxiosProxyConfig } from 'axios';
import { onAbort } from './abort';
import { AuthError } from './errors';
import { lowerHeaders, parseJsonText } from './plain';

/** An answer as it came, whatever its status: the normalizer decides what it means. */
export interface RawResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  text: string;
  /** The parsed body when it is JSON; undefined otherwise. */
  json: unknown;
  receivedAt: Date;
  serverDate?: Date | undefined;
  retryAfterMs?: number | undefined;
  /** Values that must not survive into anything kept of this answer (an error's cause or message). */
  secrets?: readonly string[] | undefined;
}

export interface PostJsonOptions {
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  maxResponseBytes: number;
  httpClient?: AxiosInstance | undefined;
  /**
   * The proxy for this request, or `false` for none; left out, the client's own setting decides
   * (axios: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`, an https target tunnelled with CONNECT).
   */
  proxy?: AxiosProxyConfig | false | undefined;
  signal?: AbortSignal | undefined;
  clock: () => number;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ERR_NETWORK',
  'ECONNABORTED_SOCKET',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

let defaultClient: AxiosInstance | undefined;
function client(custom: AxiosInstance | undefined): AxiosInstance {
  return custom ?? (defaultClient ??= axios.create());
}

// RFC 9110's IMF-fixdate, and the obsolete RFC 850 and asctime forms it still asks recipients to read.
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const HTTP_DATE = [
  new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?<day>\\d{2}) ${MONTH} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$`),
  new RegExp(
    `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (?<day>\\d{2})-${MONTH}-\\d{2} \\d{2}:\\d{2}:\\d{2} GMT$`,
  ),
  new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} (?<day>[ \\d]\\d) \\d{2}:\\d{2}:\\d{2} \\d{4}$`),
];

function parseHttpDate(text: string): number | undefined {
  for (const pattern of HTTP_DATE) {
    const day = pattern.exec(text)?.groups?.day;
    if (day === undefined) continue;
    // asctime carries no zone, and Date.parse would read it as local time.
    const date = Date.parse(text.endsWith('GMT') ? text : `${text} GMT`);
    // Date.parse rolls 31 Feb over into March; such a header is broken, not a date.
    return Number.isNaN(date) || new Date(date).getUTCDate() !== Number(day) ? undefined : date;
  }
  return undefined;
}

/** Past this, a Retry-After is not a wait but a broken header (a day). */
const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * Non-negative whole seconds or an HTTP date, as RFC 9110 defines it; anything else (a negative
 * or fractional number, an ISO date, a bare year) is ignored rather than guessed at.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Math.min(Number(trimmed), MAX_RETRY_AFTER_SECONDS) * 1000;
  const date = parseHttpDate(trimmed);
  return date === undefined ? undefined : Math.min(Math.max(0, date - nowMs), MAX_RETRY_AFTER_SECONDS * 1000);
}

function describeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}

/** A string or number field of an error as text; '' for anything else. */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function transportError(
  error: unknown,
  options: PostJsonOptions,
  timedOut: boolean,
  callerAborted: boolean,
): AuthError {
  const { provider } = options;
  const host = describeHost(options.url);
  const code = scalarText((error as { code?: unknown }).code);
  const message = scalarText((error as { message?: unknown }).message);
  if (callerAborted) {
    return new AuthError(
      'TIMEOUT',
      `${provider}: the token request to ${host} was abandoned by the caller (AbortSignal).`,
      { provider, cause: error },
    );
  }
  if (timedOut || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new AuthError(
      'TIMEOUT',
      `${provider}: no answer from ${host} within ${options.timeoutMs} ms (timeoutMs); the request may be retried.`,
      { provider, cause: error },
    );
  }
  if (/maxContentLength|maxBodyLength/i.test(message)) {
    return new AuthError(
      'RESPONSE_INVALID',
      `${provider}: the answer from ${host} is larger than ${options.maxResponseBytes} bytes (maxResponseBytes), so it is not a token response.`,
      { provider, cause: error },
    );
  }
  if (code === 'ERR_INVALID_URL') {
    return new AuthError(
      'CONFIG_INVALID',
      `${provider}: the token URL is not valid; check baseUrl and the path options.`,
      { provider, cause: error },
    );
  }
  const what = NETWORK_CODES.has(code) || code !== '' ? code : 'a network error';
  return new AuthError(
    'NETWORK',
    `${provider}: could not reach ${host} (${what}); check baseUrl, DNS and the network path.`,
    { provider, cause: error },
  );
}

/** An answer as the normalizer reads it: `headers` with lower-case names, `text` the body as received. */
export function rawResponse(
  status: number,
  headers: Record<string, string>,
  text: string,
  receivedAt: Date,
): RawResponse {
  const serverDateMs = headers.date !== undefined ? Date.parse(headers.date) : Number.NaN;
  const retryAfterMs = parseRetryAfter(headers['retry-after'], receivedAt.getTime());
  return {
    status,
    headers,
    text,
    json: parseJsonText(text),
    receivedAt,
    ...(Number.isNaN(serverDateMs) ? {} : { serverDate: new Date(serverDateMs) }),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/**
 * POSTs JSON and returns the answer whatever its status. Redirects are not followed (a token
 * request must not be replayed elsewhere with its credentials). The timeout covers the whole
 * exchange, not only socket idleness, so a server that trickles bytes cannot hold a caller.
 */
export async function postJson(options: PostJsonOptions): Promise<RawResponse> {
  const controller = new AbortController();
  let timedOut = false;
  let callerAborted = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onCallerAbort = (): void => {
    callerAborted = true;
    controller.abort();
  };
  let unsubscribe: (() => void) | undefined;
  if (options.signal?.aborted === true) onCallerAbort();
  else if (options.signal !== undefined) unsubscribe = onAbort(options.signal, onCallerAbort);
  try {
    const response = await client(options.httpClient).request<string>({
      method: 'POST',
      url: options.url,
      headers: { Accept: 'application/json', ...options.headers },
      data: JSON.stringify(options.body),
      timeout: options.timeoutMs,
      maxRedirects: 0,
      maxContentLength: options.maxResponseBytes,
      maxBodyLength: options.maxResponseBytes,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      signal: controller.signal,
      ...(options.proxy !== undefined ? { proxy: options.proxy } : {}),
    });
    const text = typeof response.data === 'string' ? response.data : '';
    return rawResponse(response.status, lowerHeaders(response.headers), text, new Date(options.clock()));
  } catch (error) {
    throw transportError(error, options, timedOut, callerAborted);
  } finally {
    clearTimeout(timer);
    unsubscribe?.();
  }
}
