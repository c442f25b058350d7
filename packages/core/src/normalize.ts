import { AuthError, type AuthErrorCode } from './errors';
import { redactBody, scrubText } from './redact';
import { MAX_TOKEN_LIFETIME_SECONDS, parseSeconds } from './response';
import { createAccessToken, type AccessToken } from './token';
import { parseOffsetDateTime } from './timestamp';
import { rawResponse, type RawResponse } from './transport';
import { isObject } from './plain';

/** What each code means to a person, and what to do about it. */
const EXPLAIN: Record<AuthErrorCode, [what: string, advice: string]> = {
  CONFIG_INVALID: ['is not configured correctly', 'fix the config'],
  CREDENTIALS_REJECTED: [
    'rejected the credentials',
    'check the client id and the secret or key registered with the provider',
  ],
  SIGNATURE_REJECTED: [
    'could not verify the signature',
    'check that the public key registered with the provider matches privateKey',
  ],
  TIMESTAMP_REJECTED: ['refused the timestamp', 'check the local clock (NTP) and the timestamp option'],
  REQUEST_REJECTED: ['called the token request malformed', 'check the request fields and the endpoint path'],
  GRANT_REJECTED: [
    'rejected the customer grant (auth code or refresh token)',
    'the customer must bind the account again, or use the auth code without the refresh token',
  ],
  ACCESS_DENIED: [
    'refused access to this client',
    "check the provider's IP whitelist and the features enabled for this client",
  ],
  RATE_LIMITED: ['is rate limiting token requests', 'slow down and cache tokens (TokenManager); retry later'],
  PROVIDER_UNAVAILABLE: ['is unavailable', 'retry later'],
  TIMEOUT: ['did not answer in time', 'retry later'],
  NETWORK: ['could not be reached', 'check baseUrl and the network path'],
  RESPONSE_INVALID: [
    'answered with something that is not a valid token',
    'check baseUrl and the endpoint path; report it to the provider if it persists',
  ],
  REPLAY_REJECTED: ['refused a request it had already accepted', 'send each request once, with a new X-EXTERNAL-ID'],
};

/** When a body carries no code kunci knows, the HTTP status decides. */
export function codeForHttpStatus(status: number): AuthErrorCode {
  if (status === 401) return 'CREDENTIALS_REJECTED';
  if (status === 403) return 'ACCESS_DENIED';
  if (status === 408) return 'TIMEOUT';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'PROVIDER_UNAVAILABLE';
  if (status >= 400) return 'REQUEST_REJECTED';
  return 'RESPONSE_INVALID';
}

function describeBody(raw: RawResponse): string {
  const text = raw.text.trim();
  if (text === '') return 'an empty body';
  if (raw.json !== undefined) return 'a JSON body without a response code';
  if (/^<(!doctype|html|\?xml)/i.test(text) || /<html/i.test(text.slice(0, 512))) return 'an HTML page';
  if (text.startsWith('{') || text.startsWith('[')) return 'truncated or malformed JSON';
  return 'a body that is not JSON';
}

/** What of an answer may ride on its error: the body, redacted (a JSON body that does not parse may be cut short). */
function keptBody(raw: RawResponse, secrets: readonly string[]): unknown {
  if (raw.json !== undefined) return redactBody(raw.json, { secrets });
  const text = raw.text.trim();
  return redactBody(raw.text, { secrets, cutShort: text.startsWith('{') || text.startsWith('[') });
}

export interface ProviderErrorDetails {
  status?: number | undefined;
  providerCode?: string | undefined;
  providerMessage?: string | undefined;
  /** Overrides the sentence's middle part (the part after the provider's name). */
  detail?: string | undefined;
}

