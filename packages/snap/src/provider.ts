import type { KeyObject } from 'node:crypto';
import {
  createExternalIdGenerator,
  HttpTokenProvider,
  httpSettings,
  SecretReader,
  validateConfig,
  type EnvelopeSpec,
} from '@kunci/core/provider';
import type { ProviderDefinition, TokenProvider } from '@kunci/core';
import { SNAP, snapRejectedToken, type SnapFlow } from './codes';
import { SnapConfig } from './config';
import { createSnapEnvelope, snapEnvelope } from './normalize';
import { buildSnapTokenRequest, snapSignatureAt } from './request';
import { signSnapServiceRequest, type SnapServiceCredentials } from './service-signer';
import { snapSettings, type ResolvedSnapSettings } from './settings';

/**
 * Everything one SNAP provider runs on, read and checked: the one implementation behind
 * `provider: 'snap'` (any profile) and any package that speaks SNAP under a name of its own.
 */
export interface SnapProviderSpec {
  /** The provider name tokens and errors carry. */
  provider: string;
  /** How messages name it ("SNAP (bri)"). */
  label: string;
  clientId: string;
  privateKey: KeyObject;
  clientSecret: string | undefined;
  /** X-PARTNER-ID; usually the client id. */
  partnerId: string;
  channelId: string | undefined;
  /** The standard's optional headers (ORIGIN, X-DEVICE-ID, …) every signed call carries. */
  headers: Readonly<Record<string, string>>;
  settings: ResolvedSnapSettings;
  /** Resolved secret values, scrubbed from anything the provider sends back. */
  secrets: readonly string[];
  http: ReturnType<typeof httpSettings>;
  entry?: string | undefined;
}

/** The SNAP token provider for a checked spec: token requests, normalization, codes and service signing. */
export function snapTokenProvider(spec: SnapProviderSpec): TokenProvider {
  const { settings } = spec;
  const credentials = {
    clientId: spec.clientId,
    privateKey: spec.privateKey,
    paths: settings.paths,
    timestamp: settings.timestamp,
    customerGrantType: settings.customerGrantType,
  };
  const service: SnapServiceCredentials = {
    provider: spec.provider,
    label: spec.label,
    scheme: settings.serviceSignature,
    tokenWithAsymmetric: settings.tokenWithAsymmetric,
    clientSecret: spec.clientSecret,
    privateKey: spec.privateKey,
    partnerId: spec.partnerId,
    channelId: spec.channelId,
    timestamp: settings.timestamp,
    signing: settings.signing,
    externalId: createExternalIdGenerator(),
    headers: spec.headers,
    ...(spec.entry !== undefined ? { entry: spec.entry } : {}),
  };
  const envelope: EnvelopeSpec<SnapFlow> = spec.provider === SNAP ? snapEnvelope : createSnapEnvelope(spec.provider);
  return new HttpTokenProvider(
    {
      ...envelope,
      provider: spec.provider,
      clientId: spec.clientId,
      supportsCustomerTokens: true,
      secrets: spec.secrets,
      tokenPaths: [settings.paths.b2b, settings.paths.b2b2c],
      rejectedToken: snapRejectedToken,
      prepare: (request, nowMs) => buildSnapTokenRequest(credentials, request, nowMs),
      signRequest: (request) => signSnapServiceRequest(service, request),
      serviceCallsNeedToken: settings.serviceSignature === 'symmetric' || settings.tokenWithAsymmetric,
    },
    spec.http,
  );
}

/**
 * Validates the config (its profile and every override), parses the private key once (one
 * CONFIG_INVALID for every problem, no value echoed) and returns the provider.
 */
export function createSnapProvider(input: unknown, context: { entry?: string | undefined } = {}): TokenProvider {
  const config = validateConfig(SnapConfig, input, SNAP, context.entry);
  const settings = snapSettings(config);
  const secrets = new SecretReader(config);
  const { clientSecret, privateKey } = secrets.finish(SNAP, context.entry, {
    clientSecret: secrets.optionalSecret('clientSecret'),
    privateKey: secrets.privateKey('privateKey', 'privateKeyPassphrase'),
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers ?? {}))
    if (typeof value === 'string') headers[name] = value;
  return snapTokenProvider({
    provider: SNAP,
    label: `SNAP (${settings.profile})`,
    clientId: config.clientId,
    privateKey,
    clientSecret,
    partnerId: config.partnerId ?? config.clientId,
    channelId: config.channelId,
    headers,
    settings,
    secrets: secrets.values,
    http: httpSettings(config),
    ...(context.entry !== undefined ? { entry: context.entry } : {}),
  });
}

/** The token request's and the API calls' signing facts, the same for every SNAP provider. */
export const SNAP_SIGNING: NonNullable<ProviderDefinition['signing']> = {
  clientIdField: 'X-CLIENT-KEY',
  publicKeyForms: [{ encoding: 'pem', label: 'PEM (the public key the provider verifies your signatures with)' }],
  token: { timestampHeader: 'X-TIMESTAMP', signatureHeader: 'X-SIGNATURE', sign: snapSignatureAt },
  service: {
    timestampHeader: 'X-TIMESTAMP',
    signatureHeader: 'X-SIGNATURE',
    example: { path: '/v1.0/balance-inquiry', body: { partnerReferenceNo: 'INV-demo-0001' } },
  },
};

export const snap: ProviderDefinition = {
  name: SNAP,
  title: 'SNAP BI (any profile)',
  flows: ['b2b', 'b2b2c'],
  signing: SNAP_SIGNING,
  readCode: (body) => snapEnvelope.readCode(body),
  create: createSnapProvider,
};
