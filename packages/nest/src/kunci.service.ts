import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { OnApplicationShutdown } from '@nestjs/common';
import axios, { type AxiosInstance } from 'axios';
import { AuthError, attachTokenManager, isAuthError, TokenManager, type TokenProvider } from '@kunci/core';
import { createStoreFromConfig, createTokenProviders, type ConfiguredTokenStore } from '@kunci/sdk';
import type { KunciModuleOptions } from './options';
import { configNames, rawConfig } from './raw-config';
import { KUNCI_NEST } from './tokens';

/** One provider of the config, with what the module built for it. */
interface Named {
  provider: TokenProvider;
  manager: TokenManager;
  client: AxiosInstance;
  /** Removes the interceptors from the client. */
  detach(): void;
  agents: { http: HttpAgent; https: HttpsAgent };
}

function quoted(names: Iterable<string>): string {
  const list = [...names].map((name) => `"${name}"`);
  return list.length === 0 ? 'none' : list.join(', ');
}

function combined(problems: readonly AuthError[]): AuthError {
  if (problems.length === 1 && problems[0] !== undefined) return problems[0];
  return new AuthError(
    'CONFIG_INVALID',
    `The kunci module has ${problems.length} invalid entries. ${problems.map((p) => p.message).join(' ')}`,
    {
      provider: KUNCI_NEST,
    },
  );
}

function isConfigInvalid(error: unknown): error is AuthError {
  return isAuthError(error) && error.code === 'CONFIG_INVALID';
}

/** A provider that only lends its names to a manager, so that the manager's options of a bad entry are checked. */
function standIn(name: string, config: unknown): TokenProvider {
  const entry = (rawConfig(config)?.providers as Record<string, { provider?: unknown }> | undefined)?.[name];
  return {
    provider: typeof entry?.provider === 'string' ? entry.provider : name,
    clientId: name,
    supportsCustomerTokens: false,
    fetchToken: () => Promise.reject(new Error('a stand-in provider fetches nothing')),
  };
}

/**
 * The problems of `error` (a CONFIG_INVALID's list, each without its file) all in `by`'s message:
 * the config's checks already name the store's shape, which the store's own checks repeat.
 */
function alreadyReported(error: AuthError, by: readonly AuthError[]): boolean {
  const list = error.message.replace(/^[^:]*: /, '').replace(/\.$/, '');
  return list
    .split('; ')
    .map((problem) => problem.replace(/ \(in [^)]*\)$/, ''))
    .every((problem) => by.some((other) => other.message.includes(problem)));
}

/**
 * The store the config names (`"store": { "redis": … }`), built by the sdk, or undefined. A store
 * that cannot be built, or one given in the module options too (one of the two would be
 * ignored, and the fleet silently uncoordinated), is a problem.
 */
function configuredStore(
  options: KunciModuleOptions,
  readable: boolean,
  problems: AuthError[],
): ConfiguredTokenStore | undefined {
  if (!readable) return undefined;
  let store: ConfiguredTokenStore | undefined;
  try {
    store = createStoreFromConfig(options.config);
  } catch (error) {
    if (!isConfigInvalid(error)) throw error;
    if (!alreadyReported(error, problems)) problems.push(error);
    return undefined;
  }
  if (store !== undefined && (options.store !== undefined || options.manager?.store !== undefined)) {
    void store.close();
    problems.push(
      new AuthError(
        'CONFIG_INVALID',
        `The kunci config names a store and the module options give one too (${options.store !== undefined ? 'store' : 'manager.store'}): keep one of them.`,
        { provider: KUNCI_NEST },
      ),
    );
    return undefined;
  }
  return store;
}

/**
 * The providers, managers and clients of the kunci config, by name. Built once at bootstrap (every
 * config problem in one CONFIG_INVALID); on application shutdown it closes every manager, detaches
 * the clients' interceptors and closes the clients' connections.
 */
export class KunciService implements OnApplicationShutdown {
  readonly #named: ReadonlyMap<string, Named>;
  /** The store the config names: the service made it, and closes it after the managers. */
  readonly #store: ConfiguredTokenStore | undefined;
  #closed = false;

  private constructor(named: ReadonlyMap<string, Named>, store: ConfiguredTokenStore | undefined) {
    this.#named = named;
    this.#store = store;
  }

