import type { AxiosError, AxiosHeaders, AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { maskToken } from '../redact';
import { signAxiosRequest } from './axios-signing';
import type { TokenManager } from './token-manager';
import type { TokenRejection } from '../provider';
import { isTokenEndpoint, tokenRejection } from './token-rejection';

/** Per-request options of the TokenManager interceptor, in an axios request config's `kunci`. */
export interface KunciRequestOptions {
  /** Send this request without kunci's headers (a token request, or one that carries its own). */
  skip?: boolean | undefined;
  /** The B2B2C customer whose token goes in `Authorization-Customer`. */
  authCode?: string | undefined;
  /** Set by the interceptor on its one retry after a rejected token. */
  retried?: boolean | undefined;
  /** `false`: only the bearer headers, no service-call signature (default: signed when the provider signs). */
  sign?: boolean | undefined;
  /** Optional headers the provider lets a call set, signed with it (SNAP's `X-DEVICE-ID`, `X-IP-ADDRESS`, `ORIGIN`, …). */
  headers?: Readonly<Record<string, string | undefined>> | undefined;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    kunci?: KunciRequestOptions | undefined;
  }
}

export interface AttachTokenManagerOptions {
  /** The B2B2C customer (auth code) a request is for, if any; `config.kunci.authCode` wins. */
  customer?: ((config: InternalAxiosRequestConfig) => string | undefined) | undefined;
  /** Which token a failed response names; default the provider's `isTokenRejected`, then RFC 6750. */
  isTokenRejected?: ((error: AxiosError) => TokenRejection) | undefined;
  /** Requests whose URL matches get no token (default: the provider's `tokenPaths`); `false` for none. */
  skipUrl?: RegExp | false | undefined;
  /** `false`: never sign service calls, even when the provider can (`config.kunci.sign` wins). */
  sign?: boolean | undefined;
  /** Pivot SNAP's `X-EXTERNAL-ID` for a request; default the provider's generator. */
  externalId?: ((config: InternalAxiosRequestConfig) => string | undefined) | undefined;
}

/** The headers the interceptor sets: none of them may leave the origin it set them for. */
const KUNCI_HEADERS = new Set(['authorization', 'authorization-customer']);

type BeforeRedirect = NonNullable<InternalAxiosRequestConfig['beforeRedirect']>;
const guards = new WeakSet<BeforeRedirect>();

