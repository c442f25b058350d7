import { randomBytes, randomInt, type KeyObject } from 'node:crypto';
import type { EmulatorDriver } from '@kunci/core/emulator';
import { snapClientFromConfig, snapGatewayError } from '@kunci/snap/emulator';
import { PIVOT_SNAP } from './codes';
import { createPivotSnapEmulator, type PivotSnapEmulatorClient } from './emulator';
import { pivotSnapNotifier } from './notifier';

/** The sandbox's Pivot SNAP client: its id, the secret and channel of its API calls, an RSA pair. */
export interface PivotSnapSandboxCredentials {
  clientId: string;
  clientSecret: string;
  channelId: string;
  /** The config's `privateKey`: the PEM, or a reference to the caller's own key. */
  privateKeyPem: string;
  publicKey: KeyObject;
}

/** The config a sandbox's Pivot SNAP client makes. */
export interface PivotSnapSandboxConfig {
  provider: typeof PIVOT_SNAP;
  baseUrl: string;
  clientId: string;
  privateKey: string;
  clientSecret: string;
  channelId: string;
}

/** A new client id, secret and channel with this key pair (`privateKeyPem`: the config's `privateKey`, a PEM or a reference). */
function withKey(publicKey: KeyObject, privateKeyPem: string): PivotSnapSandboxCredentials {
  return {
    clientId: `sandbox-${randomBytes(6).toString('hex')}`,
    clientSecret: randomBytes(24).toString('base64url'),
    channelId: String(10_000 + randomInt(90_000)),
    privateKeyPem,
    publicKey,
  };
}

/** Pivot SNAP's side, for the sandbox: its emulator, its error answers, its throwaway client. */
export const pivotSnapDriver: EmulatorDriver<
  typeof PIVOT_SNAP,
  PivotSnapEmulatorClient,
  PivotSnapSandboxCredentials,
  PivotSnapSandboxConfig
> = {
  name: PIVOT_SNAP,
  emulator: (clients, settings) =>
    createPivotSnapEmulator({
      clients,
      clock: settings.clock,
      ...(settings.authCodePattern !== undefined ? { authCodePattern: settings.authCodePattern } : {}),
      ...(settings.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: settings.tokenLifetimeSeconds } : {}),
      ...(settings.paths !== undefined
        ? {
            paths: {
              ...(settings.paths.b2b !== undefined ? { b2b: settings.paths.b2b } : {}),
              ...(settings.paths.b2b2c !== undefined ? { b2b2c: settings.paths.b2b2c } : {}),
            },
          }
        : {}),
    }),
  errorAnswer: snapGatewayError,
  truncatedSuccess: '{"responseCode":"2007300","responseMessage":"Successful","accessToken":"eyJhbGciOi',
  generate: async (keys) => {
    const { privateKeyPem, publicKey } = await keys.rsa();
    return withKey(publicKey, privateKeyPem);
  },
  withOwnKey: (key) => withKey(key.publicKey, key.privateKey),
  clients: (credentials) => [
    { clientId: credentials.clientId, publicKey: credentials.publicKey, clientSecret: credentials.clientSecret },
  ],
  config: (credentials, baseUrl) => ({
    provider: PIVOT_SNAP,
    baseUrl,
    clientId: credentials.clientId,
    privateKey: credentials.privateKeyPem,
    clientSecret: credentials.clientSecret,
    channelId: credentials.channelId,
  }),
  fromConfig: snapClientFromConfig,
  notifier: pivotSnapNotifier,
};
