import { createPublicKey } from 'node:crypto';
import type { ConfigReader } from '@kunci/core/emulator';
import { configError, loadPrivateKey, resolveSecret } from '@kunci/core/provider';
import type { ProviderConfig } from '@kunci/sdk';
import { driverOf, SANDBOX_PROVIDERS, type SandboxClient, type SandboxProvider } from './drivers';
import type { Mount } from './station';

/** What a provider's side needs to know of an application's config: its client, where it calls. */
export interface ConfigSide {
  provider: SandboxProvider;
  client: SandboxClient;
  /** `https://host:port` of baseUrl. */
  origin: string;
  mount: Mount;
  /** The config's identities and secrets, by the placeholder that stands for them in a fixture. */
  known: Readonly<Record<string, string>>;
}

/**
 * Reads an application's provider config as the provider sees it (its driver's `fromConfig`): the
 * client it registered (the public half of the private key, the secrets), the origin and the token
 * paths. Secret references (`env:`, `file:`) are resolved as kunci resolves them.
 */
export function configSide(config: ProviderConfig): ConfigSide {
  const driver = driverOf(config.provider);
  if (driver === undefined) throw configError('sandbox', [`provider must be one of ${SANDBOX_PROVIDERS.join(', ')}`]);
  const provider = driver.name as SandboxProvider;
  const fields = config as unknown as Readonly<Record<string, unknown>>;
  const secret = (field: string): string => {
    const reference = fields[field];
    const resolved =
      typeof reference === 'string' ? resolveSecret(reference) : { ok: false as const, problem: 'is missing' };
    if (!resolved.ok) throw configError(provider, [`${field} ${resolved.problem}`]);
    return resolved.value;
  };
  const read: ConfigReader = {
    secret,
    publicKey(field, passphraseField) {
      const passphrase = fields[passphraseField];
      const key = loadPrivateKey(secret(field), typeof passphrase === 'string' ? passphrase : undefined);
      if (!key.ok) throw configError(provider, [`${field} ${key.problem}`]);
      return createPublicKey(key.key);
    },
  };
  let url: URL;
  try {
    url = new URL(config.baseUrl);
  } catch {
    throw configError(provider, ['baseUrl must be an absolute URL']);
  }
  const { client, paths, known } = driver.fromConfig(fields, read);
  return {
    provider,
    origin: url.origin,
    client: { ...client, provider } as SandboxClient,
    mount: { provider, prefix: url.pathname.replace(/\/+$/, ''), paths },
    known,
  };
}
