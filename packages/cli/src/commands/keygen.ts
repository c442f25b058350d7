import { createHash, generateKeyPair } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../errors';
import { json } from '../format';
import { progress, type Io } from '../io';
import { writePrivateFile } from '../secret-file';

export const KEY_FILES = Object.freeze({
  privateKey: 'private.pem',
  publicKey: 'public.pem',
  publicKeyBase64: 'public.base64.txt',
});

export interface KeygenOptions {
  out?: string;
  json?: boolean;
}

/** An RSA-2048 pair: PKCS#8 private key (0600), SPKI public key, and its Base64 form. Never overwrites. */
export async function runKeygen(io: Io, options: KeygenOptions): Promise<void> {
  const dir = resolve(io.cwd, options.out ?? '.');
  const paths = Object.fromEntries(Object.entries(KEY_FILES).map(([kind, file]) => [kind, join(dir, file)])) as Record<
    keyof typeof KEY_FILES,
    string
  >;
  const existing = Object.values(paths).filter((path) => existsSync(path));
  if (existing.length > 0)
    throw new UsageError(`refusing to overwrite ${existing.join(', ')}; choose another --out directory`);
  progress(io, 'generating an RSA-2048 key pair');
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const base64 = der.toString('base64');
  const fingerprint = `SHA256:${createHash('sha256').update(der).digest('base64')}`;
  mkdirSync(dir, { recursive: true });
  writePrivateFile(paths.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), false);
  writeFileSync(paths.publicKey, publicKey.export({ type: 'spki', format: 'pem' }).toString(), { flag: 'wx' });
  writeFileSync(paths.publicKeyBase64, `${base64}\n`, { flag: 'wx' });
  if (options.json === true) {
    io.out(json({ ...paths, fingerprint, publicKeyBase64Value: base64 }));
    return;
  }
  io.out(`private key (PKCS#8, mode 0600): ${paths.privateKey}\n`);
  io.out(`public key (SPKI PEM):           ${paths.publicKey}\n`);
  io.out(`public key (Base64):             ${paths.publicKeyBase64}\n`);
  io.out(`fingerprint:                     ${fingerprint}\n`);
  io.out(`Register the public key with the provider; point privateKey at file:${paths.privateKey}\n`);
}
