import type { KeyObject } from 'node:crypto';
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
  /**
   * `false` when its signed API calls carry no B2B token (SNAP's asymmetric signature without a
   * token): the interceptor then neither fetches nor sends one. Default: they carry it.
   */
  readonly serviceCallsNeedToken?: boolean | undefined;
}

/**
 * The token flows, one vocabulary for every provider: `b2b` is the client's own token (client
 * credentials), `b2b2c` a customer's (an auth code, then its refresh token).
 */
export type TokenFlow = 'b2b' | 'b2b2c';

/** One signed instant of a token request: to compare with what a rejected request carried. */
export interface TokenSignature {
  /** The timestamp header's value. */
  timestamp: string;
  /** Exactly what is signed. */
  stringToSign: string;
  /** The signature header's value. */
  signature: string;
}

/** A form of the public key, as a provider's onboarding wants it registered. */
export interface PublicKeyForm {
  /** `pem`: SPKI PEM; `base64`: the SPKI DER in Base64, on one line. */
  readonly encoding: 'pem' | 'base64';
  /** Where it goes, in the provider's words ("what Klikoo's dashboard asks for"). */
  readonly label: string;
}

/** How a provider signs, for `kunci sign` and whoever debugs a rejected signature. */
export interface SigningDescription {
  /** Where the token request carries the client id, as the provider's docs name it. */
  readonly clientIdField: string;
  /** The forms of the public key its onboarding asks for (`kunci check` prints them). */
  readonly publicKeyForms: readonly PublicKeyForm[];
  readonly token: {
    readonly timestampHeader: string;
    readonly signatureHeader: string;
    /** The provider's own debug signer, for a given timestamp (the header's text). */
    sign(clientId: string, privateKey: KeyObject, timestamp: string): TokenSignature;
  };
  /** API calls after the token (HMAC-SHA512 with the client secret, core's service signing). */
  readonly service: {
    readonly timestampHeader: string;
    readonly signatureHeader: string;
    /** One API call of the provider's, to show signing at work (the CLI's demo). */
    readonly example: { readonly path: string; readonly body: unknown };
  };
}

/**
 * A provider as a driver: everything an application, the sdk and the CLI ask of a provider by
 * name. Its emulator side (for the sandbox) is its `/emulator` entry's `EmulatorDriver`.
 */
export interface ProviderDefinition {
  readonly name: ProviderName;
  /** The name people know it by ("Pivot SNAP"). */
  readonly title: string;
  /** Its token flows: `b2b` always, `b2b2c` when it issues customer tokens. */
  readonly flows: readonly TokenFlow[];
  /** Present when its requests are signed (RSA for the token, HMAC for API calls). */
  readonly signing?: SigningDescription | undefined;
  /** Its envelope's code and message in an answer's JSON body (a token endpoint's or its API's). */
  readCode(body: Record<string, unknown>): { code: string; message?: string | undefined } | undefined;
  /** Validates the config (throws one `CONFIG_INVALID`) and returns the provider. */
  create(config: unknown, context?: { entry?: string | undefined }): TokenProvider;
}
