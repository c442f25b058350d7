import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import { signingFor } from '../diagnostics';
import { RELATIVE_URL_BASE } from '../plain';
import type { TokenProvider } from '../provider';
import type { ServiceRequest } from '../service-signing';

/**
 * The path and query exactly as axios's http adapter writes them on the request line: the full
 * URL (baseURL joined as axios joins it) normalized by `new URL`, then `params` appended as axios
 * serializes them, unnormalized.
 */
export function wireTarget(instance: AxiosInstance, config: InternalAxiosRequestConfig): string {
  return wireTargetOf(instance, config, new URL(instance.getUri({ ...config, params: null }), RELATIVE_URL_BASE));
}

function wireTargetOf(instance: AxiosInstance, config: InternalAxiosRequestConfig, parsed: URL): string {
  return instance.getUri({
    url: parsed.pathname + parsed.search,
    baseURL: '',
    params: config.params as unknown,
    ...(config.paramsSerializer !== undefined ? { paramsSerializer: config.paramsSerializer } : {}),
  });
}

export interface SigningTokens {
  accessToken: string;
  customerToken?: string;
  clockOffsetMs: number;
  externalId?: string;
  headers?: Readonly<Record<string, string | undefined>>;
}

/**
 * Signs the request in place: the provider's headers, and the body it signed as the data sent.
 * Axios's transforms would serialize the body again (or a user's transform change it), so none runs.
 */
export function signAxiosRequest(
  instance: AxiosInstance,
  config: InternalAxiosRequestConfig,
  sign: NonNullable<TokenProvider['signRequest']>,
  tokens: SigningTokens,
): void {
  const parsed = new URL(instance.getUri({ ...config, params: null }), RELATIVE_URL_BASE);
  const request: ServiceRequest = {
    method: (config.method ?? 'get').toUpperCase(),
    url: wireTargetOf(instance, config, parsed),
    body: config.data,
    accessToken: tokens.accessToken,
    clockOffsetMs: tokens.clockOffsetMs,
    ...(tokens.customerToken !== undefined ? { customerToken: tokens.customerToken } : {}),
    ...(tokens.externalId !== undefined ? { externalId: tokens.externalId } : {}),
    ...(tokens.headers !== undefined ? { headers: tokens.headers } : {}),
  };
  // The signature covers the path only; the diagnostics message names the host the call goes to.
  const host = parsed.origin === RELATIVE_URL_BASE ? undefined : parsed.hostname;
  const signed = signingFor(host, () => sign(request));
  for (const [name, value] of Object.entries(signed.headers)) config.headers.set(name, value);
  config.data = signed.body;
  config.transformRequest = [(data: unknown) => data];
}
