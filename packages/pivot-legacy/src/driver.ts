import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { jsonResponse, type EmulatorDriver } from '@kunci/core/emulator';
import { PIVOT_LEGACY } from './codes';
import { createPivotLegacyEmulator } from './emulator';
import { pivotLegacyErrorBody } from './errors';
import { pivotCallbackNotifier } from './notifier';

/** A merchant Pivot legacy accepts. */
export interface PivotLegacyEmulatorMerchant {
  merchantId: string;
  merchantSecret: string;
}

/** The config a sandbox's merchant makes. */
export interface PivotLegacySandboxConfig {
  provider: typeof PIVOT_LEGACY;
  baseUrl: string;
  merchantId: string;
  merchantSecret: string;
}

/** The codes seen on Pivot's APIs for a status a gateway answers on its own (a fault). */
const GATEWAY_CODES: Readonly<Record<number, string>> = {
  400: 'api_validation_error',
  401: 'credentials_invalid',
  403: 'forbidden_access',
  404: 'not_found',
  408: 'request_timeout',
  413: 'payload_too_large',
  429: 'too_many_requests',
};

/** Pivot legacy's side, for the sandbox: its emulator, its error answers, its throwaway merchant. */
export const pivotLegacyDriver: EmulatorDriver<
  typeof PIVOT_LEGACY,
  PivotLegacyEmulatorMerchant,
  PivotLegacyEmulatorMerchant,
  PivotLegacySandboxConfig
> = {
  name: PIVOT_LEGACY,
  emulator: (merchants, settings) =>
    createPivotLegacyEmulator({
      merchants,
      clock: settings.clock,
      ...(settings.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: settings.tokenLifetimeSeconds } : {}),
      ...(settings.paths?.b2b !== undefined ? { path: settings.paths.b2b } : {}),
    }),
  errorAnswer(status) {
    const reason = STATUS_CODES[status] ?? 'Error';
    const code =
      GATEWAY_CODES[status] ?? (status >= 500 ? 'service_unavailable' : reason.toLowerCase().replace(/\W+/g, '_'));
    return jsonResponse(status, pivotLegacyErrorBody(code, reason, status >= 500 ? 'GATEWAY_ERROR' : 'API_ERROR'));
  },
  truncatedSuccess: '{"code":"00","message":"Success","data":{"accessToken":"eyJhbGciOi',
  generate: () =>
    Promise.resolve({
      merchantId: `M-SANDBOX-${randomBytes(4).toString('hex').toUpperCase()}`,
      merchantSecret: randomBytes(24).toString('base64url'),
    }),
  clients: (credentials) => [{ ...credentials }],
  config: (credentials, baseUrl) => ({ provider: PIVOT_LEGACY, baseUrl, ...credentials }),
  fromConfig(config, read) {
    const client = { merchantId: String(config.merchantId), merchantSecret: read.secret('merchantSecret') };
    return {
      client,
      paths: typeof config.path === 'string' ? { b2b: config.path } : {},
      known: { ...client },
    };
  },
  notifier: pivotCallbackNotifier,
};
