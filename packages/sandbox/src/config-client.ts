import { createPublicKey } from 'node:crypto';
import { configError, loadPrivateKey, resolveSecret } from '@kunci/core/provider';
import type { ProviderConfig } from '@kunci/sdk';
import { SANDBOX_PROVIDERS, type SandboxClient, type SandboxProvider } from './credentials';
import type { Mount } from './station';

/** What a provider's side needs to know of an application's config: its client, where it calls. */
export interface ConfigSide {
  provider: SandboxProvider;
  client: SandboxClient;
  /** `https://host:port` of baseUrl. */
  origin: string;
  mount: Mount;
}

/**
 * Reads an application's provider config as the provider sees it: the client it registered (the
 * public half of the private key, the secrets), the origin and the token paths. Secret references
 * (`env:`, `file:`) are resolved as kunci resolves them.
 */
export function configSide(config: ProviderConfig): ConfigSide {
  const provider = config.provider;
  if (!SANDBOX_PROVIDERS.includes(provider))
    throw configError('sandbox', [`provider must be one of ${SANDBOX_PROVIDERS.join(', ')}`]);
  const secret = (field: string, reference: unknown): string => {
    const resolved =
      typeof reference === 'string' ? resolveSecret(reference) : { ok: false as const, problem: 'is missing' };
    if (!resolved.ok) throw configError(provider, [`${field} ${resolved.problem}`]);
    return resolved.value;
  };
  const publicKey = (reference: unknown, passphrase: unknown) => {
    const key = loadPrivateKey(
      secret('privateKey', reference),
      typeof passphrase === 'string' ? passphrase : undefined,
    );
    if (!key.ok) throw configError(provider, [`privateKey ${key.problem}`]);
    return createPublicKey(key.key);
  };
  let url: URL;
  try {
    url = new URL(config.baseUrl);
  } catch {
    throw configError(provider, ['baseUrl must be an absolute URL']);
  }
  const prefix = url.pathname.replace(/\/+$/, '');
  switch (config.provider) {
    case 'pivot-snap':
      return {
        provider,
        origin: url.origin,
        client: {
          provider: 'pivot-snap',
          clientId: config.clientId,
          publicKey: publicKey(config.privateKey, config.privateKeyPassphrase),
          ...(config.clientSecret !== undefined ? { clientSecret: secret('clientSecret', config.clientSecret) } : {}),
          ...(config.partnerId !== undefined ? { partnerId: config.partnerId } : {}),
        },
        mount: { provider, prefix, ...(config.paths !== undefined ? { paths: { ...config.paths } } : {}) },
      };
    case 'pivot-legacy':
      return {
        provider,
        origin: url.origin,
        client: {
          provider: 'pivot-legacy',
          merchantId: config.merchantId,
          merchantSecret: secret('merchantSecret', config.merchantSecret),
        },
        mount: { provider, prefix, ...(config.path !== undefined ? { paths: { path: config.path } } : {}) },
      };
    case 'klikoo':
      return {
        provider,
        origin: url.origin,
        client: {
          provider: 'klikoo',
          clientId: config.clientId,
          clientSecret: secret('clientSecret', config.clientSecret),
          publicKey: publicKey(config.privateKey, config.privateKeyPassphrase),
        },
        mount: { provider, prefix, ...(config.path !== undefined ? { paths: { path: config.path } } : {}) },
      };
  }
}
