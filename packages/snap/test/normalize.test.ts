import { normalizeResponse, rawAnswer } from '@kunci/core/provider';
import { errorOf as error, FIXED_NOW, tokenOf as token } from '#test-kit';
import { createSnapEnvelope, normalizeSnapResponse } from '../src';
import aspiB2b from './fixtures/aspi-b2b-success.json';
import aspiB2b2c from './fixtures/aspi-b2b2c-success.json';
import dokuInvalidSignature from './fixtures/doku-error-invalid-signature.json';
import pivotB2b from './fixtures/pivot-b2b-success.json';

// The documented bodies (see test/fixtures/README.md for each one's source), read without HTTP.
describe('normalizeSnapResponse', () => {
  it('ASPI\'s B2B sample: expiresIn "900" from the moment it arrived, additionalInfo ignored', () => {
    const result = token(normalizeSnapResponse({ status: 200, body: aspiB2b }, 'b2b', FIXED_NOW));
    expect(result).toMatchObject({
      accessToken: aspiB2b.accessToken,
      tokenType: 'Bearer',
      expiresIn: 900,
      responseCode: '2007300',
      responseMessage: 'Successful',
      provider: 'snap',
    });
    expect(result.expiresAt.getTime()).toBe(FIXED_NOW + 900_000);
  });

  it("ASPI's B2B2C sample, read at a moment before its expiry times: each expiry as sent", () => {
    const now = Date.parse('2019-12-31T23:45:00+07:00');
    const result = token(normalizeSnapResponse({ status: 200, body: aspiB2b2c }, 'b2b2c', now));
    expect(result.expiresAt.toISOString()).toBe('2019-12-31T17:00:00.000Z');
    expect(result.refreshToken).toBe('57d21fe3-ba9c-4f2d-9fde-eae669bbf80d');
    expect(result.refreshTokenExpiresAt?.toISOString()).toBe('2019-12-31T17:00:00.000Z');
  });

  it("ASPI's B2B2C sample read now: its access token expired in 2020, never handed out", () => {
    expect(error(normalizeSnapResponse({ status: 200, body: aspiB2b2c }, 'b2b2c', FIXED_NOW)).code).toBe(
      'RESPONSE_INVALID',
    );
  });

  it("Pivot's B2B body, under the provider name of the package that reads it", () => {
    const envelope = createSnapEnvelope('pivot-snap');
    const result = token(normalizeResponse(rawAnswer({ status: 200, body: pivotB2b }, FIXED_NOW), envelope, 'b2b'));
    expect(result).toMatchObject({ accessToken: '***', expiresIn: 900, provider: 'pivot-snap' });
  });

  it("DOKU's invalid-signature answer (no space after the period) → SIGNATURE_REJECTED", () => {
    const result = error(normalizeSnapResponse({ status: 401, body: dokuInvalidSignature }, 'b2b', FIXED_NOW));
    expect(result).toMatchObject({ code: 'SIGNATURE_REJECTED', status: 401, providerCode: '4017300' });
  });

  it('a B2B2C success code on a B2B request is not a B2B token', () => {
    const result = error(
      normalizeSnapResponse({ status: 200, body: { ...aspiB2b, responseCode: '2007400' } }, 'b2b', FIXED_NOW),
    );
    expect(result.code).toBe('RESPONSE_INVALID');
    expect(result.message).toContain('is paths.b2b the B2B endpoint?');
  });
});
