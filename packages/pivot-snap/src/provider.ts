import { httpSettings, SecretReader, timestampFormat, validateConfig } from '@kunci/core/provider';
import type { ProviderDefinition, TokenProvider } from '@kunci/core';
import { SNAP_SIGNING, snapSettings, snapTokenProvider } from '@kunci/snap';
import { PIVOT_SNAP } from './codes';
import { PivotSnapConfig } from './config';
import { pivotSnapEnvelope } from './normalize';

/**
 * Validates the config, parses the private key once (one CONFIG_INVALID for every problem) and
 * returns the provider: SNAP's implementation with the `pivot` profile, under the name pivot-snap.
 */
export function createPivotSnapProvider(input: unknown, context: { entry?: string | undefined } = {}): TokenProvider {
  const config = validateConfig(PivotSnapConfig, input, PIVOT_SNAP, context.entry);
  const secrets = new SecretReader(config);
  const { clientSecret, privateKey } = secrets.finish(PIVOT_SNAP, context.entry, {
    clientSecret: secrets.optionalSecret('clientSecret'),
    privateKey: secrets.privateKey('privateKey', 'privateKeyPassphrase'),
  });
  const settings = snapSettings({ profile: 'pivot', paths: config.paths, signing: config.signing });
  return snapTokenProvider({
    provider: PIVOT_SNAP,
    label: 'Pivot SNAP',
    clientId: config.clientId,
    privateKey,
    clientSecret,
    partnerId: config.partnerId ?? config.clientId,
    channelId: config.channelId,
    headers: {},
    // The core's timestamp setting and its defaults, as Pivot SNAP configs have always had them.
    settings: { ...settings, timestamp: timestampFormat(config) },
    secrets: secrets.values,
    http: httpSettings(config),
    ...(context.entry !== undefined ? { entry: context.entry } : {}),
  });
}

export const pivotSnap: ProviderDefinition = {
  name: PIVOT_SNAP,
  title: 'Pivot SNAP',
  flows: ['b2b', 'b2b2c'],
  signing: {
    ...SNAP_SIGNING,
    publicKeyForms: [{ encoding: 'pem', label: 'PEM (the public key Pivot verifies your signatures with)' }],
    service: {
      ...SNAP_SIGNING.service,
      example: { path: '/wallet-backend/snap/v1.0/balance-inquiry', body: { partnerReferenceNo: 'INV-demo-0001' } },
    },
  },
  readCode: (body) => pivotSnapEnvelope.readCode(body),
  create: createPivotSnapProvider,
};
