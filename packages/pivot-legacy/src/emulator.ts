import {
  defineEmulator,
  fakeJwt,
  jsonResponse,
  parseJsonObject,
  refused,
  sameSecret,
  type EmulatedRequest,
  type EmulatedResponse,
  type ProviderEmulator,
} from '@kunci/core/emulator';
import { PIVOT_LEGACY } from './codes';
import { DEFAULT_PIVOT_LEGACY_PATH } from './config';
import { pivotLegacyErrorBody } from './errors';

export interface PivotLegacyEmulatorOptions {
  merchants: ReadonlyArray<{ merchantId: string; merchantSecret: string }>;
  path?: string;
  tokenLifetimeSeconds?: number;
  /** The emulated server's clock, for the token's expiry claim and the `Date` header. Default `Date.now`. */
  clock?: () => number;
}

const merchant = { role: 'merchant' } as const;

/** Pivot legacy's token endpoint: checks the merchant headers and answers as Pivot's legacy access-token page documents. */
export function createPivotLegacyEmulator(options: PivotLegacyEmulatorOptions): ProviderEmulator {
  const path = options.path ?? DEFAULT_PIVOT_LEGACY_PATH;
  const lifetime = options.tokenLifetimeSeconds ?? 900;
  const secrets = new Map(options.merchants.map((m) => [m.merchantId, m.merchantSecret]));
  const token = (request: EmulatedRequest, now: number): EmulatedResponse => {
    const body = parseJsonObject(request.body);
    if (
      body === undefined ||
      body.grantType !== 'client_credentials' ||
      !/application\/json/.test(request.headers['content-type'] ?? '')
    ) {
      const answer = jsonResponse(
        400,
        pivotLegacyErrorBody('api_validation_error', 'Validation error', 'API_ERROR', [
          { field: 'grantType', message: 'must be client_credentials' },
        ]),
      );
      return refused(answer, {
        reason: 'invalid-field',
        field: 'grantType',
        in: 'body',
        expected: 'client_credentials in a JSON body sent as application/json',
      });
    }
    const merchantId = request.headers['x-merchant-id'];
    const secret = merchantId !== undefined ? secrets.get(merchantId) : undefined;
    if (secret === undefined || !sameSecret(request.headers['x-merchant-secret'] ?? '', secret)) {
      const answer = jsonResponse(401, pivotLegacyErrorBody('credentials_invalid', 'Invalid merchant credentials'));
      if (merchantId === undefined || merchantId === '')
        return refused(answer, { reason: 'missing-field', field: 'X-MERCHANT-ID', in: 'header' });
      return refused(answer, {
        reason: secret === undefined ? 'unknown-client' : 'wrong-secret',
        client: merchantId,
        ...merchant,
      });
    }
    return jsonResponse(200, {
      code: '00',
      message: 'Success',
      data: {
        accessToken: fakeJwt({ iss: 'kunci-sandbox', merchantId, exp: Math.floor(now / 1000) + lifetime }),
        expiresIn: String(lifetime),
        tokenType: 'Bearer',
      },
    });
  };
  return defineEmulator({
    provider: PIVOT_LEGACY,
    tokenPaths: new Map([[path, 'b2b']]),
    clock: options.clock ?? Date.now,
    answer(request, now, flow) {
      if (request.method !== 'POST' || flow === undefined)
        return refused(jsonResponse(404, pivotLegacyErrorBody('not_found', 'Not Found')), { reason: 'not-found' });
      return token(request, now);
    },
  });
}
