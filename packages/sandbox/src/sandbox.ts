import type { NotificationVariant } from '@kunci/core/emulator';
import type { InboundConfig } from '@kunci/inbound';
import { generateCredentials, generatedClients, sandboxKeys, type GeneratedCredentials } from './credentials';
import {
  driverOf,
  SANDBOX_PROVIDERS,
  type SandboxClient,
  type SandboxProvider,
  type SandboxProviderConfigs,
} from './drivers';
import type { Fault } from './faults';
import {
  inboundConfigOf,
  notifierOf,
  notifyCredentials,
  sendNotification,
  type NotifyOptions,
  type NotifyResult,
} from './notify';
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
  /**
   * A private key (PEM) for the generated clients that sign (and the provider side of
   * notifications), instead of generating RSA pairs.
   */
  privateKey?: string;
  /**
   * Without `privateKey`, each signing client (and notifier) gets an RSA-2048 pair generated the
   * first time a sandbox of this process needs it, and every later sandbox of the process reuses
   * it (a generation costs ~150 ms of CPU): two sandboxes' clients differ by their ids and secrets,
   * not their keys. `true` generates new pairs for this sandbox, for a test that needs one
   * sandbox's key refused by another. Default false.
   */
  freshKeys?: boolean;
  /** Lifetime of the tokens issued. Default 900 (the providers' 15 minutes). */
  tokenLifetimeSeconds?: number;
  /** The sandbox's clock, epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** In [0, 1), for faults with a `rate`. Default `Math.random`. */
  random?: () => number;
  /**
   * The provider side's notification credentials of an earlier run (`sandbox.notifyCredentials`),
   * by provider: a backend configured with that run's `inboundConfig` keeps accepting. Default: generated.
   */
  notifyCredentials?: Partial<Record<SandboxProvider, unknown>> | undefined;
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
  /**
   * Plays the provider's side: sends one signed notification (a symmetric scheme asks the
   * backend's token route first), or a bad variant of it, to the backend's route, and reports the
   * answers and whether each was the right one. Rejects only on bad options (CONFIG_INVALID).
   */
  notify(options: NotifyOptions): Promise<NotifyResult>;
  /** The variants that mean something for a provider's scheme (default its first). */
  notificationVariants(provider: SandboxProvider, scheme?: string): readonly NotificationVariant[];
  /** The `createInbound` config a backend verifies the sandbox's notifications with (secrets included). */
  inboundConfig(provider: SandboxProvider, scheme?: string): InboundConfig;
  /** The provider side's notification credentials (private key included), to start a later sandbox with. */
  notifyCredentials(provider: SandboxProvider): unknown;
  /** Stops the server and ends every connection; the process can exit afterwards. */
  close(): Promise<void>;
}

class RunningSandbox implements Sandbox {
  readonly #station: Station;
  readonly #server: StationServer;
  readonly #credentials: GeneratedCredentials;
  readonly #notifyCredentials: ReadonlyMap<SandboxProvider, unknown>;
  readonly #clock: () => number;

  constructor(
    station: Station,
    server: StationServer,
    credentials: GeneratedCredentials,
    notify: { credentials: ReadonlyMap<SandboxProvider, unknown>; clock: () => number },
  ) {
    this.#station = station;
    this.#server = server;
    this.#credentials = credentials;
    this.#notifyCredentials = notify.credentials;
    this.#clock = notify.clock;
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

  notify(options: NotifyOptions): Promise<NotifyResult> {
    return sendNotification(options, (provider) => this.#notifyCredentials.get(provider), this.#clock());
  }

  notificationVariants(provider: SandboxProvider, scheme?: string): readonly NotificationVariant[] {
    const chosen = notifierOf(provider, scheme);
    return chosen.notifier.variants(chosen.scheme);
  }

  inboundConfig(provider: SandboxProvider, scheme?: string): InboundConfig {
    return inboundConfigOf(provider, scheme, this.#notifyCredentials.get(provider));
  }

  notifyCredentials(provider: SandboxProvider): unknown {
    notifierOf(provider, undefined);
    return this.#notifyCredentials.get(provider);
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
  const keysOf = sandboxKeys({ privateKey: options.privateKey, fresh: options.freshKeys });
  const [credentials, notify] = await Promise.all([
    generateCredentials(keysOf),
    notifyCredentials(keysOf, options.notifyCredentials),
  ]);
  const station = new Station({
    mounts: SANDBOX_PROVIDERS.map((provider) => ({ provider, prefix: SANDBOX_BASE_PATHS[provider] })),
    clients: [...generatedClients(credentials), ...(options.clients ?? [])],
    clock: options.clock ?? Date.now,
    random: options.random ?? Math.random,
    ...(options.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
  });
  const server = await serveStation(station, options.host ?? '127.0.0.1', options.port ?? 0);
  return new RunningSandbox(station, server, credentials, { credentials: notify, clock: options.clock ?? Date.now });
}
