import { errorOf as error, FIXED_NOW, tokenOf as token } from '#test-kit';
import { normalizePivotLegacyResponse } from '../src/normalize';
import errorCredentials from './fixtures/error-credentials-invalid.json';
import success from './fixtures/success.json';

// The documented bodies, read without HTTP.
describe('normalizePivotLegacyResponse', () => {
  it("the success body: the token inside Pivot's envelope, expiresIn seconds from the moment it arrived", () => {
    const result = token(normalizePivotLegacyResponse({ status: 200, body: success }, 'b2b', FIXED_NOW));
    expect(result).toMatchObject({
      accessToken: success.data.accessToken,
      expiresIn: 900,
      responseCode: '00',
      provider: 'pivot-legacy',
    });
    expect(result.expiresAt.getTime()).toBe(FIXED_NOW + 900_000);
  });

  it.each([
    [401, errorCredentials, 'CREDENTIALS_REJECTED'],
    [200, errorCredentials, 'CREDENTIALS_REJECTED'],
    [200, { ...errorCredentials, code: 'something_new', error: { type: 'GATEWAY_ERROR' } }, 'PROVIDER_UNAVAILABLE'],
    [200, { code: 'too_many_requests', message: 'Slow down' }, 'RATE_LIMITED'],
    [
      200,
      { code: '00', message: 'Success', data: { accessToken: 'x', expiresIn: '900', tokenType: 'MAC' } },
      'RESPONSE_INVALID',
    ],
    [503, '<html>Service Unavailable</html>', 'PROVIDER_UNAVAILABLE'],
  ])('status %s with %j → %s', (status, body, code) => {
    expect(error(normalizePivotLegacyResponse({ status, body }, 'b2b', FIXED_NOW)).code).toBe(code);
  });
});
