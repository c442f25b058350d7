import { errorOf as error, FIXED_NOW, tokenOf as token } from '#test-kit';
import { normalizePivotSnapResponse } from '../src/normalize';
import b2bSuccess from './fixtures/b2b-success.json';
import b2b2cSuccess from './fixtures/b2b2c-success.json';
import invalidSignature from './fixtures/error-invalid-signature.json';

// The documented bodies, read without HTTP: Pivot's SNAP access-token page masks its tokens as ***.
describe('normalizePivotSnapResponse', () => {
  it('the B2B success body: expiresIn seconds from the moment it arrived', () => {
    const result = token(normalizePivotSnapResponse({ status: 200, body: b2bSuccess }, 'b2b', FIXED_NOW));
    expect(result).toMatchObject({
      accessToken: '***',
      tokenType: 'Bearer',
      expiresIn: 900,
      responseCode: '2007300',
      provider: 'pivot-snap',
    });
    expect(result.expiresAt.getTime()).toBe(FIXED_NOW + 900_000);
    expect(result.issuedAt.getTime()).toBe(FIXED_NOW);
  });

  it('the B2B2C success body: absolute expiries, each taken as sent', () => {
    const result = token(normalizePivotSnapResponse({ status: 200, body: b2b2cSuccess }, 'b2b2c', FIXED_NOW));
    expect(result.expiresAt.toISOString()).toBe(new Date('2025-11-27T10:46:03+07:00').toISOString());
    expect(result.refreshToken).toBe('***');
    expect(result.refreshTokenExpiresAt?.toISOString()).toBe(new Date('2025-11-26T10:46:03+07:00').toISOString());
  });

  it('the same body as text reads as the JSON value does', () => {
    const fromText = token(
      normalizePivotSnapResponse({ status: 200, body: JSON.stringify(b2bSuccess) }, 'b2b', FIXED_NOW),
    );
    expect(fromText).toEqual(token(normalizePivotSnapResponse({ status: 200, body: b2bSuccess }, 'b2b', FIXED_NOW)));
  });

  it('the invalid-signature body → SIGNATURE_REJECTED with the provider code', () => {
    const result = error(normalizePivotSnapResponse({ status: 401, body: invalidSignature }, 'b2b', FIXED_NOW));
    expect(result).toMatchObject({ code: 'SIGNATURE_REJECTED', status: 401, providerCode: '4017300' });
  });

  it('a success code of the other flow is not a token of this one', () => {
    const result = error(normalizePivotSnapResponse({ status: 200, body: b2bSuccess }, 'b2b2c', FIXED_NOW));
    expect(result.code).toBe('RESPONSE_INVALID');
    expect(result.message).toContain('paths.b2b2c');
  });

  it("the answer's Date and Retry-After reach the error", () => {
    const result = error(
      normalizePivotSnapResponse(
        {
          status: 429,
          headers: { 'Retry-After': '3', Date: new Date(FIXED_NOW + 7_000).toUTCString() },
          body: { responseCode: '4297300', responseMessage: 'Too Many Requests' },
        },
        'b2b',
        FIXED_NOW,
      ),
    );
    expect(result).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3_000 });
    expect(result.serverDate?.getTime()).toBe(FIXED_NOW + 7_000);
  });

  it.each([
    [502, '<html><body>Bad Gateway</body></html>', 'PROVIDER_UNAVAILABLE'],
    [200, '', 'RESPONSE_INVALID'],
    [200, { ...b2bSuccess, expiresIn: 'soon' }, 'RESPONSE_INVALID'],
  ])('status %s with %j → %s', (status, body, code) => {
    expect(error(normalizePivotSnapResponse({ status, body }, 'b2b', FIXED_NOW)).code).toBe(code);
  });
});
