import { verifyRsaSha256 } from '@kunci/core/provider';
import type { AuthErrorCode } from '@kunci/core';
import { runProviderContract, type CodeCase, type ProviderContract } from '#test-kit';
import { createPivotSnapEmulator } from '../src/emulator';
import { pivotSnapErrorBody } from '../src/errors';
import { createPivotSnapProvider, PivotSnapConfig } from '../src';
import b2bSuccess from './fixtures/b2b-success.json';
import b2b2cSuccess from './fixtures/b2b2c-success.json';
import { B2B2C_PATH, B2B_PATH, BASE_URL, CLIENT_ID, keys, SIGNED_AT } from './helpers';

const AUTH_CODE = 'binding-123';
const CUSTOMER_REFRESH = 'rt_customer_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

type Flow = 'B2B' | 'B2B2C';
const SERVICE: Record<Flow, string> = { B2B: '73', B2B2C: '74' };

/** The SNAP generic case table (protocols.md §1), applied to one service. */
function snapTable(flow: Flow): CodeCase[] {
  const b2bTokenCase: AuthErrorCode = flow === 'B2B2C' ? 'GRANT_REJECTED' : 'CREDENTIALS_REJECTED';
  const rows: Array<[number, string, string, AuthErrorCode]> = [
    [400, '00', 'Bad Request', 'REQUEST_REJECTED'],
    [400, '01', 'Invalid Field Format grantType', 'REQUEST_REJECTED'],
    [400, '01', 'Invalid Field Format X-TIMESTAMP', 'TIMESTAMP_REJECTED'],
    [400, '02', 'Invalid Mandatory Field X-CLIENT-KEY', 'REQUEST_REJECTED'],
    [400, '02', 'Invalid Mandatory Field X-TIMESTAMP', 'TIMESTAMP_REJECTED'],
    [400, '02', 'Invalid Mandatory Field timestamp', 'TIMESTAMP_REJECTED'],
    [401, '00', 'Unauthorized. Invalid Signature', 'SIGNATURE_REJECTED'],
    [401, '00', 'Unauthorized. Unknown Client', 'CREDENTIALS_REJECTED'],
    [401, '00', 'Unauthorized. Verify Client Secret Fail', 'CREDENTIALS_REJECTED'],
    [401, '00', 'Unauthorized. Key not Found', 'CREDENTIALS_REJECTED'],
    [401, '01', 'Invalid Token (B2B)', b2bTokenCase],
    [401, '02', 'Invalid Customer Token', 'GRANT_REJECTED'],
    [401, '03', 'Token Not Found (B2B)', b2bTokenCase],
    [401, '04', 'Customer Token Not Found', 'GRANT_REJECTED'],
    [403, '00', 'Transaction Expired', 'ACCESS_DENIED'],
    [403, '01', 'Feature Not Allowed', 'ACCESS_DENIED'],
    [403, '05', 'Do Not Honor', 'ACCESS_DENIED'],
    [403, '06', 'Feature Not Allowed At This Time', 'ACCESS_DENIED'],
    [409, '00', 'Conflict', 'REQUEST_REJECTED'],
    [429, '00', 'Too Many Requests', 'RATE_LIMITED'],
    [500, '00', 'General Error', 'PROVIDER_UNAVAILABLE'],
    [500, '01', 'Internal Server Error', 'PROVIDER_UNAVAILABLE'],
    [500, '02', 'External Server Error', 'PROVIDER_UNAVAILABLE'],
    [504, '00', 'Timeout', 'PROVIDER_UNAVAILABLE'],
  ];
  return rows.map(([status, kase, message, expected]) => ({
    flow,
    status,
    code: `${status}${SERVICE[flow]}${kase}`,
    message,
    expected,
  }));
}

/** Beyond the table: other services, codes outside it, the body's code over the status, the other flow's success. */
const edgeRows: CodeCase[] = [
  {
    flow: 'B2B',
    status: 401,
    code: '4017400',
    message: 'Unauthorized. Invalid Signature',
    expected: 'SIGNATURE_REJECTED',
  },
  { flow: 'B2B', status: 401, code: '4017401', message: 'Invalid Token (B2B)', expected: 'CREDENTIALS_REJECTED' },
  { flow: 'B2B2C', status: 401, code: '4017301', message: 'Invalid Token (B2B)', expected: 'GRANT_REJECTED' },
  { flow: 'B2B', status: 404, code: '4047300', message: 'Not Found', expected: 'REQUEST_REJECTED' },
  { flow: 'B2B', status: 503, code: '5037300', message: 'Service Unavailable', expected: 'PROVIDER_UNAVAILABLE' },
  { flow: 'B2B2C', status: 401, code: '4017499', message: 'Unauthorized', expected: 'CREDENTIALS_REJECTED' },
  { flow: 'B2B2C', status: 403, code: '4037499', message: 'Forbidden', expected: 'ACCESS_DENIED' },
  {
    flow: 'B2B',
    status: 200,
    code: '4017300',
    message: 'Unauthorized. Invalid Signature',
    expected: 'SIGNATURE_REJECTED',
  },
  {
    flow: 'B2B',
    status: 500,
    code: '4007301',
    message: 'Invalid Field Format X-TIMESTAMP',
    expected: 'TIMESTAMP_REJECTED',
  },
  { flow: 'B2B2C', status: 200, code: '2007300', message: 'Successful', expected: 'RESPONSE_INVALID' },
  { flow: 'B2B', status: 200, code: '2007400', message: 'Successful', expected: 'RESPONSE_INVALID' },
];