function origin(url: unknown): string | undefined {
  try {
    return typeof url === 'string' ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * axios (follow-redirects) drops `Authorization` when a redirect changes host, but forwards every
 * other header, `Authorization-Customer` included, and keeps both across a change of port or
 * scheme. Each redirect that leaves the origin (scheme, host and port) sheds kunci's headers; the
 * config's own `beforeRedirect` still runs after.
 */
function guardRedirects(config: InternalAxiosRequestConfig): void {
  const previous = config.beforeRedirect;
  if (previous !== undefined && guards.has(previous)) return;
  const guard: BeforeRedirect = (options, response, request) => {
    const to = origin(options.href);
    if (to === undefined || to !== origin(request.url)) {
      const headers = options.headers as Record<string, unknown> | undefined;
      for (const name of Object.keys(headers ?? {})) if (KUNCI_HEADERS.has(name.toLowerCase())) delete headers?.[name];
    }
    previous?.(options, response, request);
  };
  guards.add(guard);
  config.beforeRedirect = guard;
}

function bearer(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('Bearer ') ? value.slice(7) : undefined;
}

type ConfiguredAxiosError = AxiosError & { config: InternalAxiosRequestConfig };

function isAxiosErrorWithConfig(error: unknown): error is ConfiguredAxiosError {
  const candidate = error as Partial<AxiosError> | null;
  return candidate?.isAxiosError === true && candidate.config !== undefined;
}

/** Headers whose values are secrets whatever the provider: the bearer tokens and any signature. */
const SECRET_HEADER = /authorization|signature|token|secret/i;

function masked(value: string): string {
  return value.startsWith('Bearer ') ? `Bearer ${maskToken(value.slice(7)) ?? ''}` : (maskToken(value) ?? '');
}

/**
 * The error as it leaves the interceptor: the request's secret headers masked in its config (its
 * `toJSON` and `util.inspect` show the config), and the sent request (which holds the raw header
 * block) no longer enumerable, so that logging the error cannot leak a token. axios's own error
 * object, changed in place: a retry through this instance signs afresh.
 */
function withoutSecrets(error: ConfiguredAxiosError): ConfiguredAxiosError {
  const headers = error.config.headers as AxiosHeaders | undefined;
  if (headers !== undefined && typeof headers.get === 'function') {
    const tokens = [bearer(headers.get('Authorization')), bearer(headers.get('Authorization-Customer'))].filter(
      (token): token is string => token !== undefined && token.length >= 4,
    );
    for (const [name, value] of Object.entries(headers.toJSON())) {
      if (typeof value !== 'string') continue;
      if (SECRET_HEADER.test(name) || tokens.some((token) => value.includes(token))) headers.set(name, masked(value));
    }
  }
  for (const holder of [error, error.response]) {
    if (holder !== undefined && Object.prototype.propertyIsEnumerable.call(holder, 'request')) {
      Object.defineProperty(holder, 'request', {
        value: holder.request,
        enumerable: false,
        configurable: true,
        writable: true,
      });
    }
  }
  return error;
}

/**
 * Puts `Authorization: Bearer <token>` (and, for a customer, `Authorization-Customer`, as SNAP
 * wants) on every request of `instance`, and when the provider signs its API calls, its signature
 * headers with the body it signed; on a 401 that names a token, drops that token and sends the
 * request once more (signed afresh). Returns the function that detaches both interceptors.
 */
export function attachTokenManager(
  instance: AxiosInstance,
  manager: TokenManager,
  options: AttachTokenManagerOptions = {},
): () => void {
  const { provider } = manager;
  const skipUrl = options.skipUrl;
  const rejection = options.isTokenRejected ?? ((error: AxiosError) => tokenRejection(provider, error));
  const isTokenUrl = (url: string | undefined): boolean =>
    skipUrl === undefined ? isTokenEndpoint(provider, url) : skipUrl !== false && skipUrl.test(url ?? '');
  const skips = (config: InternalAxiosRequestConfig): boolean => config.kunci?.skip === true || isTokenUrl(config.url);

  const requestId = instance.interceptors.request.use(async (config) => {
    if (skips(config)) return config;
    const authCode = config.kunci?.authCode ?? options.customer?.(config);
    // A provider whose signed calls carry no B2B token (SNAP's asymmetric scheme) gets none fetched or sent.
    const needsToken = provider.serviceCallsNeedToken !== false;
    const [access, customer] = await Promise.all([
      needsToken ? manager.getToken() : undefined,
      authCode === undefined ? undefined : manager.getToken({ authCode }),
    ]);
    guardRedirects(config);
    if (access !== undefined) config.headers.set('Authorization', `Bearer ${access.accessToken}`);
    if (customer !== undefined) {
      config.headers.set('Authorization-Customer', `Bearer ${customer.accessToken}`);
      config.kunci = { ...config.kunci, authCode };
    }
    const sign = provider.signRequest?.bind(provider);
    if (sign !== undefined && (config.kunci?.sign ?? options.sign) !== false) {
      const externalId = options.externalId?.(config);
      signAxiosRequest(instance, config, sign, {
        accessToken: access?.accessToken ?? '',
        clockOffsetMs: manager.clockOffsetMs,
        ...(customer !== undefined ? { customerToken: customer.accessToken } : {}),
        ...(externalId !== undefined ? { externalId } : {}),
        ...(config.kunci?.headers !== undefined ? { headers: config.kunci.headers } : {}),
      });
    }
    return config;
  });

  const responseId = instance.interceptors.response.use(undefined, async (error: unknown) => {
    if (!isAxiosErrorWithConfig(error)) throw error;
    const config = error.config;
    // One retry, ever: a second rejection means the token is not the problem.
    if (error.response === undefined || config.kunci?.retried === true || skips(config)) throw withoutSecrets(error);
    const named = rejection(error);
    const authCode = config.kunci?.authCode;
    const drops: Promise<void>[] = [];
    if (named === true || named === 'access')
      drops.push(manager.invalidate({}, bearer(config.headers.get('Authorization'))));
    if ((named === true || named === 'customer') && authCode !== undefined) {
      drops.push(manager.invalidate({ authCode }, bearer(config.headers.get('Authorization-Customer'))));
    }
    if (drops.length === 0) throw withoutSecrets(error);
    await Promise.all(drops);
    config.kunci = { ...config.kunci, retried: true };
    return instance.request(config);
  });

  return () => {
    instance.interceptors.request.eject(requestId);
    instance.interceptors.response.eject(responseId);
  };
}
