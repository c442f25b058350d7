import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import type { TokenProvider } from '../provider';
import type { ServiceRequest } from '../service-signing';

// Only to parse a relative URL; nothing is ever sent to it.
const PARSE_BASE = 'http://relative.invalid';

/**
 * The path and query exactly as axios's http adapter writes them on the request line: the full
 * URL (baseURL joined as axios joins it) normalized by `new URL`, then `params` appended as axios
 * serializes them, unnormalized.
 */
export function wireTarget(instance: AxiosInstance, config: InternalAxiosRequestConfig): string {
  const parsed = new URL(instance.getUri({ ...config, params: null }), PARSE_BASE);
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
  const request: ServiceRequest = {
    method: (config.method ?? 'get').toUpperCase(),
    url: wireTarget(instance, config),
    body: config.data,
    accessToken: tokens.accessToken,
    clockOffsetMs: tokens.clockOffsetMs,
    ...(tokens.customerToken !== undefined ? { customerToken: tokens.customerToken } : {}),
    ...(tokens.externalId !== undefined ? { externalId: tokens.externalId } : {}),
    ...(tokens.headers !== undefined ? { headers: tokens.headers } : {}),
  };
  const signed = sign(request);
  for (const [name, value] of Object.entries(signed.headers)) config.headers.set(name, value);
  config.data = signed.body;
  config.transformRequest = [(data: unknown) => data];
}
