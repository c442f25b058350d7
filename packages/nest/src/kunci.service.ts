import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { OnApplicationShutdown } from '@nestjs/common';
import axios, { type AxiosInstance } from 'axios';
import { AuthError, attachTokenManager, isAuthError, TokenManager, type TokenProvider } from '@kunci/core';
import { createTokenProviders } from '@kunci/sdk';
import type { KunciModuleOptions } from './options';
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

/**
 * The providers, managers and clients of the kunci config, by name. Built once at bootstrap (every
 * config problem in one CONFIG_INVALID); on application shutdown it closes every manager, detaches
 * the clients' interceptors and closes the clients' connections.
 */
export class KunciService implements OnApplicationShutdown {
  readonly #named: ReadonlyMap<string, Named>;
  #closed = false;

  private constructor(named: ReadonlyMap<string, Named>) {
    this.#named = named;
  }

  /**
   * Validates the options, and that every name in `required` (the names the Inject* decorators
   * were given) is in the config; throws one CONFIG_INVALID naming every problem.
   */
  static create(options: KunciModuleOptions, required: readonly string[] = []): KunciService {
    if (typeof options !== 'object' || options === null) {
      throw new AuthError('CONFIG_INVALID', 'The kunci module options must be an object with a "config".', {
        provider: KUNCI_NEST,
      });
    }
    const providers =
      typeof options.config === 'string' ? createTokenProviders(options.config) : createTokenProviders(options.config);
    const names = Object.keys(providers);
    const problems: AuthError[] = [];
    const missing = required.filter((name) => !names.includes(name));
    if (missing.length > 0) {
      problems.push(
        new AuthError(
          'CONFIG_INVALID',
          `The kunci config names no provider ${quoted(missing)}, which the application injects (it names ${quoted(names)}).`,
          {
            provider: KUNCI_NEST,
          },
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
    const named = new Map<string, Named>();
    for (const name of names) {
      const provider = providers[name] as TokenProvider;
      let manager: TokenManager;
      try {
        const own = options.managers?.[name];
        manager = new TokenManager(provider, {
          ...options.manager,
          ...own,
          store: own?.store ?? options.manager?.store ?? options.store,
        });
      } catch (error) {
        if (!isAuthError(error) || error.code !== 'CONFIG_INVALID') throw error;
        problems.push(
          new AuthError('CONFIG_INVALID', `managers["${name}"]: ${error.message}`, { provider: KUNCI_NEST }),
        );
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
    const service = new KunciService(named);
    if (problems.length > 0) {
      void service.onApplicationShutdown();
      throw combined(problems);
    }
    return service;
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

  /** Closes every manager (later `getToken` calls reject), detaches the interceptors and ends the clients' idle connections. */
  async onApplicationShutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const named of this.#named.values()) {
      named.detach();
      named.agents.http.destroy();
      named.agents.https.destroy();
    }
    await Promise.all([...this.#named.values()].map((named) => named.manager.close()));
  }
}
