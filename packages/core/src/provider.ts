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
  /** Called once per answer that arrived, before it is normalized. */
  onResponse?: ((info: ResponseInfo) => void) | undefined;
}

/** One provider configured with one set of credentials. */
export interface TokenProvider {
  /** `'pivot-snap'`, `'pivot-legacy'` or `'klikoo'`. */
  readonly provider: ProviderName;
  /** Whose tokens these are; part of every cache key. */
  readonly clientId: string;
  /** Whether `fetchToken({ authCode })` is a flow of this provider. */
  readonly supportsCustomerTokens: boolean;
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
