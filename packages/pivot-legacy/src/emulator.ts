import { randomBytes } from 'node:crypto';
import {
  fakeJwt,
  jsonResponse,
  parseJsonObject,
  sameSecret,
  type EmulatedRequest,
  type EmulatedResponse,
  type ProviderEmulator,
} from '@kunci/core/emulator';
import { PIVOT_LEGACY } from './codes';
import { DEFAULT_PIVOT_LEGACY_PATH } from './config';

export interface PivotLegacyEmulatorOptions {
  merchants: ReadonlyArray<{ merchantId: string; merchantSecret: string }>;
  path?: string;
  tokenLifetimeSeconds?: number;
  /** The emulated server's clock, for the token's expiry claim. Default `Date.now`. */
  clock?: () => number;
}

/** Pivot's general error envelope. */
export function pivotLegacyErrorBody(
  code: string,
  message: string,
  type = 'API_ERROR',
  details: unknown[] = [],
): Record<string, unknown> {
  return { code, message, error: { type, details, trace_id: randomBytes(8).toString('hex') } };
}

/** Pivot legacy's token endpoint: checks the merchant headers and answers as Pivot's legacy access-token page documents. */
export function createPivotLegacyEmulator(options: PivotLegacyEmulatorOptions): ProviderEmulator {
  const path = options.path ?? DEFAULT_PIVOT_LEGACY_PATH;
  const lifetime = options.tokenLifetimeSeconds ?? 900;
  const clock = options.clock ?? Date.now;
  const secrets = new Map(options.merchants.map((m) => [m.merchantId, m.merchantSecret]));
  return {
    provider: PIVOT_LEGACY,
    paths: [path],
    handle(request: EmulatedRequest): EmulatedResponse {
      if (request.method !== 'POST' || request.path !== path) {
        return jsonResponse(404, pivotLegacyErrorBody('not_found', 'Not Found'));
      }
      const body = parseJsonObject(request.body);
      if (
        body === undefined ||
        body.grantType !== 'client_credentials' ||
        !/application\/json/.test(request.headers['content-type'] ?? '')
      ) {
        return jsonResponse(
          400,
          pivotLegacyErrorBody('api_validation_error', 'Validation error', 'API_ERROR', [
            { field: 'grantType', message: 'must be client_credentials' },
          ]),
        );
      }
      const merchantId = request.headers['x-merchant-id'];
      const secret = merchantId !== undefined ? secrets.get(merchantId) : undefined;
      if (secret === undefined || !sameSecret(request.headers['x-merchant-secret'] ?? '', secret)) {
        return jsonResponse(401, pivotLegacyErrorBody('credentials_invalid', 'Invalid merchant credentials'));
      }
      return jsonResponse(200, {
        code: '00',
        message: 'Success',
        data: {
          accessToken: fakeJwt({ iss: 'kunci-sandbox', merchantId, exp: Math.floor(clock() / 1000) + lifetime }),
          expiresIn: String(lifetime),
          tokenType: 'Bearer',
        },
      });
    },
  };
}
