import { dirname, isAbsolute, resolve } from 'node:path';
import { createPublicKey, createHash } from 'node:crypto';
import { AuthError, isAuthError } from '@kunci/core';
import { configError, isObject, loadPrivateKey, readJsonFile, resolveSecret } from '@kunci/core/provider';
import { createTokenProviders, type KunciConfig, type TokenProvider } from '@kunci/sdk';
import { UsageError } from './errors';
import type { Io } from './io';

export const DEFAULT_CONFIG = 'kunci.config.json';
const KUNCI = 'kunci';

export interface NamedProvider {
  name: string;
  path: string;
  provider: TokenProvider;
  /** The entry as written in the file (secret references unresolved). */
  entry: Record<string, unknown>;
  /** Whether the file names a shared token store (`"store": { "redis": … }`). */
  hasStore: boolean;
}

/** A `file:` reference relative to the config file's directory, as a reader of the file expects. */
function anchored(value: unknown, baseDir: string): unknown {
  const relative = typeof value === 'string' && value.startsWith('file:') ? value.slice(5).trim() : undefined;
  return relative !== undefined && relative !== '' && !isAbsolute(relative)
    ? `file:${resolve(baseDir, relative)}`
    : value;
}

function readJson(path: string): unknown {
  const read = readJsonFile(path);
  if (!read.ok) throw configError(KUNCI, [`the config file ${path} ${read.problem}`]);
  return read.value;
}

/**
 * One named provider of a config file. Only that entry (and the file's store) is validated: the
 * other entries may be unfinished while one provider is onboarded.
 */
export function providerFromFile(io: Io, name: string, configPath: string | undefined): NamedProvider {
  const path = resolve(io.cwd, configPath ?? DEFAULT_CONFIG);
  const file = readJson(path);
  // A file of the wrong shape: the sdk's reading names every problem of it.
  if (!isObject(file) || !isObject(file.providers)) createTokenProviders(path);
  const providers = (file as { providers: Record<string, unknown> }).providers;
  const entry = Object.hasOwn(providers, name) ? providers[name] : undefined;
  if (entry === undefined) {
    throw new UsageError(
      `${path} has no provider named "${name}"; its providers: ${Object.keys(providers).join(', ') || '(none)'}`,
    );
  }
  const store = (file as { store?: unknown }).store;
  const one = isObject(entry)
    ? Object.fromEntries(Object.entries(entry).map(([field, value]) => [field, anchored(value, dirname(path))]))
    : entry;
  let provider: TokenProvider | undefined;
  try {
    provider = createTokenProviders({
      providers: { [name]: one },
      ...(store !== undefined ? { store } : {}),
    } as KunciConfig)[name];
  } catch (error) {
    if (!isAuthError(error) || error.code !== 'CONFIG_INVALID') throw error;
    throw new AuthError(
      'CONFIG_INVALID',
      error.message.replace(/^The kunci config /, `The kunci config file ${path} `),
      {
        provider: error.provider,
      },
    );
  }
  if (provider === undefined) throw new UsageError(`${path} has no provider named "${name}"`);
  return { name, path, provider, entry: isObject(entry) ? entry : {}, hasStore: store !== undefined };
}

export interface PublicHalf {
  pem: string;
  /** The SPKI DER in Base64, on one line (a form some dashboards ask for). */
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
  const secret = resolveSecret(anchored(reference, baseDir) as string, env);
  if (!secret.ok) throw configError(source, [`privateKey ${secret.problem}`]);
  const pass = passphrase !== undefined ? resolveSecret(anchored(passphrase, baseDir) as string, env) : undefined;
  if (pass !== undefined && !pass.ok) throw configError(source, [`privateKeyPassphrase ${pass.problem}`]);
  const key = loadPrivateKey(secret.value, pass?.value.trim());
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
