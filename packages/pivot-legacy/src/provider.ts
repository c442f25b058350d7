import { HttpTokenProvider, httpSettings, SecretReader, validateConfig } from '@kunci/core/provider';
import type { ProviderDefinition, TokenProvider } from '@kunci/core';
import { PIVOT_LEGACY } from './codes';
import { DEFAULT_PIVOT_LEGACY_PATH, PivotLegacyConfig } from './config';
import { pivotLegacyEnvelope } from './normalize';
import { buildPivotLegacyRequest } from './request';

/** Validates the config (one CONFIG_INVALID for every problem) and returns the provider. */
export function createPivotLegacyProvider(input: unknown, context: { entry?: string | undefined } = {}): TokenProvider {
  const config = validateConfig(PivotLegacyConfig, input, PIVOT_LEGACY, context.entry);
  const secrets = new SecretReader(config);
  const { merchantSecret } = secrets.finish(PIVOT_LEGACY, context.entry, {
    merchantSecret: secrets.headerSecret('merchantSecret', 'X-MERCHANT-SECRET'),
  });
  const credentials = { path: config.path ?? DEFAULT_PIVOT_LEGACY_PATH, merchantId: config.merchantId, merchantSecret };
  return new HttpTokenProvider(
    {
      ...pivotLegacyEnvelope,
      provider: PIVOT_LEGACY,
      clientId: config.merchantId,
      supportsCustomerTokens: false,
      secrets: secrets.values,
      tokenPaths: [credentials.path],
      prepare: () => buildPivotLegacyRequest(credentials),
    },
    httpSettings(config),
  );
}

export const pivotLegacy: ProviderDefinition = {
  name: PIVOT_LEGACY,
  title: 'Pivot legacy',
  flows: ['b2b'],
  readCode: (body) => pivotLegacyEnvelope.readCode(body),
  create: createPivotLegacyProvider,
};
