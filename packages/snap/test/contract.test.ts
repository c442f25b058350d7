import type { AuthErrorCode } from '@kunci/core';
import { FIXED_NOW, runProviderContract, type CodeCase, type FlowContract } from '#test-kit';
import { createSnapEmulator } from '../src/entries/emulator';
import { snapErrorBody } from '../src/errors';
import { createSnapProvider, SNAP_PROFILES, SnapConfig, type SnapProfileName } from '../src';
import aspiB2b from './fixtures/aspi-b2b-success.json';
import pivotB2b from './fixtures/pivot-b2b-success.json';
import pivotB2b2c from './fixtures/pivot-b2b2c-success.json';
import { BASE_URL, CLIENT_ID, keys, PROFILE_NAMES, SIGNED_AT, signedBy } from './helpers';

const AUTH_CODE = 'binding-123';
const CUSTOMER_REFRESH = 'rt_customer_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

type Flow = 'b2b' | 'b2b2c';
const SERVICE: Record<Flow, string> = { b2b: '73', b2b2c: '74' };

/**
 * The code table over the wire, one row per kind of meaning: the whole case table is checked for
 * every service code on snapErrorCode (codes.test.ts), and over the wire, row by row, by
 * @kunci/pivot-snap's contract, which runs this same envelope.
 */
function wireRows(flow: Flow): CodeCase[] {
  const rows: Array<{ status: number; kase: string; message: string; expected: AuthErrorCode }> = [
    { status: 400, kase: '02', message: 'Invalid Mandatory Field X-TIMESTAMP', expected: 'TIMESTAMP_REJECTED' },
    { status: 401, kase: '00', message: 'Unauthorized. Invalid Signature', expected: 'SIGNATURE_REJECTED' },
    {
      status: 401,
      kase: '03',
      message: 'Token Not Found (B2B)',
      expected: flow === 'b2b2c' ? 'GRANT_REJECTED' : 'CREDENTIALS_REJECTED',
    },
    { status: 403, kase: '05', message: 'Do Not Honor', expected: 'ACCESS_DENIED' },
    { status: 429, kase: '00', message: 'Too Many Requests', expected: 'RATE_LIMITED' },
    { status: 504, kase: '00', message: 'Timeout', expected: 'PROVIDER_UNAVAILABLE' },
  ];
  return rows.map((row) => ({
    flow,
    status: row.status,
    code: `${row.status}${SERVICE[flow]}${row.kase}`,
    message: row.message,
    expected: row.expected,
  }));
}

/** Beyond the table: the other flow's success code, the body's code over the status. */
const edgeRows: CodeCase[] = [
  { flow: 'b2b2c', status: 200, code: '2007300', message: 'Successful', expected: 'RESPONSE_INVALID' },
  { flow: 'b2b', status: 200, code: '2007400', message: 'Successful', expected: 'RESPONSE_INVALID' },
  {
    flow: 'b2b',
    status: 200,
    code: '4017300',
    message: 'Unauthorized. Invalid Signature',
    expected: 'SIGNATURE_REJECTED',
  },
];

function verifySigned(profile: SnapProfileName, expectedBody: unknown) {
  return (headers: Record<string, string>, body: unknown): string[] => {
    const problems: string[] = [];
    if (headers['content-type'] !== 'application/json') problems.push('Content-Type must be application/json');
    if (headers['x-client-key'] !== CLIENT_ID) problems.push('X-CLIENT-KEY must be the client id');
    if (headers['x-timestamp'] !== SIGNED_AT[profile])
      problems.push(`X-TIMESTAMP must be ${SIGNED_AT[profile]}, got ${headers['x-timestamp']}`);
    if (!signedBy(headers)) problems.push('X-SIGNATURE must verify with the public key over clientId|X-TIMESTAMP');
    if (JSON.stringify(body) !== JSON.stringify(expectedBody))
      problems.push(`body must be ${JSON.stringify(expectedBody)}`);
    return problems;
  };
}

