import {
  HttpTokenProvider,
  httpSettings,
  SecretReader,
  serviceSigningOptions,
  timestampFormat,
  validateConfig,
} from '@kunci/core/provider';
import type { ProviderDefinition, TokenProvider } from '@kunci/core';
import { KLIKOO, klikooRejectedToken } from './codes';
import { DEFAULT_KLIKOO_PATH, KlikooConfig, klikooClientSecretProblem } from './config';
import { klikooEnvelope } from './normalize';
import { buildKlikooRequest, klikooSignatureAt, type KlikooCredentials } from './request';
import { signKlikooServiceRequest, type KlikooServiceCredentials } from './service-signer';

/** Validates the config (one CONFIG_INVALID for every problem) and returns the provider. */
export function createKlikooProvider(input: unknown, context: { entry?: string | undefined } = {}): TokenProvider {
  const config = validateConfig(KlikooConfig, input, KLIKOO, context.entry);
  const secrets = new SecretReader(config);
  const { clientSecret, privateKey } = secrets.finish(KLIKOO, context.entry, {
    clientSecret: secrets.check(secrets.secret('clientSecret'), klikooClientSecretProblem),
    privateKey: secrets.privateKey('privateKey', 'privateKeyPassphrase'),
  });
  const credentials: KlikooCredentials = {
    path: config.path ?? DEFAULT_KLIKOO_PATH,
    clientId: config.clientId,
    clientSecret,
    privateKey,
    timestamp: timestampFormat(config),
  };
  const service: KlikooServiceCredentials = {
    clientSecret,
    timestamp: credentials.timestamp,
    signing: serviceSigningOptions(config.signing),
  };
  return new HttpTokenProvider(
    {
      ...klikooEnvelope,
      provider: KLIKOO,
      clientId: config.clientId,
      supportsCustomerTokens: false,
      secrets: secrets.values,
      tokenPaths: [credentials.path],
      rejectedToken: klikooRejectedToken,
      prepare: (_request, nowMs) => buildKlikooRequest(credentials, nowMs),
      signRequest: (request) => signKlikooServiceRequest(service, request),
    },
    httpSettings(config),
  );
}

export const klikoo: ProviderDefinition = {
  name: KLIKOO,
  title: 'Klikoo',
  flows: ['b2b'],
  signing: {
    clientIdField: 'additional_info.client_id',
    publicKeyForms: [
      { encoding: 'pem', label: 'PEM' },
      { encoding: 'base64', label: "Base64 (what Klikoo's dashboard asks for)" },
    ],
    token: { timestampHeader: 'Open-Api-Timestamp', signatureHeader: 'Open-Api-Signature', sign: klikooSignatureAt },
    service: {
      timestampHeader: 'Open-Api-Timestamp',
      signatureHeader: 'Open-Api-Signature',
      example: { path: '/v1/open-api/account/inquiry', body: { account_number: '081234567890' } },
    },
  },
  readCode: (body) => klikooEnvelope.readCode(body),
  create: createKlikooProvider,
};
