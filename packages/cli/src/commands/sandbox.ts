import { createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { resolveSecret } from '@kunci/core/provider';
import { ownKeyClients, SANDBOX_PROVIDERS, startSandbox, type OwnKeyClients, type Sandbox } from '@kunci/sandbox';
import { UsageError } from '../errors';
import { json } from '../format';
import type { Io } from '../io';
import { writePrivateFile } from '../secret-file';

export interface SandboxCommandOptions {
  port?: string;
  host?: string;
  configOut?: string;
  force?: boolean;
  publicKey?: string;
  json?: boolean;
}

/** Where the ready config goes: `--config-out` (checked before the sandbox starts), else a new private directory. */
function configPath(io: Io, options: SandboxCommandOptions): string {
  if (options.configOut === undefined) {
    if (options.force === true) throw new UsageError('--force only applies to --config-out');
    return join(mkdtempSync(join(tmpdir(), 'kunci-sandbox-')), 'kunci.config.json');
  }
  const path = resolve(io.cwd, options.configOut);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--config-out ${options.configOut}: the directory ${dir} does not exist`);
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UsageError(`--config-out ${options.configOut}: ${path} is a directory`);
  if (existsSync(path) && options.force !== true)
    throw new UsageError(`refusing to overwrite ${path}; choose another --config-out, or add --force to replace it`);
  return path;
}

/** Reads `--public-key` and asks the sandbox for clients holding it, with the config entries that use them. */
function ownKey(io: Io, reference: string): OwnKeyClients {
  const relative = reference.startsWith('file:') ? resolve(io.cwd, reference.slice(5).trim()) : undefined;
  const text = resolveSecret(relative !== undefined ? `file:${relative}` : reference, io.env);
  if (!text.ok) throw new UsageError(`--public-key ${text.problem}`);
  let publicKey: ReturnType<typeof createPublicKey>;
  try {
    publicKey = createPublicKey(
      text.value.includes('-----BEGIN')
        ? text.value
        : { key: Buffer.from(text.value.trim(), 'base64'), format: 'der', type: 'spki' },
    );
  } catch {
    throw new UsageError(
      '--public-key is not a readable public key (SPKI PEM, or its Base64 DER as public.base64.txt holds it)',
    );
  }
  if (publicKey.asymmetricKeyType !== 'rsa') throw new UsageError('--public-key must be an RSA public key');
  // Next to a public.pem from `kunci keygen` lies its private.pem; otherwise the entry reads a variable.
  const privateKeyPem = relative !== undefined ? join(dirname(relative), 'private.pem') : undefined;
  const privateKey =
    privateKeyPem !== undefined && existsSync(privateKeyPem) ? `file:${privateKeyPem}` : 'env:KUNCI_PRIVATE_KEY';
  return ownKeyClients({ publicKey, privateKey });
}

/**
 * Starts the sandbox and writes its config (secrets included, mode 0600) to `--config-out` or to a
 * new file of its own, whose path it prints: a private key never goes to the terminal. Every
 * problem with the options is found before the sandbox starts. The caller keeps it running until a
 * signal.
 */
export async function runSandbox(io: Io, options: SandboxCommandOptions): Promise<Sandbox> {
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be a whole number from 0 to 65535 (got ${options.port ?? ''})`);
  const own = options.publicKey !== undefined ? ownKey(io, options.publicKey) : undefined;
  const configOut = configPath(io, options);
  const sandbox = await startSandbox({
    port,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(own !== undefined ? { clients: own.clients } : {}),
  });
  const config = sandbox.config();
  const ownEntries = own?.entries((provider) => sandbox.baseUrl(provider)) ?? {};
  const providers: Record<string, unknown> = { ...config.providers, ...ownEntries };
  try {
    writePrivateFile(configOut, json({ ...config, providers }), options.force === true);
  } catch (error) {
    await sandbox.close();
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`--config-out ${configOut} cannot be written (${typeof code === 'string' ? code : 'error'})`);
  }
  const baseUrls = Object.fromEntries(SANDBOX_PROVIDERS.map((provider) => [provider, sandbox.baseUrl(provider)]));
  if (options.json === true) {
    io.out(`${JSON.stringify({ url: sandbox.url, baseUrls, configOut })}\n`);
    return sandbox;
  }
  io.out(`kunci sandbox listening on ${sandbox.url}\n`);
  for (const [provider, url] of Object.entries(baseUrls)) io.out(`  ${provider.padEnd(13)} ${url}\n`);
  io.out(`config (the generated credentials, mode 0600): ${configOut}\n`);
  const [first] = Object.keys(providers);
  if (first !== undefined) io.out(`  try: kunci token ${first} --config ${configOut}\n`);
  const ownNames = Object.keys(ownEntries);
  if (ownNames.length > 0) io.out(`  your public key is registered for the entries ${ownNames.join(', ')}\n`);
  io.out('Ctrl-C stops it.\n');
  return sandbox;
}