for (const profile of PROFILE_NAMES) {
  const { paths, customerGrantType } = SNAP_PROFILES[profile];
  // Pivot's page documents its own body; the others follow the standard's sample (ASPI "Keamanan").
  const b2bFixture = profile === 'pivot' ? pivotB2b : aspiB2b;
  const flows: FlowContract[] = [
    {
      name: 'b2b',
      path: paths.b2b,
      fixture: b2bFixture,
      expected: { accessToken: b2bFixture.accessToken, expiresIn: 900, responseCode: '2007300' },
      successBody: ({ accessToken }) => ({
        responseCode: '2007300',
        responseMessage: 'Successful',
        accessToken,
        tokenType: 'Bearer',
        expiresIn: '900',
      }),
      fields: { accessToken: 'accessToken', tokenType: 'tokenType', expiresIn: 'expiresIn' },
      errorBody: snapErrorBody,
      verifyRequest: verifySigned(profile, { grantType: 'client_credentials', additionalInfo: {} }),
    },
    {
      name: 'b2b2c',
      request: { authCode: AUTH_CODE, refreshToken: CUSTOMER_REFRESH },
      path: paths.b2b2c,
      // The standard's shape with Pivot's example times (ASPI's sample expires in 2020, before FIXED_NOW).
      fixture: pivotB2b2c,
      expected: {
        accessToken: pivotB2b2c.accessToken,
        expiresAt: new Date('2025-11-27T03:46:03Z'),
        expiresIn: (Date.parse('2025-11-27T03:46:03Z') - FIXED_NOW) / 1000,
        refreshToken: pivotB2b2c.refreshToken,
        responseCode: '2007400',
      },
      successBody: ({ accessToken, refreshToken }) => ({ ...pivotB2b2c, accessToken, refreshToken }),
      fields: { accessToken: 'accessToken', tokenType: 'tokenType', expiresAt: 'accessTokenExpiryTime' },
      errorBody: snapErrorBody,
      verifyRequest: verifySigned(profile, {
        grantType: customerGrantType,
        authCode: AUTH_CODE,
        refreshToken: CUSTOMER_REFRESH,
        additionalInfo: {},
      }),
    },
  ];

  describe(`profile ${profile}`, () => {
    runProviderContract({
      provider: 'snap',
      baseUrl: BASE_URL,
      validConfig: () => ({
        provider: 'snap',
        profile,
        baseUrl: BASE_URL,
        clientId: CLIENT_ID,
        privateKey: keys.privateKeyPem,
      }),
      configClass: SnapConfig,
      create: (config) => createSnapProvider(config),
      requiredFields: ['baseUrl', 'clientId', 'privateKey'],
      secretFields: ['privateKey', 'privateKeyPassphrase', 'clientSecret'],
      headerFields: ['clientId'],
      secrets: [keys.fingerprint, CUSTOMER_REFRESH],
      flows,
      codeCases: [...wireRows('b2b'), ...wireRows('b2b2c'), ...edgeRows],
      emulator: (clock) =>
        createSnapEmulator({
          profile,
          clients: [{ clientId: CLIENT_ID, publicKey: keys.publicKey }],
          customers: [{ authCode: AUTH_CODE, refreshToken: CUSTOMER_REFRESH }],
          clock,
        }),
      // Every profile runs on one implementation, config class and code table: the config table,
      // the code table and the bad answers run in full for the first profile; each profile's
      // paths, grant, timestamp and emulator run for every one. The hostile-body sweep runs this
      // implementation and normalizer under @kunci/pivot-snap's contract (snapTokenProvider).
      ...(profile !== PROFILE_NAMES[0] ? { repeatOf: `profile ${PROFILE_NAMES[0]}` } : {}),
      sweptBy: 'pivot-snap: provider contract',
    });
  });
}
