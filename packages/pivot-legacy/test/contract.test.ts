import { runProviderContract, type ProviderContract } from '#test-kit';
import { createPivotLegacyEmulator } from '../src/emulator';
import { pivotLegacyErrorBody } from '../src/errors';
import { createPivotLegacyProvider, PivotLegacyConfig } from '../src';
import success from './fixtures/success.json';

const MERCHANT_ID = '922e39ab-7565-49f6-b84f-fb56122821ae';
const MERCHANT_SECRET = 'ms_live_4f1d2c9e8b7a6f5e4d3c2b1a0f9e8d7c';

export const pivotLegacyContract: ProviderContract = {
  provider: 'pivot-legacy',
  baseUrl: 'https://api-stg.pivot-payment.com',
  validConfig: () => ({
    provider: 'pivot-legacy',
    baseUrl: 'https://api-stg.pivot-payment.com',
    merchantId: MERCHANT_ID,
    merchantSecret: MERCHANT_SECRET,
  }),
  configClass: PivotLegacyConfig,
  create: (config) => createPivotLegacyProvider(config),
  requiredFields: ['baseUrl', 'merchantId', 'merchantSecret'],
  secretFields: ['merchantSecret'],
  headerFields: ['merchantId', 'merchantSecret'],
  secrets: [MERCHANT_SECRET],
  flows: [
    {
      name: 'legacy',
      path: '/v1/access-token',
      fixture: success,
      expected: {
        accessToken: success.data.accessToken,
        expiresIn: 900,
        responseCode: '00',
        responseMessage: 'Success',
      },
      successBody: ({ accessToken }) => ({
        code: '00',
        message: 'Success',
        data: { accessToken, expiresIn: '900', tokenType: 'Bearer' },
      }),
      fields: { accessToken: 'data.accessToken', tokenType: 'data.tokenType', expiresIn: 'data.expiresIn' },
      errorBody: (code, message) => pivotLegacyErrorBody(code, message),
      verifyRequest(headers, body) {
        const problems: string[] = [];
        if (headers['content-type'] !== 'application/json') problems.push('Content-Type must be application/json');
        if (headers['x-merchant-id'] !== MERCHANT_ID) problems.push('X-MERCHANT-ID must be the merchant id');
        if (headers['x-merchant-secret'] !== MERCHANT_SECRET)
          problems.push('X-MERCHANT-SECRET must be the merchant secret');
        if (JSON.stringify(body) !== JSON.stringify({ grantType: 'client_credentials' }))
          problems.push('body must be {"grantType":"client_credentials"}');
        return problems;
      },
    },
  ],
  codeCases: [
    {
      flow: 'legacy',
      status: 400,
      code: 'api_validation_error',
      message: 'Validation error',
      expected: 'REQUEST_REJECTED',
    },
    {
      flow: 'legacy',
      status: 401,
      code: 'credentials_invalid',
      message: 'Invalid credentials',
      expected: 'CREDENTIALS_REJECTED',
    },
    { flow: 'legacy', status: 403, code: 'forbidden_access', message: 'Forbidden access', expected: 'ACCESS_DENIED' },
    { flow: 'legacy', status: 429, code: 'too_many_requests', message: 'Too many requests', expected: 'RATE_LIMITED' },
    {
      flow: 'legacy',
      status: 500,
      code: 'internal_server_error',
      message: 'Internal server error',
      expected: 'PROVIDER_UNAVAILABLE',
    },
    { flow: 'legacy', status: 502, code: 'bad_gateway', message: 'Bad gateway', expected: 'PROVIDER_UNAVAILABLE' },
    { flow: 'legacy', status: 408, code: 'request_timeout', message: 'Request timeout', expected: 'TIMEOUT' },
    {
      flow: 'legacy',
      status: 200,
      code: 'credentials_invalid',
      message: 'Invalid credentials',
      expected: 'CREDENTIALS_REJECTED',
    },
    { flow: 'legacy', status: 200, code: 'forbidden_access', message: 'Forbidden access', expected: 'ACCESS_DENIED' },
  ],
  emulator: () =>
    createPivotLegacyEmulator({ merchants: [{ merchantId: MERCHANT_ID, merchantSecret: MERCHANT_SECRET }] }),
};

runProviderContract(pivotLegacyContract);