/** The one way a provider error is worded: who, what happened, the evidence, what to do. */
export function providerError(
  code: AuthErrorCode,
  provider: string,
  raw: RawResponse | undefined,
  input: ProviderErrorDetails = {},
): AuthError {
  const [what, advice] = EXPLAIN[code];
  const secrets = raw?.secrets ?? [];
  // The provider's words may quote what it was sent (a secret, a refresh token) or what it meant to send.
  const clean = (text: string | undefined): string | undefined =>
    text === undefined ? undefined : scrubText(text, { secrets });
  const details: ProviderErrorDetails = {
    ...input,
    ...(input.providerCode !== undefined ? { providerCode: clean(input.providerCode) } : {}),
    ...(input.providerMessage !== undefined ? { providerMessage: clean(input.providerMessage) } : {}),
  };
  const status = details.status ?? raw?.status;
  const evidence = [
    status !== undefined ? `HTTP ${status}` : undefined,
    details.providerCode !== undefined ? `code ${details.providerCode}` : undefined,
    details.providerMessage !== undefined && details.providerMessage !== ''
      ? `"${details.providerMessage}"`
      : undefined,
  ].filter((part): part is string => part !== undefined);
  const middle = details.detail ?? what;
  const message = `${provider} ${middle}${evidence.length > 0 ? ` (${evidence.join(', ')})` : ''}: ${advice}.`;
  return new AuthError(code, message, {
    provider,
    ...(status !== undefined ? { status } : {}),
    ...(details.providerCode !== undefined ? { providerCode: details.providerCode } : {}),
    ...(details.providerMessage !== undefined ? { providerMessage: details.providerMessage } : {}),
    ...(raw?.retryAfterMs !== undefined ? { retryAfterMs: raw.retryAfterMs } : {}),
    ...(raw?.serverDate !== undefined ? { serverDate: raw.serverDate } : {}),
    ...(raw !== undefined ? { cause: { status: raw.status, body: keptBody(raw, secrets) } } : {}),
  });
}

export interface CodeInfo {
  code: string;
  message?: string | undefined;
}

/** How one provider's envelope reads. Everything else about a response is shared. */
export interface EnvelopeSpec<F> {
  provider: string;
  readCode(body: Record<string, unknown>): CodeInfo | undefined;
  isSuccess(code: string, flow: F): boolean;
  /** The error a provider code means, or undefined to let the HTTP status decide. */
  mapCode(code: string, message: string | undefined, flow: F, raw: RawResponse): AuthErrorCode | undefined;
  readToken(body: Record<string, unknown>, raw: RawResponse, code: CodeInfo, flow: F): AccessToken | AuthError;
}

export function readStringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** The `readCode` of an envelope whose code and message sit at the top level under these names. */
export function codeFields(
  codeField: string,
  messageField: string,
): (body: Record<string, unknown>) => CodeInfo | undefined {
  return (body) => {
    const code = readStringField(body, codeField);
    if (code === undefined) return undefined;
    const message = readStringField(body, messageField);
    return message !== undefined ? { code, message } : { code };
  };
}

/**
 * Raw answer, any status, to a token or an error. The body's code wins over the HTTP status when
 * both are there; a success code under an error status, or an error code under 200, is an error.
 */
export function normalizeResponse<F>(raw: RawResponse, spec: EnvelopeSpec<F>, flow: F): AccessToken | AuthError {
  const { provider } = spec;
  if (raw.status >= 300 && raw.status < 400) {
    const location = raw.headers.location !== undefined ? ` to ${raw.headers.location.split('?')[0]}` : '';
    return providerError('RESPONSE_INVALID', provider, raw, {
      detail: `answered with a redirect${location}, which kunci does not follow`,
    });
  }
  const body = isObject(raw.json) ? raw.json : undefined;
  const info = body !== undefined ? spec.readCode(body) : undefined;
  if (info === undefined) {
    if (raw.status >= 400)
      return providerError(codeForHttpStatus(raw.status), provider, raw, {
        detail: `${EXPLAIN[codeForHttpStatus(raw.status)][0]} and sent ${describeBody(raw)}`,
      });
    return providerError('RESPONSE_INVALID', provider, raw, { detail: `answered with ${describeBody(raw)}` });
  }
  const details = { providerCode: info.code, ...(info.message !== undefined ? { providerMessage: info.message } : {}) };
  if (spec.isSuccess(info.code, flow)) {
    if (raw.status >= 200 && raw.status < 300 && body !== undefined) return spec.readToken(body, raw, info, flow);
    const code = raw.status >= 400 ? codeForHttpStatus(raw.status) : 'RESPONSE_INVALID';
    return providerError(code, provider, raw, {
      ...details,
      detail: `answered HTTP ${raw.status} with a success code; kunci takes it as ${code}`,
    });
  }
  const mapped =
    spec.mapCode(info.code, info.message, flow, raw) ??
    (raw.status >= 400 ? codeForHttpStatus(raw.status) : 'PROVIDER_UNAVAILABLE');
  return providerError(mapped, provider, raw, details);
}

