import {
  createExternalIdGenerator,
  HttpTokenProvider,
  httpSettings,
  SecretReader,
  serviceSigningOptions,
  timestampFormat,
  validateConfig,
} from '@kunci/core/provider';
import type { ProviderDefinition, TokenProvider } from '@kunci/core';
import { PIVOT_SNAP, pivotSnapRejectedToken } from './codes';
import { PivotSnapConfig, pivotSnapPaths } from './config';
import { pivotSnapEnvelope } from './normalize';
import { buildPivotSnapRequest, pivotSnapSignatureAt } from './request';
import { signPivotSnapServiceRequest, type PivotSnapServiceCredentials } from './service-signer';

/** Validates the config, parses the private key once (one CONFIG_INVALID for every problem) and returns the provider. */
export function createPivotSnapProvider(input: unknown, context: { entry?: string | undefined } = {}): TokenProvider {
  const config = validateConfig(PivotSnapConfig, input, PIVOT_SNAP, context.entry);
  const secrets = new SecretReader(config);
  const { clientSecret, privateKey } = secrets.finish(PIVOT_SNAP, context.entry, {
    clientSecret: secrets.optionalSecret('clientSecret'),
    privateKey: secrets.privateKey('privateKey', 'privateKeyPassphrase'),
  });
  const credentials = {
    clientId: config.clientId,
    privateKey,
    paths: pivotSnapPaths(config),
    timestamp: timestampFormat(config),
  };
  const service: PivotSnapServiceCredentials = {
    clientSecret,
    partnerId: config.partnerId ?? config.clientId,
    channelId: config.channelId,
    timestamp: credentials.timestamp,
    signing: serviceSigningOptions(config.signing),
    externalId: createExternalIdGenerator(),
    ...(context.entry !== undefined ? { entry: context.entry } : {}),
  };
  return new HttpTokenProvider(
    {
      ...pivotSnapEnvelope,
      provider: PIVOT_SNAP,
      clientId: config.clientId,
      supportsCustomerTokens: true,
      secrets: secrets.values,
      tokenPaths: [credentials.paths.b2b, credentials.paths.b2b2c],
      rejectedToken: pivotSnapRejectedToken,
      prepare: (request, nowMs) => buildPivotSnapRequest(credentials, request, nowMs),
      signRequest: (request) => signPivotSnapServiceRequest(service, request),
    },
    httpSettings(config),
  );
}

export const pivotSnap: ProviderDefinition = {
  name: PIVOT_SNAP,
  title: 'Pivot SNAP',
  flows: ['b2b', 'b2b2c'],
  signing: {
    clientIdField: 'X-CLIENT-KEY',
    publicKeyForms: [{ encoding: 'pem', label: 'PEM (the public key Pivot verifies your signatures with)' }],
    token: { timestampHeader: 'X-TIMESTAMP', signatureHeader: 'X-SIGNATURE', sign: pivotSnapSignatureAt },
    service: {
      timestampHeader: 'X-TIMESTAMP',
      signatureHeader: 'X-SIGNATURE',
      example: { path: '/wallet-backend/snap/v1.0/balance-inquiry', body: { partnerReferenceNo: 'INV-demo-0001' } },
    },
  },
  readCode: (body) => pivotSnapEnvelope.readCode(body),
  create: createPivotSnapProvider,
};
