import { dirname, resolve } from 'node:path';
import { isAuthError, type TokenStore } from '@kunci/core';
import { configError, KUNCI } from '@kunci/core/provider';
import { anchorFileReferences, readConfigFile } from './config-source';
import type { KunciConfig, StoreConfigInput } from './config-input';

const STORE_FIELDS = new Set(['redis', 'prefix', 'encryptionKey', 'commandTimeoutMs']);
const REDIS_STORE_PACKAGE = '@kunci/redis-store';

/** A store the application closes when it shuts down (after its TokenManagers). */
export type ConfiguredTokenStore = TokenStore & { close(): Promise<void> };

/** What is wrong with a config's `store` entry, if anything (the values are checked by the store). */
export function storeProblems(store: unknown): string[] {
  if (store === undefined) return [];
  if (typeof store !== 'object' || store === null || Array.isArray(store))
    return ['store must be an object such as { "redis": "env:REDIS_URL" }'];
  const problems = Object.keys(store)
    .filter((field) => !STORE_FIELDS.has(field))
    .map(
      (field) =>
        `store.${field} is not a known option (expected "redis", "prefix", "encryptionKey" or "commandTimeoutMs")`,
    );
  if (typeof (store as { redis?: unknown }).redis !== 'string')
    problems.push('store.redis must be a Redis URL or a reference to one (env:NAME, file:PATH)');
  return problems;
}

type RedisStoreModule = {
  RedisTokenStore: new (options: Omit<StoreConfigInput, 'redis'> & { url: string }) => ConfiguredTokenStore;
};

// Loaded only when a config names a Redis store: an application without one never needs the package.
function loadRedisStore(): RedisStoreModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional package, loaded synchronously and only when a config names it
    return require(REDIS_STORE_PACKAGE) as RedisStoreModule;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw configError(KUNCI, [
      `store.redis needs the package ${REDIS_STORE_PACKAGE}, which is not installed (npm install ${REDIS_STORE_PACKAGE})`,
    ]);
  }
}

/**
 * The shared token store a config names (`"store": { "redis": "env:REDIS_URL" }`), or undefined
 * when it names none. Pass it to every TokenManager of the process, and close it at shutdown.
 */
export function createStoreFromConfig(config: KunciConfig | string): ConfiguredTokenStore | undefined {
  const path = typeof config === 'string' ? resolve(config) : undefined;
  const read = path !== undefined ? readConfigFile(path) : config;
  const store = typeof read === 'object' && read !== null ? (read as { store?: unknown }).store : undefined;
  const problems = storeProblems(store);
  if (problems.length > 0)
    throw configError(KUNCI, path !== undefined ? problems.map((p) => `${p} (in ${path})`) : problems);
  if (store === undefined) return undefined;
  const { redis, ...options } = (
    path !== undefined ? anchorFileReferences(store, dirname(path)) : store
  ) as StoreConfigInput;
  const { RedisTokenStore } = loadRedisStore();
  try {
    return new RedisTokenStore({ ...options, url: redis });
  } catch (error) {
    if (isAuthError(error) && error.code === 'CONFIG_INVALID' && path !== undefined) {
      throw configError(KUNCI, [`the store in ${path} is invalid: ${error.message}`]);
    }
    throw error;
  }
}
