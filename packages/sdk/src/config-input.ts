import type { BaseProviderConfig } from '@kunci/core/provider';

/** Fields every provider takes (docs/configuration.md). */
export interface CommonConfigInput {
  /** `https://…`; plain http only to a loopback host, or with `allowInsecureHttp`. */
  baseUrl: string;
  /** Allows http to a non-loopback host (a test network behind a proxy). Default false. */
  allowInsecureHttp?: boolean | undefined;
  /** Milliseconds for the whole exchange, 1 to 300000. Default 10000. */
  timeoutMs?: number | undefined;
  /** A larger answer is RESPONSE_INVALID, 1024 to 10485760. Default 65536. */
  maxResponseBytes?: number | undefined;
  /**
   * The HTTP proxy of the token requests (`http://user:pass@proxy.internal:3128`; an https provider
   * is reached with CONNECT), or `false` to ignore `HTTPS_PROXY`/`HTTP_PROXY`. Default: those variables.
   */
  proxy?: string | false | undefined;
  /** An axios instance (proxy, agent, interceptors). Not in a JSON config file. */
  httpClient?: NonNullable<BaseProviderConfig['httpClient']> | undefined;
  /** Epoch milliseconds, for tests. Default `Date.now`. Not in a JSON config file. */
  clock?: (() => number) | undefined;
}

/** How a signed timestamp is written. Default `+07:00`, no milliseconds. */
export interface TimestampInput {
  /** `'Z'` or `±HH:MM`. */
  offset?: string | undefined;
  milliseconds?: boolean | undefined;
}

/** How service calls are signed where the providers' pages are silent (docs/service-calls.md). */
export interface ServiceSigningInput {
  /** Sign the query string with the path. Default true. */
  includeQuery?: boolean | undefined;
  /** What a call without a body hashes. Default `''`. */
  emptyBody?: '' | '{}' | undefined;
  /** The method's case in the string to sign. Default `'upper'`. */
  methodCase?: 'upper' | 'lower' | undefined;
}

export interface PivotSnapConfigInput extends CommonConfigInput {
  provider: 'pivot-snap';
  clientId: string;
  /** PEM (PKCS#8 or PKCS#1) or a Base64 key body, or `env:NAME`, or `file:PATH`. */
  privateKey: string;
  privateKeyPassphrase?: string | undefined;
  paths?: { b2b?: string | undefined; b2b2c?: string | undefined } | undefined;
  timestamp?: TimestampInput | undefined;
  /** Service calls: the HMAC key of `X-SIGNATURE`; the value, `env:NAME` or `file:PATH`. */
  clientSecret?: string | undefined;
  /** Service calls: `X-PARTNER-ID`. Default `clientId`. */
  partnerId?: string | undefined;
  /** Service calls: `CHANNEL-ID`. */
  channelId?: string | undefined;
  signing?: ServiceSigningInput | undefined;
}

export interface PivotLegacyConfigInput extends CommonConfigInput {
  provider: 'pivot-legacy';
  merchantId: string;
  /** The value, `env:NAME` or `file:PATH`. */
  merchantSecret: string;
  path?: string | undefined;
}

export interface KlikooConfigInput extends CommonConfigInput {
  provider: 'klikoo';
  /** A UUID v4, sent in the body. */
  clientId: string;
  /** The value, `env:NAME` or `file:PATH`. */
  clientSecret: string;
  privateKey: string;
  privateKeyPassphrase?: string | undefined;
  path?: string | undefined;
  timestamp?: TimestampInput | undefined;
  signing?: ServiceSigningInput | undefined;
}

/** One provider's config; `provider` picks the shape. */
export type ProviderConfig = PivotSnapConfigInput | PivotLegacyConfigInput | KlikooConfigInput;

/** The name of a built-in provider. */
export type BuiltInProviderName = ProviderConfig['provider'];

/** What runs only in a process, never in a JSON file. */
type RuntimeField = 'httpClient' | 'clock';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One entry of `kunci.config.json`. */
export type ProviderConfigEntry = DistributiveOmit<ProviderConfig, RuntimeField>;

/** The shape of `kunci.config.json`: one provider per name. */
export interface KunciConfigFile {
  $schema?: string | undefined;
  providers: Record<string, ProviderConfigEntry>;
  store?: StoreConfigInput | undefined;
}

/** Where a fleet's TokenManagers share their tokens (`createStoreFromConfig`); needs `@kunci/redis-store`. */
export interface StoreConfigInput {
  /** `redis://…`, `rediss://…`, `env:NAME` or `file:PATH`. */
  redis: string;
  /** Put before every Redis key. Default `kunci:`. */
  prefix?: string | undefined;
  /** 32 bytes (hex or Base64), `env:NAME` or `file:PATH`; or a list, current key first. */
  encryptionKey?: string | string[] | undefined;
  /** The longest one Redis command may take. Default 1,000. */
  commandTimeoutMs?: number | undefined;
}

/** `createTokenProviders` also takes the object form, where runtime fields are allowed. */
export interface KunciConfig<N extends string = string> {
  $schema?: string | undefined;
  providers: Record<N, ProviderConfig>;
  store?: StoreConfigInput | undefined;
}
