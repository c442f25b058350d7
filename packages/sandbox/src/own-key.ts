import type { OwnKey } from '@kunci/core/emulator';
import { driverOf, SANDBOX_PROVIDERS, type SandboxClient, type SandboxProvider } from './drivers';

export type { OwnKey } from '@kunci/core/emulator';

/** Clients holding a caller's own public key, one per provider that signs with a key, and the config entries they make. */
export interface OwnKeyClients {
  /** For `startSandbox({ clients })`. */
  clients: SandboxClient[];
  /** The config entries (`<provider>-own-key`), each on its provider's base URL. */
  entries(baseUrl: (provider: SandboxProvider) => string): Record<string, object>;
}

/** Asks each driver that offers it for a client with the caller's key (the private key stays a reference in the config). */
export function ownKeyClients(key: OwnKey): OwnKeyClients {
  const made = SANDBOX_PROVIDERS.flatMap((provider) => {
    const driver = driverOf(provider);
    const credentials = driver?.withOwnKey?.(key);
    return driver === undefined || credentials === undefined ? [] : [{ provider, driver, credentials }];
  });
  return {
    clients: made.flatMap(({ provider, driver, credentials }) =>
      driver.clients(credentials).map((client) => ({ ...client, provider }) as SandboxClient),
    ),
    entries: (baseUrl) =>
      Object.fromEntries(
        made.map(({ provider, driver, credentials }) => [
          `${provider}-own-key`,
          driver.config(credentials, baseUrl(provider)),
        ]),
      ),
  };
}