  /**
   * Validates the options, the config, the store it names, and that every name in `injected` (the
   * names the application's classes inject, with those classes) is in the config; throws one
   * CONFIG_INVALID naming every problem.
   */
  static create(
    options: KunciModuleOptions,
    injected: ReadonlyMap<string, readonly string[]> | readonly string[] = [],
  ): KunciService {
    if (typeof options !== 'object' || options === null) {
      throw new AuthError('CONFIG_INVALID', 'The kunci module options must be an object with a "config".', {
        provider: KUNCI_NEST,
      });
    }
    const problems: AuthError[] = [];
    let providers: Record<string, TokenProvider> | undefined;
    try {
      providers =
        typeof options.config === 'string'
          ? createTokenProviders(options.config)
          : createTokenProviders(options.config);
    } catch (error) {
      if (!isConfigInvalid(error)) throw error;
      problems.push(error);
    }
    // With a bad entry, the names are the config's own: the other checks still run on them.
    const names = providers !== undefined ? Object.keys(providers) : configNames(options.config);
    const wanted: ReadonlyMap<string, readonly string[]> =
      injected instanceof Map ? injected : new Map((injected as readonly string[]).map((name) => [name, []]));
    const missing = [...wanted].filter(([name]) => !names.includes(name));
    if (missing.length > 0) {
      const by = [...new Set(missing.flatMap(([, classes]) => classes))];
      problems.push(
        new AuthError(
          'CONFIG_INVALID',
          `The kunci config names no provider ${quoted(missing.map(([name]) => name))}, which the application injects${by.length > 0 ? ` (in ${by.join(', ')})` : ''} (it names ${quoted(names)}).`,
          { provider: KUNCI_NEST },
        ),
      );
    }
    const strangers = Object.keys(options.managers ?? {}).filter((name) => !names.includes(name));
    if (strangers.length > 0) {
      problems.push(
        new AuthError(
          'CONFIG_INVALID',
          `managers has options for ${quoted(strangers)}, which the kunci config does not name.`,
          { provider: KUNCI_NEST },
        ),
      );
    }
    const store = configuredStore(
      options,
      providers !== undefined || rawConfig(options.config) !== undefined,
      problems,
    );
    const named = new Map<string, Named>();
    for (const name of names) {
      const own = options.managers?.[name];
      const managerOptions = {
        ...options.manager,
        ...own,
        store: own?.store ?? options.manager?.store ?? options.store ?? store,
      };
      const provider = providers?.[name];
      let manager: TokenManager;
      try {
        // A bad entry has no provider: its manager options are checked over a stand-in all the same.
        manager = new TokenManager(provider ?? standIn(name, options.config), managerOptions);
      } catch (error) {
        if (!isConfigInvalid(error)) throw error;
        problems.push(
          new AuthError('CONFIG_INVALID', `managers["${name}"]: ${error.message}`, { provider: KUNCI_NEST }),
        );
        continue;
      }
      if (provider === undefined) {
        void manager.close();
        continue;
      }
      const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
      // A provider without a base URL gets a client without one.
      const baseURL = provider.baseUrl;
      const client = axios.create({
        ...(baseURL !== undefined ? { baseURL } : {}),
        httpAgent: agents.http,
        httpsAgent: agents.https,
      });
      named.set(name, { provider, manager, client, detach: attachTokenManager(client, manager), agents });
    }
    const service = new KunciService(named, store);
    if (problems.length > 0) {
      void service.onApplicationShutdown();
      throw combined(problems);
    }
    return service;
  }

  /** Whether the config names this provider. */
  has(name: string): boolean {
    return this.#named.has(name);
  }

  /** The names of the config's providers, in the config's order. */
  names(): string[] {
    return [...this.#named.keys()];
  }

  /** The named provider's `TokenManager`. */
  manager(name: string): TokenManager {
    return this.#get(name).manager;
  }

  /** The named `TokenProvider`. */
  provider(name: string): TokenProvider {
    return this.#get(name).provider;
  }

  /** The named provider's axios instance, its requests authorized by the manager. */
  client(name: string): AxiosInstance {
    return this.#get(name).client;
  }

  #get(name: string): Named {
    const named = typeof name === 'string' ? this.#named.get(name) : undefined;
    if (named === undefined) {
      throw new AuthError(
        'CONFIG_INVALID',
        `The kunci config names no provider "${String(name)}" (it names ${quoted(this.#named.keys())}).`,
        { provider: KUNCI_NEST },
      );
    }
    return named;
  }

  /**
   * Closes every manager (later `getToken` calls reject), detaches the interceptors, ends the
   * clients' idle connections, then closes the store the config named.
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const named of this.#named.values()) {
      named.detach();
      named.agents.http.destroy();
      named.agents.https.destroy();
    }
    await Promise.all([...this.#named.values()].map((named) => named.manager.close()));
    await this.#store?.close();
  }
}
