import { runProviderContract, testKeyPair, type ProviderContract } from '#test-kit';
import { createKlikooEmulator } from '../src/emulator';
import { klikooErrorBody } from '../src/errors';
import { createKlikooProvider, KlikooConfig } from '../src';
import success from './fixtures/success.json';
import {
  BASE_URL,
  CLIENT_ID,
  CLIENT_SECRET,
  klikooRequestProblems,
  TOKEN_PATH,
  validKlikooConfig,
} from './klikoo-test-client';

export const klikooContract: ProviderContract = {
  provider: 'klikoo',
  baseUrl: BASE_URL,
  validConfig: validKlikooConfig,
  configClass: KlikooConfig,
  create: (config) => createKlikooProvider(config),
  requiredFields: ['baseUrl', 'clientId', 'clientSecret', 'privateKey'],
  secretFields: ['clientSecret', 'privateKey', 'privateKeyPassphrase'],
  // Not a header of Klikoo's, but signed and sent as given: held to the same rule.
  headerFields: ['clientId'],
  secrets: [CLIENT_SECRET, testKeyPair().fingerprint],
  flows: [
    {
      name: 'b2b',
      path: TOKEN_PATH,
      fixture: success,
      expected: {
        accessToken: success.data.access_token,
        expiresIn: 900,
        responseCode: '200012000',
        responseMessage: 'Sukses',
      },
      successBody: ({ accessToken }) => ({
        response_code: '200012000',
        response_message: 'Sukses',
        data: { access_token: accessToken, token_type: 'Bearer', expires_in: 900 },
      }),
      fields: { accessToken: 'data.access_token', tokenType: 'data.token_type', expiresIn: 'data.expires_in' },
      errorBody: (code, message) => klikooErrorBody(code, message),
      verifyRequest: (headers, body) => klikooRequestProblems(headers, body),
    },
  ],
  codeCases: [
    // Every row of Klikoo's Auth table, under the status its first three digits name.
    { flow: 'b2b', status: 400, code: '400016505', message: 'Waktu tidak sesuai', expected: 'TIMESTAMP_REJECTED' },
    { flow: 'b2b', status: 400, code: '400016508', message: 'Signature tidak sesuai', expected: 'SIGNATURE_REJECTED' },
    { flow: 'b2b', status: 400, code: '400016510', message: 'Validasi Error', expected: 'REQUEST_REJECTED' },
    { flow: 'b2b', status: 400, code: '400016512', message: 'Field tidak boleh kosong', expected: 'REQUEST_REJECTED' },
    { flow: 'b2b', status: 400, code: '400016568', message: 'UUID tidak sesuai', expected: 'REQUEST_REJECTED' },
    { flow: 'b2b', status: 400, code: '400016569', message: 'Grant type tidak sesuai', expected: 'REQUEST_REJECTED' },
    { flow: 'b2b', status: 401, code: '401016500', message: 'Token tidak sesuai', expected: 'CREDENTIALS_REJECTED' },
    { flow: 'b2b', status: 401, code: '401016535', message: 'Token kadaluarsa', expected: 'CREDENTIALS_REJECTED' },
    {
      flow: 'b2b',
      status: 401,
      code: '401016570',
      message: 'Kredensial tidak sesuai',
      expected: 'CREDENTIALS_REJECTED',
    },
    {
      flow: 'b2b',
      status: 403,
      code: '403016571',
      message: 'IP tidak ada di dalam whitelist',
      expected: 'ACCESS_DENIED',
    },
    { flow: 'b2b', status: 403, code: '403016567', message: 'User type bukan b2b', expected: 'ACCESS_DENIED' },
    { flow: 'b2b', status: 500, code: '500019999', message: 'Harap hubungi admin', expected: 'PROVIDER_UNAVAILABLE' },
    {
      flow: 'b2b',
      status: 503,
      code: '503010001',
      message: 'Supplier sedang gangguan',
      expected: 'PROVIDER_UNAVAILABLE',
    },
    // 5xx01xxxx beyond the two documented examples.
    { flow: 'b2b', status: 502, code: '502010000', message: 'Bad Gateway', expected: 'PROVIDER_UNAVAILABLE' },
    { flow: 'b2b', status: 504, code: '504019998', message: 'Gateway Timeout', expected: 'PROVIDER_UNAVAILABLE' },
    // The body's code wins over the HTTP status: error codes inside HTTP 200, and a mismatched status.
    {
      flow: 'b2b',
      status: 200,
      code: '401016570',
      message: 'Kredensial tidak sesuai',
      expected: 'CREDENTIALS_REJECTED',
    },
    { flow: 'b2b', status: 200, code: '400016508', message: 'Signature tidak sesuai', expected: 'SIGNATURE_REJECTED' },
    {
      flow: 'b2b',
      status: 200,
      code: '503010001',
      message: 'Supplier sedang gangguan',
      expected: 'PROVIDER_UNAVAILABLE',
    },
    {
      flow: 'b2b',
      status: 400,
      code: '403016571',
      message: 'IP tidak ada di dalam whitelist',
      expected: 'ACCESS_DENIED',
    },
    // Unknown codes: their first three digits as an HTTP status, then the HTTP status itself.
    { flow: 'b2b', status: 200, code: '429019999', message: 'Terlalu banyak permintaan', expected: 'RATE_LIMITED' },
    { flow: 'b2b', status: 400, code: '401019999', message: 'Tidak dikenal', expected: 'CREDENTIALS_REJECTED' },
    { flow: 'b2b', status: 400, code: '400029999', message: 'Tidak dikenal', expected: 'REQUEST_REJECTED' },
    { flow: 'b2b', status: 503, code: 'MAINTENANCE', message: 'Sedang pemeliharaan', expected: 'PROVIDER_UNAVAILABLE' },
    { flow: 'b2b', status: 200, code: '200019999', message: 'Tidak dikenal', expected: 'RESPONSE_INVALID' },
    { flow: 'b2b', status: 200, code: 'E_UNKNOWN', message: 'Tidak dikenal', expected: 'PROVIDER_UNAVAILABLE' },
  ],
  emulator: (clock) =>
    createKlikooEmulator({
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, publicKey: testKeyPair().publicKey }],
      clock,
    }),
};

runProviderContract(klikooContract);
