import { createPublicKey, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { SandboxKeys } from '@kunci/core/emulator';
import { configError, loadPrivateKey } from '@kunci/core/provider';
import { driverOf, SANDBOX_PROVIDERS, type SandboxClient, type SandboxProvider } from './drivers';

/** The throwaway credentials a sandbox generates, by provider: what its `config()` hands to an application. */
export type GeneratedCredentials = ReadonlyMap<SandboxProvider, unknown>;

/** Where a sandbox's RSA pairs come from (`SandboxOptions.privateKey`, `SandboxOptions.freshKeys`). */
export interface KeySource {
  /** A private key (PEM) used for every pair instead of generating. */
  privateKey?: string | undefined;
  /** New pairs for this sandbox instead of the ones the process generated before. */
  fresh?: boolean | undefined;
}

type RsaPair = Awaited<ReturnType<SandboxKeys['rsa']>>;

const generateRsa = promisify(generateKeyPair);

async function newPair(): Promise<RsaPair> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

/**
 * The pairs generated so far in this process, by role: an RSA-2048 generation costs ~150 ms of CPU,
 * and a process that starts many sandboxes (a test suite) needs no new pair for each. A role is a
 * client's or a notifier's provider and the rank of its request, so the clients of one sandbox
 * keep distinct pairs, as they would with fresh ones.
 */
const processPairs = new Map<string, Promise<RsaPair>>();

function processPair(role: string): Promise<RsaPair> {
  const kept = processPairs.get(role);
  if (kept !== undefined) return kept;
  const pair = newPair();
  processPairs.set(role, pair);
  // A generation that failed is not kept: the next sandbox tries again.
  pair.catch(() => processPairs.delete(role));
  return pair;
}

/** A role's RSA pairs: `role` names the client or notifier asking (`client:klikoo`, `notifier:pivot-snap`). */
export type SandboxKeysOf = (role: string) => SandboxKeys;

/**
 * Where each role gets its RSA pairs: the given key every time (loaded once: CONFIG_INVALID when
 * unreadable); or a new pair per request (`fresh`); or by default the pairs this process generated
 * for that role before, generated on first need.
 */
export function sandboxKeys(source: KeySource): SandboxKeysOf {
  if (source.privateKey !== undefined) {
    const loaded = loadPrivateKey(source.privateKey);
    if (!loaded.ok) throw configError('sandbox', [`privateKey ${loaded.problem}`]);
    const pair: RsaPair = {
      privateKeyPem: loaded.key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: createPublicKey(loaded.key),
    };
    return () => ({ rsa: () => Promise.resolve(pair) });
  }
  if (source.fresh === true) return () => ({ rsa: newPair });
  return (role) => {
    let requests = 0;
    return { rsa: () => processPair(`${role}#${requests++}`) };
  };
}

/** Each provider's driver generates its client, with the RSA pairs of its role. */
export async function generateCredentials(keysOf: SandboxKeysOf): Promise<GeneratedCredentials> {
  const generated = await Promise.all(
    SANDBOX_PROVIDERS.map(
      async (name) => [name, await (driverOf(name)?.generate(keysOf(`client:${name}`)) ?? {})] as const,
    ),
  );
  return new Map(generated);
}

/** The clients the generated credentials register. */
export function generatedClients(credentials: GeneratedCredentials): SandboxClient[] {
  return [...credentials].flatMap(([provider, generated]) =>
    (driverOf(provider)?.clients(generated) ?? []).map((client) => ({ ...client, provider }) as SandboxClient),
  );
}
