import { errorOf as error, FIXED_NOW, tokenOf as token } from '#test-kit';
import { normalizeKlikooResponse } from '../src/normalize';
import errorCredentials from './fixtures/error-credentials.json';
import errorSignature from './fixtures/error-signature.json';
import success from './fixtures/success.json';

// The documented bodies, read without HTTP.
describe('normalizeKlikooResponse', () => {
  it('the success body: snake_case data, expires_in seconds from the moment it arrived', () => {
    const result = token(normalizeKlikooResponse({ status: 200, body: success }, 'b2b', FIXED_NOW));
    expect(result).toMatchObject({
      accessToken: 'user_access_token',
      expiresIn: 900,
      responseCode: '200012000',
      provider: 'klikoo',
    });
    expect(result.expiresAt.getTime()).toBe(FIXED_NOW + 900_000);
  });

  it('a numeric response_code reads as its digits', () => {
    expect(
      token(normalizeKlikooResponse({ status: 200, body: { ...success, response_code: 200012000 } }, 'b2b', FIXED_NOW))
        .responseCode,
    ).toBe('200012000');
  });

  it.each([
    [401, errorCredentials, 'CREDENTIALS_REJECTED', '401016570'],
    [400, errorSignature, 'SIGNATURE_REJECTED', '400016508'],
    [200, errorSignature, 'SIGNATURE_REJECTED', '400016508'],
    [400, { response_code: '400016505', response_message: 'Waktu tidak sesuai' }, 'TIMESTAMP_REJECTED', '400016505'],
    [
      503,
      { response_code: '503010001', response_message: 'Supplier sedang gangguan' },
      'PROVIDER_UNAVAILABLE',
      '503010001',
    ],
  ])('status %s with %j → %s (%s)', (status, body, code, providerCode) => {
    expect(error(normalizeKlikooResponse({ status, body }, 'b2b', FIXED_NOW))).toMatchObject({ code, providerCode });
  });

  it.each([
    [200, { response_code: '200012000', response_message: 'Sukses', data: null }, 'RESPONSE_INVALID'],
    [502, '<html>Bad Gateway</html>', 'PROVIDER_UNAVAILABLE'],
    [200, '{"response_code":"2000120', 'RESPONSE_INVALID'],
  ])('status %s with %j → %s', (status, body, code) => {
    expect(error(normalizeKlikooResponse({ status, body }, 'b2b', FIXED_NOW)).code).toBe(code);
  });
});