function verifySigned(expectedBody: unknown) {
  return (headers: Record<string, string>, body: unknown): string[] => {
    const problems: string[] = [];
    const timestamp = headers['x-timestamp'] ?? '';
    if (headers['content-type'] !== 'application/json') problems.push('Content-Type must be application/json');
    if (headers['x-client-key'] !== CLIENT_ID) problems.push('X-CLIENT-KEY must be the client id');
    if (timestamp !== SIGNED_AT) problems.push(`X-TIMESTAMP must be ${SIGNED_AT}, got ${timestamp}`);
    if (!verifyRsaSha256(keys.publicKey, `${CLIENT_ID}|${timestamp}`, headers['x-signature'] ?? '')) {
      problems.push('X-SIGNATURE must verify with the public key over clientId|X-TIMESTAMP');
    }
    if (JSON.stringify(body) !== JSON.stringify(expectedBody))
      problems.push(`body must be ${JSON.stringify(expectedBody)}`);
    return problems;
  };
}

export const pivotSnapContract: ProviderContract = {
  provider: 'pivot-snap',
  baseUrl: BASE_URL,
  validConfig: () => ({
    provider: 'pivot-snap',
    baseUrl: BASE_URL,
    clientId: CLIENT_ID,
    privateKey: keys.privateKeyPem,
  }),
  configClass: PivotSnapConfig,
  create: (config) => createPivotSnapProvider(config),
  requiredFields: ['baseUrl', 'clientId', 'privateKey'],
  secretFields: ['privateKey', 'privateKeyPassphrase'],
  headerFields: ['clientId'],
  secrets: [keys.fingerprint, CUSTOMER_REFRESH],
  flows: [
    {
      name: 'B2B',
      path: B2B_PATH,
      fixture: b2bSuccess,
      expected: {
        accessToken: b2bSuccess.accessToken,
        expiresIn: 900,
        responseCode: '2007300',
        responseMessage: 'Successful',
      },
      successBody: ({ accessToken }) => ({
        responseCode: '2007300',
        responseMessage: 'Successful',
        accessToken,
        tokenType: 'Bearer',
        expiresIn: '900',
      }),
      fields: { accessToken: 'accessToken', tokenType: 'tokenType', expiresIn: 'expiresIn' },
      errorBody: pivotSnapErrorBody,
      verifyRequest: verifySigned({ grantType: 'client_credentials', additionalInfo: {} }),
    },
    {
      name: 'B2B2C',
      request: { authCode: AUTH_CODE, refreshToken: CUSTOMER_REFRESH },
      path: B2B2C_PATH,
      fixture: b2b2cSuccess,
      // The example of Pivot's SNAP access-token page: the refresh token expires a day before the access token. Both kept as sent.
      expected: {
        accessToken: b2b2cSuccess.accessToken,
        expiresAt: new Date('2025-11-27T03:46:03Z'),
        expiresIn: 87_300,
        refreshToken: b2b2cSuccess.refreshToken,
        refreshTokenExpiresAt: new Date('2025-11-26T03:46:03Z'),
        responseCode: '2007400',
        responseMessage: 'Successful',
      },
      successBody: ({ accessToken, refreshToken }) => ({
        ...b2b2cSuccess,
        accessToken,
        refreshToken,
      }),
      fields: { accessToken: 'accessToken', tokenType: 'tokenType', expiresAt: 'accessTokenExpiryTime' },
      errorBody: pivotSnapErrorBody,
      verifyRequest: verifySigned({
        grantType: 'authorization_code',
        authCode: AUTH_CODE,
        refreshToken: CUSTOMER_REFRESH,
        additionalInfo: {},
      }),
    },
  ],
  codeCases: [...snapTable('B2B'), ...snapTable('B2B2C'), ...edgeRows],
  emulator: (clock) =>
    createPivotSnapEmulator({
      clients: [{ clientId: CLIENT_ID, publicKey: keys.publicKey }],
      customers: [{ authCode: AUTH_CODE, refreshToken: CUSTOMER_REFRESH }],
      clock,
    }),
};

runProviderContract(pivotSnapContract);
