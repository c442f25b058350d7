import { configError, KUNCI } from '@kunci/core/provider';
import type { ProviderDefinition, TokenProvider } from '@kunci/core';
import { klikoo } from '@kunci/klikoo';
import { pivotLegacy } from '@kunci/pivot-legacy';
import { pivotSnap } from '@kunci/pivot-snap';
import { snap } from '@kunci/snap';
import type { BuiltInProviderName, ProviderConfig } from './config-input';

/** The providers `createTokenProvider` knows by `config.provider`. */
export const BUILT_IN_PROVIDERS: Readonly<Record<BuiltInProviderName, ProviderDefinition>> = Object.freeze({
  'pivot-snap': pivotSnap,
  'pivot-legacy': pivotLegacy,
  klikoo,
  snap,
});

const NAMES = Object.keys(BUILT_IN_PROVIDERS);

function definitionFor(config: unknown, entry: string | undefined): ProviderDefinition {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw configError(KUNCI, ['the config must be an object'], entry);
  }
  const name = (config as { provider?: unknown }).provider;
  // Only a known name is echoed: the field may hold anything, a pasted secret included.
  const definition =
    typeof name === 'string' && Object.hasOwn(BUILT_IN_PROVIDERS, name)
      ? BUILT_IN_PROVIDERS[name as BuiltInProviderName]
      : undefined;
  if (definition === undefined) {
    const problem = name === undefined ? 'provider is missing' : 'provider is not a known provider';
    throw configError(KUNCI, [`${problem}: use one of ${NAMES.map((n) => `"${n}"`).join(', ')}`], entry);
  }
  return definition;
}

/**
 * Validates the config of the provider it names (every problem in one CONFIG_INVALID) and returns
 * that provider. Swapping providers is a config change.
 */
export function createTokenProvider(config: ProviderConfig): TokenProvider {
  return createNamedProvider(config, undefined);
}

/** As createTokenProvider, for an entry of a config file: its errors name the entry. */
export function createNamedProvider(config: unknown, entry: string | undefined): TokenProvider {
  return definitionFor(config, entry).create(config, entry !== undefined ? { entry } : {});
}
