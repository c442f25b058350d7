import type { BaseProviderConfig, ServiceSigningConfig, SignedProviderConfig } from '@kunci/core/provider';
import type { KlikooConfig } from '@kunci/klikoo';
import type { PivotLegacyConfig } from '@kunci/pivot-legacy';
import type { PivotSnapConfig } from '@kunci/pivot-snap';
import type { SnapConfig } from '@kunci/snap';

/**
 * What a config class takes as input: its public fields with the class's own optionality, each
 * optional one also taking `undefined` (absence), and nested config classes as plain objects. The
 * class, with its class-validator decorators, is the one description of a provider's options.
 */
export type ConfigInput<C> = {
  [K in keyof C]: Record<never, never> extends Pick<C, K>
    ? InputValue<Exclude<C[K], undefined>> | undefined
    : InputValue<C[K]>;
};

/** Functions (an axios instance, a clock) and plain values as they are; a nested config class as its input. */
type InputValue<V> = V extends (...args: never[]) => unknown ? V : V extends object ? ConfigInput<V> : V;

/** A provider's input: its config class's options, with `provider` naming it. */
type ProviderInput<C, Name extends string> = { provider: Name } & ConfigInput<Omit<C, 'provider'>>;

/** Fields every provider takes (docs/configuration.md): `BaseProviderConfig`'s. */
export type CommonConfigInput = ConfigInput<Omit<BaseProviderConfig, 'provider'>>;

/** How a signed timestamp is written (`TimestampConfig`). Default `+07:00`, no milliseconds. */
export type TimestampInput = ConfigInput<NonNullable<SignedProviderConfig['timestamp']>>;

/** How service calls are signed where the providers' pages are silent (`ServiceSigningConfig`, docs/service-calls.md). */
export type ServiceSigningInput = ConfigInput<ServiceSigningConfig>;

/** The config class of each built-in provider, by the name `provider` gives it. */
interface BuiltInConfigClasses {
  'pivot-snap': PivotSnapConfig;
  'pivot-legacy': PivotLegacyConfig;
  klikoo: KlikooConfig;
  snap: SnapConfig;
}

type BuiltInInput<Name extends keyof BuiltInConfigClasses> = ProviderInput<BuiltInConfigClasses[Name], Name>;

export type PivotSnapConfigInput = BuiltInInput<'pivot-snap'>;

export type PivotLegacyConfigInput = BuiltInInput<'pivot-legacy'>;

export type KlikooConfigInput = BuiltInInput<'klikoo'>;

/** One provider's config; `provider` picks the shape. */
export type ProviderConfig = { [Name in keyof BuiltInConfigClasses]: BuiltInInput<Name> }[keyof BuiltInConfigClasses];

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
