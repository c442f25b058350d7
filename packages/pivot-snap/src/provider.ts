import {
  HttpTokenProvider,
  httpSettings,
  SecretReader,
  timestampFormat,
  validateConfig,
  type ProviderDefinition,
  type TokenProvider,
} from '@kunci/core';
import { PIVOT_SNAP } from './codes';
import { PivotSnapConfig, pivotSnapPaths } from './config';
import { pivotSnapEnvelope } from './normalize';
import { buildPivotSnapRequest } from './request';

/** Validates the config, parses the private key once (one CONFIG_INVALID for every problem) and returns the provider. */
export function createPivotSnapProvider(input: unknown, context: { entry?: string | undefined } = {}): TokenProvider {
  const config = validateConfig(PivotSnapConfig, input, PIVOT_SNAP, context.entry);
  const secrets = new SecretReader(config);
  const privateKey = secrets.doneWithKey(PIVOT_SNAP, context.entry, secrets.privateKey('privateKey', 'privateKeyPassphrase'));
  const credentials = { clientId: config.clientId, privateKey, paths: pivotSnapPaths(config), timestamp: timestampFormat(config) };
  return new HttpTokenProvider(
    {
      ...pivotSnapEnvelope,
      provider: PIVOT_SNAP,
      clientId: config.clientId,
      supportsCustomerTokens: true,
      secrets: secrets.values,
      prepare: (request, nowMs) => buildPivotSnapRequest(credentials, request, nowMs),
    },
    httpSettings(config),
  );
}

export const pivotSnap: ProviderDefinition = { name: PIVOT_SNAP, create: createPivotSnapProvider };
