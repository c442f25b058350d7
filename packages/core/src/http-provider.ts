import { inspect } from 'node:util';
import type { AxiosInstance, AxiosProxyConfig } from 'axios';
import {
  describeTokenEndpoint,
  traceServiceSign,
  traceTokenFetch,
  type KeyKind,
  type TokenFetchMessage,
} from './diagnostics';
import { asAuthError, AuthError, isAuthError } from './errors';
import { normalizeResponse, type EnvelopeSpec } from './normalize';
import type { FailedResponse, FetchOptions, TokenProvider, TokenRejection, TokenRequest } from './provider';
import { sanitizeCause, scrubSecrets } from './redact';
import type { ServiceRequest, SignedServiceRequest } from './service-signing';
import { checkTokenRequest } from './token-request';
import type { AccessToken, ProviderName } from './token';
import { postJson } from './transport';

export interface PreparedRequest<F> {
  flow: F;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Everything provider-specific; the shared machinery is in HttpTokenProvider. */
export interface HttpProviderSpec<F> extends EnvelopeSpec<F> {
  provider: ProviderName;
  clientId: string;
  supportsCustomerTokens: boolean;
  /** Values that must never come back out in an error, even if a provider echoes them. */
  secrets: readonly string[];
  /** The token endpoints' paths, as configured: the interceptor sends no token to them. */
  tokenPaths: readonly string[];
  /** Which token a failed API answer's code (read with `readCode`) names; absent when no code does. */
  rejectedToken?: (code: string) => TokenRejection;
  prepare(request: TokenRequest, nowMs: number): PreparedRequest<F>;
  /** The kinds of key the token request and the service calls are signed with, for diagnostics. */
  keyKinds?: { token?: KeyKind | undefined; service?: KeyKind | undefined } | undefined;
  /** For a provider whose API calls are signed: `now` is already resolved (clock and offset). */
  signRequest?(request: ServiceRequest & { now: number }): SignedServiceRequest;
  /** `false`: its signed API calls carry no B2B token (see `TokenProvider.serviceCallsNeedToken`). */
  serviceCallsNeedToken?: boolean | undefined;
}

export interface HttpSettings {
  baseUrl: string;
  timeoutMs: number;
  maxResponseBytes: number;
  httpClient?: AxiosInstance;
  /** The config's `proxy`: for the token requests, over the client's own (and the environment's). */
  proxy?: AxiosProxyConfig | false;
  clock: () => number;
}

function scrubError(error: AuthError, secrets: readonly string[]): AuthError {
  const text = JSON.stringify([error.message, error.providerCode, error.providerMessage, error.cause]);
  if (!secrets.some((secret) => secret.length >= 4 && scrubSecrets(text, [secret]) !== text)) return error;
  const clean = (value: string): string => scrubSecrets(value, secrets);
  return new AuthError(error.code, clean(error.message), {
    provider: error.provider,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.providerCode !== undefined ? { providerCode: clean(error.providerCode) } : {}),
    ...(error.providerMessage !== undefined ? { providerMessage: clean(error.providerMessage) } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    ...(error.serverDate !== undefined ? { serverDate: error.serverDate } : {}),
    ...(error.cause !== undefined ? { cause: sanitizeCause(error.cause, secrets) } : {}),
  });
}

/** The one fetch pipeline: check the request, sign, send, normalize whatever comes back. */
export class HttpTokenProvider<F> implements TokenProvider {
  readonly provider: ProviderName;
  readonly clientId: string;
  readonly supportsCustomerTokens: boolean;
  readonly tokenPaths: readonly string[];
  readonly signRequest?: (request: ServiceRequest) => SignedServiceRequest;
  readonly serviceCallsNeedToken?: boolean;
  // Private fields: the spec holds keys and secrets, and util.inspect does not show # fields.
  readonly #spec: HttpProviderSpec<F>;
  readonly #http: HttpSettings;
  /** The spec's secrets and the proxy's password: what no error may carry. */
  readonly #secrets: readonly string[];

