import { createPublicKey, generateKeyPair, randomBytes, randomInt, randomUUID, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { configError, loadPrivateKey } from '@kunci/core/provider';

export type SandboxProvider = 'pivot-snap' | 'pivot-legacy' | 'klikoo';

export const SANDBOX_PROVIDERS: readonly SandboxProvider[] = Object.freeze(['pivot-snap', 'pivot-legacy', 'klikoo']);

/** A client the sandbox accepts: the credentials a provider would hold for it after onboarding. */
export type SandboxClient =
  | {
      provider: 'pivot-snap';
      clientId: string;
      publicKey: KeyObject | string;
      /** The HMAC key of its signed API calls (X-SIGNATURE); without it, its API calls are refused. */
      clientSecret?: string;
      /** Its X-PARTNER-ID; default clientId. */
      partnerId?: string;
    }
  | { provider: 'pivot-legacy'; merchantId: string; merchantSecret: string }
  | { provider: 'klikoo'; clientId: string; clientSecret: string; publicKey: KeyObject | string };

/** The throwaway credentials a sandbox generates: what its `config()` hands to an application. */
export interface GeneratedCredentials {
  snap: { clientId: string; clientSecret: string; channelId: string; privateKeyPem: string; publicKey: KeyObject };
  legacy: { merchantId: string; merchantSecret: string };
  klikoo: { clientId: string; clientSecret: string; privateKeyPem: string; publicKey: KeyObject };
}

const generateRsa = promisify(generateKeyPair);

async function rsaPair(givenPem: string | undefined): Promise<{ privateKeyPem: string; publicKey: KeyObject }> {
  if (givenPem !== undefined) {
    const loaded = loadPrivateKey(givenPem);
    if (!loaded.ok) throw configError('sandbox', [`privateKey ${loaded.problem}`]);
    return {
      privateKeyPem: loaded.key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: createPublicKey(loaded.key),
    };
  }
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

/**
 * An RSA-2048 pair for each signed provider (or the one given, to spare the generation), a Pivot
 * client id with the client secret and channel id of its API calls, a legacy merchant id and
 * secret, a Klikoo UUID v4 client id and 32-character secret.
 */
export async function generateCredentials(privateKeyPem?: string): Promise<GeneratedCredentials> {
  const [snapKey, klikooKey] = await Promise.all([rsaPair(privateKeyPem), rsaPair(privateKeyPem)]);
  return {
    snap: {
      clientId: `sandbox-${randomBytes(6).toString('hex')}`,
      clientSecret: randomBytes(24).toString('base64url'),
      channelId: String(10_000 + randomInt(90_000)),
      ...snapKey,
    },
    legacy: {
      merchantId: `M-SANDBOX-${randomBytes(4).toString('hex').toUpperCase()}`,
      merchantSecret: randomBytes(24).toString('base64url'),
    },
    klikoo: { clientId: randomUUID(), clientSecret: randomBytes(16).toString('hex'), ...klikooKey },
  };
}

export function generatedClients(credentials: GeneratedCredentials): SandboxClient[] {
  return [
    {
      provider: 'pivot-snap',
      clientId: credentials.snap.clientId,
      publicKey: credentials.snap.publicKey,
      clientSecret: credentials.snap.clientSecret,
    },
    { provider: 'pivot-legacy', ...credentials.legacy },
    {
      provider: 'klikoo',
      clientId: credentials.klikoo.clientId,
      clientSecret: credentials.klikoo.clientSecret,
      publicKey: credentials.klikoo.publicKey,
    },
  ];
}
