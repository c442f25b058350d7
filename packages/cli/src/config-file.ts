import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { createPublicKey, createHash } from 'node:crypto';
import { configError, loadPrivateKey, resolveSecret } from '@kunci/core/provider';
import { createTokenProviders, type TokenProvider } from '@kunci/sdk';
import { UsageError } from './errors';
import type { Io } from './io';

export const DEFAULT_CONFIG = 'kunci.config.json';

export interface NamedProvider {
  name: string;
  path: string;
  provider: TokenProvider;
  /** The entry as written in the file (secret references unresolved). */
  entry: Record<string, unknown>;
}

/** One named provider of a config file; every entry is validated (CONFIG_INVALID names them). */
export function providerFromFile(io: Io, name: string, configPath: string | undefined): NamedProvider {
  const path = resolve(io.cwd, configPath ?? DEFAULT_CONFIG);
  const providers = createTokenProviders(path);
  const provider = Object.hasOwn(providers, name) ? providers[name] : undefined;
  if (provider === undefined) {
    throw new UsageError(
      `${path} has no provider named "${name}"; its providers: ${Object.keys(providers).join(', ')}`,
    );
  }
  const file = JSON.parse(readFileSync(path, 'utf8')) as { providers: Record<string, Record<string, unknown>> };
  return { name, path, provider, entry: file.providers[name] ?? {} };
}

export interface PublicHalf {
  pem: string;
  /** The SPKI DER in Base64, as Klikoo's dashboard asks for it. */
  base64: string;
  /** `SHA256:` and the Base64 of the SPKI DER's SHA-256. */
  fingerprint: string;
}

/** Reads a private key reference (value, `env:`, `file:` relative to `baseDir`) and returns its public half. */
export function publicHalf(
  reference: string,
  passphrase: string | undefined,
  env: NodeJS.ProcessEnv,
  baseDir: string,
  source: string,
): PublicHalf {
  const relative = reference.startsWith('file:') ? reference.slice(5).trim() : undefined;
  const anchored =
    relative !== undefined && relative !== '' && !isAbsolute(relative)
      ? `file:${resolve(baseDir, relative)}`
      : reference;
  const secret = resolveSecret(anchored, env);
  if (!secret.ok) throw configError(source, [`privateKey ${secret.problem}`]);
  const key = loadPrivateKey(secret.value, passphrase);
  if (!key.ok) throw configError(source, [`privateKey ${key.problem}`]);
  const publicKey = createPublicKey(key.key);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    base64: der.toString('base64'),
    fingerprint: `SHA256:${createHash('sha256').update(der).digest('base64')}`,
  };
}

export const configDir = (path: string): string => dirname(path);