  constructor(spec: HttpProviderSpec<F>, http: HttpSettings) {
    this.provider = spec.provider;
    this.clientId = spec.clientId;
    this.supportsCustomerTokens = spec.supportsCustomerTokens;
    this.tokenPaths = Object.freeze([...spec.tokenPaths]);
    if (spec.serviceCallsNeedToken === false) this.serviceCallsNeedToken = false;
    this.#spec = spec;
    this.#http = { ...http, baseUrl: http.baseUrl.replace(/\/+$/, '') };
    const proxyPassword = http.proxy === false ? undefined : http.proxy?.auth?.password;
    this.#secrets =
      proxyPassword !== undefined && proxyPassword !== '' ? [...spec.secrets, proxyPassword] : spec.secrets;
    const sign = spec.signRequest?.bind(spec);
    if (sign !== undefined) {
      const keyKind = spec.keyKinds?.service;
      this.signRequest = (request) =>
        traceServiceSign(this, request, keyKind, () =>
          sign({ ...request, now: (request.now ?? this.#http.clock()) + (request.clockOffsetMs ?? 0) }),
        );
    }
  }

  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  isTokenRejected(response: FailedResponse): TokenRejection {
    const { body } = response;
    const rejectedToken = this.#spec.rejectedToken;
    if (rejectedToken === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) return false;
    const info = this.#spec.readCode(body as Record<string, unknown>);
    return info === undefined ? false : rejectedToken(info.code);
  }

  fetchToken(request?: TokenRequest, options: FetchOptions = {}): Promise<AccessToken> {
    return traceTokenFetch(this, options.attempt ?? 1, this.#spec.keyKinds?.token, (message) =>
      this.fetchOnce(request, options, message),
    );
  }

  private async fetchOnce(
    request: TokenRequest | undefined,
    options: FetchOptions,
    message: TokenFetchMessage | undefined,
  ): Promise<AccessToken> {
    const spec = this.#spec;
    try {
      const checked = checkTokenRequest(this.provider, request, this.supportsCustomerTokens);
      const now = this.#http.clock() + (options.clockOffsetMs ?? 0);
      const prepared = spec.prepare(checked, now);
      const url = `${this.#http.baseUrl}${prepared.path}`;
      if (message !== undefined) describeTokenEndpoint(message, url, prepared.flow);
      const raw = await postJson({
        provider: this.provider,
        url,
        headers: prepared.headers,
        body: prepared.body,
        timeoutMs: this.#http.timeoutMs,
        maxResponseBytes: this.#http.maxResponseBytes,
        clock: this.#http.clock,
        ...(this.#http.httpClient !== undefined ? { httpClient: this.#http.httpClient } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
        ...(this.#http.proxy !== undefined ? { proxy: this.#http.proxy } : {}),
      });
      if (message !== undefined) message.status = raw.status;
      options.onResponse?.({
        status: raw.status,
        receivedAt: raw.receivedAt,
        ...(raw.serverDate ? { serverDate: raw.serverDate } : {}),
      });
      const result = normalizeResponse({ ...raw, secrets: this.secretsOf(request) }, spec, prepared.flow);
      if (isAuthError(result)) throw result;
      return result;
    } catch (error) {
      // A bug of ours surfaces in the same error model, scrubbed the same way.
      throw scrubError(asAuthError(error, this.provider), this.secretsOf(request));
    }
  }

  /** The config's secrets, and the caller's grant: a provider may echo either back. */
  private secretsOf(request: unknown): readonly string[] {
    const { authCode, refreshToken } = (typeof request === 'object' && request !== null ? request : {}) as Record<
      string,
      unknown
    >;
    // A short grant would scrub ordinary words out of the message.
    const grant = [authCode, refreshToken].filter(
      (value): value is string => typeof value === 'string' && value.length >= 8,
    );
    return grant.length === 0 ? this.#secrets : [...this.#secrets, ...grant];
  }

  toJSON(): Record<string, unknown> {
    return { provider: this.provider, clientId: this.clientId, baseUrl: this.#http.baseUrl };
  }

  [inspect.custom](): string {
    return `TokenProvider ${inspect(this.toJSON())}`;
  }
}
