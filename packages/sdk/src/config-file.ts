import { dirname, resolve } from 'node:path';
import { AuthError, isAuthError, type TokenProvider } from '@kunci/core';
import { configError, KUNCI } from '@kunci/core/provider';
import type { KunciConfig } from './config-input';
import { anchorFileReferences, readConfigFile } from './config-source';
import { storeProblems } from './config-store';
import { createNamedProvider } from './providers';

const TOP_LEVEL_FIELDS = new Set(['$schema', 'providers', 'store']);

function shapeProblems(config: unknown): string[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    return ['the config must be an object with a "providers" object'];
  const problems = Object.keys(config)
    .filter((field) => !TOP_LEVEL_FIELDS.has(field))
    .map((field) => `${field} is not a known option (expected "providers" or "store")`);
  const { providers } = config as { providers?: unknown };
  if (typeof providers !== 'object' || providers === null || Array.isArray(providers)) {
    problems.push('providers must be an object of named provider configs');
  } else if (Object.keys(providers).length === 0) {
    problems.push('providers names no provider');
  }
  return [...problems, ...storeProblems((config as { store?: unknown }).store)];
}

interface Failure {
  entry: string;
  error: AuthError;
}

function combined(failures: readonly Failure[], source: string | undefined): AuthError {
  const where = source !== undefined ? `The kunci config file ${source}` : 'The kunci config';
  const count = failures.length === 1 ? '1 invalid entry' : `${failures.length} invalid entries`;
  const providers = new Set(failures.map((failure) => failure.error.provider));
  return new AuthError(
    'CONFIG_INVALID',
    `${where} has ${count}. ${failures.map((failure) => failure.error.message).join(' ')}`,
    {
      provider: providers.size === 1 ? ([...providers][0] ?? KUNCI) : KUNCI,
      cause: { entries: failures.map((failure) => failure.entry) },
    },
  );
}

/**
 * One provider per named entry, from an object or from the path of a `kunci.config.json`. Every
 * entry is validated before any is returned, and every problem of every entry is reported in one
 * CONFIG_INVALID whose message names each entry.
 */
export function createTokenProviders<N extends string>(config: KunciConfig<N>): Record<N, TokenProvider>;
export function createTokenProviders(path: string): Record<string, TokenProvider>;
export function createTokenProviders(configOrPath: KunciConfig | string): Record<string, TokenProvider> {
  const path = typeof configOrPath === 'string' ? resolve(configOrPath) : undefined;
  const config = path !== undefined ? readConfigFile(path) : configOrPath;
  const problems = shapeProblems(config);
  if (problems.length > 0) {
    throw configError(KUNCI, path !== undefined ? problems.map((p) => `${p} (in ${path})`) : problems);
  }
  const entries = Object.entries((config as { providers: Record<string, unknown> }).providers);
  const created: Array<[string, TokenProvider]> = [];
  const failures: Failure[] = [];
  for (const [entry, value] of entries) {
    try {
      created.push([
        entry,
        createNamedProvider(path !== undefined ? anchorFileReferences(value, dirname(path)) : value, entry),
      ]);
    } catch (error) {
      if (!isAuthError(error) || error.code !== 'CONFIG_INVALID') throw error;
      failures.push({ entry, error });
    }
  }
  if (failures.length > 0) throw combined(failures, path);
  // fromEntries defines own properties, so an entry named "__proto__" cannot reach the prototype.
  return Object.fromEntries(created);
}
