import { createPublicKey, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { SandboxKeys } from '@kunci/core/emulator';
import { configError, loadPrivateKey } from '@kunci/core/provider';
import { driverOf, SANDBOX_PROVIDERS, type SandboxClient, type SandboxProvider } from './drivers';

/** The throwaway credentials a sandbox generates, by provider: what its `config()` hands to an application. */
export type GeneratedCredentials = ReadonlyMap<SandboxProvider, unknown>;

const generateRsa = promisify(generateKeyPair);

/** An RSA-2048 pair per call, or the one given every time (to spare the generation). */
export function sandboxKeys(givenPem: string | undefined): SandboxKeys {
  if (givenPem === undefined) {
    return {
      async rsa() {
        const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
        return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
      },
    };
  }
  const loaded = loadPrivateKey(givenPem);
  if (!loaded.ok) throw configError('sandbox', [`privateKey ${loaded.problem}`]);
  const pair = {
    privateKeyPem: loaded.key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: createPublicKey(loaded.key),
  };
  return { rsa: () => Promise.resolve(pair) };
}

/** Each provider's driver generates its client (with the key given, or fresh RSA pairs). */
export async function generateCredentials(privateKeyPem?: string): Promise<GeneratedCredentials> {
  const keys = sandboxKeys(privateKeyPem);
  const generated = await Promise.all(
    SANDBOX_PROVIDERS.map(async (name) => [name, await (driverOf(name)?.generate(keys) ?? {})] as const),
  );
  return new Map(generated);
}

/** The clients the generated credentials register. */
export function generatedClients(credentials: GeneratedCredentials): SandboxClient[] {
  return [...credentials].flatMap(([provider, generated]) =>
    (driverOf(provider)?.clients(generated) ?? []).map((client) => ({ ...client, provider }) as SandboxClient),
  );
}
