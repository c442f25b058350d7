import { randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { EmulatorDriver } from '@kunci/core/emulator';
import { SNAP, SNAP_TOKEN_SERVICE } from './codes';
import { createSnapEmulator, type SnapEmulatorClient } from './emulator';
import { snapError } from './errors';
import { DEFAULT_SNAP_PROFILE, SNAP_PROFILE_NAMES, SNAP_PROFILES, type SnapProfileName } from './profiles';
import { SNAP_GENERIC_SERVICE } from './service-emulator';

/** One profile's sandbox client: its id, the secret and channel of its API calls. */
export interface SnapSandboxClient {
  clientId: string;
  clientSecret: string;
  channelId: string;
}

/** The sandbox's SNAP clients, one per profile, sharing one RSA pair. */
export interface SnapSandboxCredentials {
  profiles: Readonly<Record<SnapProfileName, SnapSandboxClient>>;
  privateKeyPem: string;
  publicKey: KeyObject;
}

/** The config a sandbox's SNAP client makes (one profile). */
export interface SnapSandboxConfig {
  provider: typeof SNAP;
  profile: SnapProfileName;
  baseUrl: string;
  clientId: string;
  privateKey: string;
  clientSecret: string;
  channelId: string;
}

/** SNAP's words for the statuses a gateway answers on its own; the others take the HTTP reason. */
const GATEWAY_MESSAGES: Readonly<Record<number, string>> = {
  403: 'Feature Not Allowed',
  500: 'General Error',
  504: 'Timeout',
};

const isProfile = (name: unknown): name is SnapProfileName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(SNAP_PROFILES, name);

/** A SNAP gateway's own error answer for a status (a fault, a 413), in the token flow's service code. */
export function snapGatewayError(status: number, flow: keyof typeof SNAP_TOKEN_SERVICE | undefined) {
  const service = flow !== undefined ? SNAP_TOKEN_SERVICE[flow] : SNAP_GENERIC_SERVICE;
  const message = GATEWAY_MESSAGES[status] ?? STATUS_CODES[status] ?? 'Error';
  return snapError(status, service, '00', message, { reason: 'bad-request', detail: message });
}

/** The client an application's SNAP config stands for, as the provider registered it. */
export const snapClientFromConfig: EmulatorDriver<string, SnapEmulatorClient>['fromConfig'] = (config, read) => {
  const clientId = String(config.clientId);
  const clientSecret = config.clientSecret !== undefined ? read.secret('clientSecret') : undefined;
  const paths = (typeof config.paths === 'object' && config.paths !== null ? config.paths : {}) as Record<
    string,
    unknown
  >;
  return {
    client: {
      clientId,
      publicKey: read.publicKey('privateKey', 'privateKeyPassphrase'),
      ...(clientSecret !== undefined ? { clientSecret } : {}),
      ...(typeof config.partnerId === 'string' ? { partnerId: config.partnerId } : {}),
      ...(isProfile(config.profile) ? { profile: config.profile } : {}),
    },
    paths: {
      ...(typeof paths.b2b === 'string' ? { b2b: paths.b2b } : {}),
      ...(typeof paths.b2b2c === 'string' ? { b2b2c: paths.b2b2c } : {}),
    },
    known: { clientId, ...(clientSecret !== undefined ? { clientSecret } : {}) },
  };
};

/** A client per profile (id, secret, channel) with this key pair (`privateKeyPem`: the config's `privateKey`, a PEM or a reference). */
function withKey(publicKey: KeyObject, privateKeyPem: string): SnapSandboxCredentials {
  const profiles = Object.fromEntries(
    SNAP_PROFILE_NAMES.map((profile) => [
      profile,
      {
        clientId: `sandbox-${profile}-${randomBytes(6).toString('hex')}`,
        clientSecret: randomBytes(24).toString('base64url'),
        channelId: String(10_000 + randomInt(90_000)),
      },
    ]),
  ) as Record<SnapProfileName, SnapSandboxClient>;
  return { profiles, privateKeyPem, publicKey };
}

/**
 * SNAP's side, for the sandbox: one emulator for every profile (each client is held to its own
 * profile's paths, timestamp format and signature scheme), a client per profile, and the config
 * of the profile asked for (`variant`, default 'aspi').
 */
export const snapDriver: EmulatorDriver<typeof SNAP, SnapEmulatorClient, SnapSandboxCredentials, SnapSandboxConfig> = {
  name: SNAP,
  variants: SNAP_PROFILE_NAMES,
  emulator: (clients, settings) =>
    createSnapEmulator({
      clients,
      clock: settings.clock,
      ...(settings.authCodePattern !== undefined ? { authCodePattern: settings.authCodePattern } : {}),
      ...(settings.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: settings.tokenLifetimeSeconds } : {}),
      ...(settings.paths !== undefined ? { paths: { ...settings.paths } } : {}),
    }),
  errorAnswer: snapGatewayError,
  truncatedSuccess: '{"responseCode":"2007300","responseMessage":"Successful","accessToken":"eyJhbGciOi',
  async generate(keys) {
    const { privateKeyPem, publicKey } = await keys.rsa();
    return withKey(publicKey, privateKeyPem);
  },
  withOwnKey: (key) => withKey(key.publicKey, key.privateKey),
  clients: (credentials) =>
    SNAP_PROFILE_NAMES.map((profile) => ({
      clientId: credentials.profiles[profile].clientId,
      clientSecret: credentials.profiles[profile].clientSecret,
      publicKey: credentials.publicKey,
      profile,
    })),
  config(credentials, baseUrl, variant) {
    const profile = isProfile(variant) ? variant : DEFAULT_SNAP_PROFILE;
    const client = credentials.profiles[profile];
    return {
      provider: SNAP,
      profile,
      baseUrl,
      clientId: client.clientId,
      privateKey: credentials.privateKeyPem,
      clientSecret: client.clientSecret,
      channelId: client.channelId,
    };
  },
  fromConfig: snapClientFromConfig,
};
