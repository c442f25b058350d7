import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { EmulatorDriver } from '@kunci/core/emulator';
import { KLIKOO } from './codes';
import { klikooError } from './errors';
import { createKlikooEmulator, type KlikooEmulatorClient } from './emulator';

/** The sandbox's Klikoo client: a UUID v4 id, a 32-character secret, an RSA pair. */
export interface KlikooSandboxCredentials {
  clientId: string;
  clientSecret: string;
  /** The config's `privateKey`: the PEM, or a reference to the caller's own key. */
  privateKeyPem: string;
  publicKey: KeyObject;
}

/** The config a sandbox's Klikoo client makes. */
export interface KlikooSandboxConfig {
  provider: typeof KLIKOO;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  privateKey: string;
}

/** What a gateway answers for a status of its own (a fault), with the Auth table's codes where it has one. */
const GATEWAY_CODES: Readonly<Record<number, string>> = {
  400: '400016510',
  401: '401016570',
  403: '403016571',
};

/** A new client id and secret with this key pair (`privateKeyPem`: the config's `privateKey`, a PEM or a reference). */
function withKey(publicKey: KeyObject, privateKeyPem: string): KlikooSandboxCredentials {
  return { clientId: randomUUID(), clientSecret: randomBytes(16).toString('hex'), privateKeyPem, publicKey };
}

/** Klikoo's side, for the sandbox: its emulator, its error answers, its throwaway client. */
export const klikooDriver: EmulatorDriver<
  typeof KLIKOO,
  KlikooEmulatorClient,
  KlikooSandboxCredentials,
  KlikooSandboxConfig
> = {
  name: KLIKOO,
  emulator: (clients, settings) =>
    createKlikooEmulator({
      clients,
      clock: settings.clock,
      ...(settings.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: settings.tokenLifetimeSeconds } : {}),
      ...(settings.paths?.b2b !== undefined ? { path: settings.paths.b2b } : {}),
    }),
  errorAnswer(status) {
    const known = GATEWAY_CODES[status];
    if (known !== undefined) return klikooError(known);
    if (status === 429) return klikooError('429010000', 'Terlalu banyak permintaan');
    if (status >= 500) return klikooError(`${status}010001`, 'Supplier sedang gangguan');
    return klikooError(`${status}010000`, STATUS_CODES[status] ?? 'Error');
  },
  truncatedSuccess: '{"response_code":"200012000","response_message":"Sukses","data":{"access_tok',
  generate: async (keys) => {
    const { privateKeyPem, publicKey } = await keys.rsa();
    return withKey(publicKey, privateKeyPem);
  },
  withOwnKey: (key) => withKey(key.publicKey, key.privateKey),
  clients: (credentials) => [
    { clientId: credentials.clientId, clientSecret: credentials.clientSecret, publicKey: credentials.publicKey },
  ],
  config: (credentials, baseUrl) => ({
    provider: KLIKOO,
    baseUrl,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    privateKey: credentials.privateKeyPem,
  }),
  fromConfig(config, read) {
    const client = {
      clientId: String(config.clientId),
      clientSecret: read.secret('clientSecret'),
      publicKey: read.publicKey('privateKey', 'privateKeyPassphrase'),
    };
    return {
      client,
      paths: typeof config.path === 'string' ? { b2b: config.path } : {},
      known: { clientId: client.clientId, clientSecret: client.clientSecret },
    };
  },
};
