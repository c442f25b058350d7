import type { ServiceRequest, SignedServiceRequest } from './service-signing';
import type { AccessToken, ProviderName } from './token';

/** What a caller may ask for. Without `authCode` it is the provider's B2B (client credentials) token. */
export interface TokenRequest {
  /** B2B2C: the customer's binding id (Pivot SNAP's `authCode`). */
  authCode?: string | undefined;
  /** B2B2C: the customer's last refresh token, sent with the auth code. */
  refreshToken?: string | undefined;
}

/** What kunci learned about the provider's answer, whether it was a token or an error. */
export interface ResponseInfo {
  status: number;
  /** The provider's `Date` header, when it sent a valid one. */
  serverDate?: Date | undefined;
  /** Local time (the provider's clock) when the answer arrived. */
  receivedAt: Date;
}

export interface FetchOptions {
  /** Abandons the request (reported as a `TIMEOUT`). */
  signal?: AbortSignal | undefined;
  /** Added to the local clock for signed timestamps: the skew the caller measured. */
  clockOffsetMs?: number | undefined;
  /**
   * Which attempt of one fetch this call is: 1 (the default) for the first, counting up with each
   * retry, whatever its reason. Diagnostics report it (`http.request.resend_count` is one less).
   */
  attempt?: number | undefined;
  /** Called once per answer that arrived, before it is normalized. */
  onResponse?: ((info: ResponseInfo) => void) | undefined;
}

/** Which token a failed API answer names: `true` for whichever the request carried, `false` for none. */
export type TokenRejection = boolean | 'access' | 'customer';

/** A failed answer of the provider's API (not its token endpoint), as `isTokenRejected` reads it. */
export interface FailedResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The parsed body when it is JSON, else its text. */
  body: unknown;
}

/** One provider configured with one set of credentials. */
export interface TokenProvider {
  /** `'pivot-snap'`, `'pivot-legacy'` or `'klikoo'`. */
  readonly provider: ProviderName;
  /** Whose tokens these are; part of every cache key. */
  readonly clientId: string;
  /** Whether `fetchToken({ authCode })` is a flow of this provider. */
  readonly supportsCustomerTokens: boolean;
  /**
   * Where the provider's API lives (the config's `baseUrl`, without a trailing slash): a client for
   * its service calls starts from it.
   */
  readonly baseUrl?: string | undefined;
  /** The paths of the token endpoints under `baseUrl`, as configured: no token is sent to them. */
  readonly tokenPaths?: readonly string[] | undefined;
  /**
   * Which token a failed API answer names, by the provider's own codes: the interceptor drops that
   * token and retries once. A provider without codes of its own leaves it out (RFC 6750's
   * `WWW-Authenticate: Bearer error="invalid_token"` is read for every provider).
   */
  isTokenRejected?(response: FailedResponse): TokenRejection;
  /** One HTTP call, no cache. */
  fetchToken(request?: TokenRequest, options?: FetchOptions): Promise<AccessToken>;
  /**
   * Present when the provider's API wants each call signed (Pivot SNAP, Klikoo): the headers to
   * add and the exact body to send. Synchronous and pure for a given clock and external id.
   * Throws CONFIG_INVALID, before anything is sent, when the config lacks what signing needs.
   */
  signRequest?(request: ServiceRequest): SignedServiceRequest;
}

/** How the umbrella package (or an application) knows a provider by name. */
export interface ProviderDefinition {
  readonly name: ProviderName;
  /** Validates the config (throws one `CONFIG_INVALID`) and returns the provider. */
  create(config: unknown, context?: { entry?: string | undefined }): TokenProvider;
}