/** A token endpoint's answer as a provider's page documents it: no HTTP client needed to read one. */
export interface ProviderAnswer {
  status: number;
  headers?: Record<string, string> | undefined;
  /** The body's text as sent, or the JSON value it holds. */
  body: unknown;
}

/** The answer as `normalizeResponse` reads it, received at `now` (epoch milliseconds). */
export function rawAnswer(answer: ProviderAnswer, now: number): RawResponse {
  const headers = Object.fromEntries(
    Object.entries(answer.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const text = typeof answer.body === 'string' ? answer.body : (JSON.stringify(answer.body) ?? '');
  return rawResponse(answer.status, headers, text, new Date(now));
}

export interface TokenParts {
  provider: string;
  raw: RawResponse;
  accessToken: string;
  responseCode: string;
  responseMessage: string;
  /** Seconds (already validated) or an absolute expiry (an offset date-time). */
  expiresIn?: unknown;
  expiresAt?: string | undefined;
  refreshToken?: string | undefined;
  refreshTokenExpiresAt?: string | undefined;
}

/** Builds the AccessToken from checked fields; refuses a token that is already expired or absurd. */
export function buildAccessToken(parts: TokenParts): AccessToken | AuthError {
  const issuedAt = parts.raw.receivedAt;
  let expiresAt: Date | undefined;
  let expiresIn: number | undefined;
  if (parts.expiresIn !== undefined) {
    expiresIn = parseSeconds(parts.expiresIn);
    if (expiresIn !== undefined) expiresAt = new Date(issuedAt.getTime() + expiresIn * 1000);
  } else if (parts.expiresAt !== undefined) {
    expiresAt = parseOffsetDateTime(parts.expiresAt);
    if (expiresAt !== undefined) expiresIn = Math.floor((expiresAt.getTime() - issuedAt.getTime()) / 1000);
  }
  const invalid = (detail: string): AuthError =>
    providerError('RESPONSE_INVALID', parts.provider, parts.raw, { providerCode: parts.responseCode, detail });
  if (expiresAt === undefined || expiresIn === undefined) return invalid('sent a token without a usable expiry');
  if (expiresIn < 1) return invalid('sent a token that has already expired by the local clock (check the clock)');
  if (expiresIn > MAX_TOKEN_LIFETIME_SECONDS)
    return invalid(`sent a token that claims to live more than ${MAX_TOKEN_LIFETIME_SECONDS} seconds`);
  let refreshTokenExpiresAt: Date | undefined;
  if (parts.refreshTokenExpiresAt !== undefined) {
    refreshTokenExpiresAt = parseOffsetDateTime(parts.refreshTokenExpiresAt);
    if (refreshTokenExpiresAt === undefined) return invalid('sent a refresh token expiry that is not a date-time');
  }
  return createAccessToken({
    accessToken: parts.accessToken,
    tokenType: 'Bearer',
    expiresIn,
    expiresAt,
    issuedAt,
    refreshToken: parts.refreshToken,
    refreshTokenExpiresAt,
    provider: parts.provider,
    responseCode: parts.responseCode,
    responseMessage: parts.responseMessage,
  });
}

/** RESPONSE_INVALID naming the fields a success body got wrong. */
export function invalidTokenBody(
  provider: string,
  raw: RawResponse,
  code: CodeInfo,
  problems: readonly string[],
): AuthError {
  return providerError('RESPONSE_INVALID', provider, raw, {
    providerCode: code.code,
    detail: `answered with a success code but not a valid token: ${problems.join('; ')}`,
  });
}
