import { generateCredentials, generatedClients, type GeneratedCredentials } from './credentials';
import {
  driverOf,
  SANDBOX_PROVIDERS,
  type SandboxClient,
  type SandboxProvider,
  type SandboxProviderConfigs,
} from './drivers';
import type { Fault } from './faults';
import { serveStation, type StationServer } from './server';
import { Station, type CountFilter, type SandboxRequest } from './station';

/** Each provider's base URL is the sandbox URL plus its name: their token paths would collide otherwise. */
export const SANDBOX_BASE_PATHS: Readonly<Record<SandboxProvider, string>> = Object.freeze(
  Object.fromEntries(SANDBOX_PROVIDERS.map((name) => [name, `/${name}`])) as Record<SandboxProvider, string>,
);

export interface SandboxOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a free port chosen by the OS. */
  port?: number;
  /** Clients to accept besides the generated ones (registered public keys, merchant secrets). */
  clients?: readonly SandboxClient[];
  /** A private key (PEM) for the generated clients that sign, instead of generating RSA pairs. */
  privateKey?: string;
  /** Lifetime of the tokens issued. Default 900 (the providers' 15 minutes). */
  tokenLifetimeSeconds?: number;
  /** The sandbox's clock, epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** In [0, 1), for faults with a `rate`. Default `Math.random`. */
  random?: () => number;
}

/** `sandbox.config()`: a `kunci.config.json` with one entry per provider, named after it. */
export interface SandboxConfig {
  providers: SandboxProviderConfigs;
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>`; each provider lives under its name (`SANDBOX_BASE_PATHS`). */
  readonly url: string;
  /** The base URL to configure for one provider. */
  baseUrl(provider: SandboxProvider): string;
  /**
   * The generated credentials as a ready config (secrets included: keep it out of logs). A
   * provider with several profiles gives the one named in `profiles` (`{ snap: 'dana' }`).
   */
  config(profiles?: Partial<Record<SandboxProvider, string>>): SandboxConfig;
  register(client: SandboxClient): void;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** The requests served, oldest first, each with its verdict. */
  readonly requests: readonly SandboxRequest[];
  count(filter?: CountFilter): number;
  /** Stops the server and ends every connection; the process can exit afterwards. */
  close(): Promise<void>;
}

class RunningSandbox implements Sandbox {
  readonly #station: Station;
  readonly #server: StationServer;
  readonly #credentials: GeneratedCredentials;

  constructor(station: Station, server: StationServer, credentials: GeneratedCredentials) {
    this.#station = station;
    this.#server = server;
    this.#credentials = credentials;
  }

  get url(): string {
    return this.#server.url;
  }

  get requests(): readonly SandboxRequest[] {
    return this.#station.requests;
  }

  baseUrl(provider: SandboxProvider): string {
    return `${this.url}${SANDBOX_BASE_PATHS[provider]}`;
  }

  config(profiles: Partial<Record<SandboxProvider, string>> = {}): SandboxConfig {
    const providers = SANDBOX_PROVIDERS.map((name) => [
      name,
      driverOf(name)?.config(this.#credentials.get(name), this.baseUrl(name), profiles[name]),
    ]);
    return { providers: Object.fromEntries(providers) as SandboxProviderConfigs };
  }

  register(client: SandboxClient): void {
    this.#station.register(client);
  }

  inject(fault: Fault): void {
    this.#station.faults.add(fault);
  }

  clearFaults(): void {
    this.#station.faults.clear();
  }

  count(filter?: CountFilter): number {
    return this.#station.count(filter);
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  toJSON(): Record<string, unknown> {
    return { url: this.url };
  }
}

/**
 * One HTTP server on loopback that plays every provider of `SANDBOX_PROVIDERS` with throwaway
 * credentials: `createTokenProviders(sandbox.config())` works at once.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const credentials = await generateCredentials(options.privateKey);
  const station = new Station({
    mounts: SANDBOX_PROVIDERS.map((provider) => ({ provider, prefix: SANDBOX_BASE_PATHS[provider] })),
    clients: [...generatedClients(credentials), ...(options.clients ?? [])],
    clock: options.clock ?? Date.now,
    random: options.random ?? Math.random,
    ...(options.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
  });
  const server = await serveStation(station, options.host ?? '127.0.0.1', options.port ?? 0);
  return new RunningSandbox(station, server, credentials);
}
