import { expect } from '@jest/globals';
import { IsString } from 'class-validator';
import { buildAccessToken, codeForHttpStatus, normalizeResponse, type EnvelopeSpec } from '../src/normalize';
import { isAuthError } from '../src/errors';
import { IsTokenString, IsExpiresIn, parseSeconds, validateBody } from '../src/response';
import type { RawResponse } from '../src/transport';

// The normalizer is pure: raw answer in, token or error out, tested without any HTTP.
const raw = (status: number, body: unknown, extra: Partial<RawResponse> = {}): RawResponse => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers: {}, text, json, receivedAt: new Date('2026-11-22T03:00:00Z'), ...extra };
};

class Body {
  @IsString() code!: string;
  @IsTokenString() token!: string;
  @IsExpiresIn() ttl!: number;
}

const spec: EnvelopeSpec<'only'> = {
  provider: 'demo',
  readCode: (body) =>
    typeof body.code === 'string'
      ? { code: body.code, message: typeof body.msg === 'string' ? body.msg : undefined }
      : undefined,
  isSuccess: (code) => code === 'OK',
  mapCode: (code) => (code === 'SIG' ? 'SIGNATURE_REJECTED' : undefined),
  readToken(body, response, info) {
    const checked = validateBody(Body, body);
    if (!checked.ok) throw new Error(checked.problems.join('; '));
    return buildAccessToken({
      provider: 'demo',
      raw: response,
      accessToken: checked.value.token,
      expiresIn: checked.value.ttl,
      responseCode: info.code,
      responseMessage: '',
    });
  },
};

describe('normalizeResponse', () => {
  it('builds a token from a success code under 2xx', () => {
    const result = normalizeResponse(raw(200, { code: 'OK', token: 'abc.def', ttl: 900 }), spec, 'only');
    expect(isAuthError(result)).toBe(false);
    expect(result).toMatchObject({
      accessToken: 'abc.def',
      expiresIn: 900,
      expiresAt: new Date('2026-11-22T03:15:00Z'),
    });
  });

  it('lets the body code win over the status', () => {
    expect(normalizeResponse(raw(200, { code: 'SIG', msg: 'bad sig' }), spec, 'only')).toMatchObject({
      code: 'SIGNATURE_REJECTED',
      providerCode: 'SIG',
      providerMessage: 'bad sig',
      status: 200,
    });
    expect(normalizeResponse(raw(400, { code: 'SIG' }), spec, 'only')).toMatchObject({ code: 'SIGNATURE_REJECTED' });
  });

  it('falls back on the status for unknown codes, and on PROVIDER_UNAVAILABLE for an unknown code under 200', () => {
    expect(normalizeResponse(raw(403, { code: 'WHAT' }), spec, 'only')).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(normalizeResponse(raw(200, { code: 'WHAT' }), spec, 'only')).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });

  it('describes what came instead of a token', () => {
    const html = normalizeResponse(raw(200, '<html><body>login</body></html>'), spec, 'only');
    expect(html).toMatchObject({
      code: 'RESPONSE_INVALID',
      message:
        'demo answered with an HTML page (HTTP 200): check baseUrl and the endpoint path; report it to the provider if it persists.',
    });
    expect(normalizeResponse(raw(200, ''), spec, 'only')).toMatchObject({
      message: expect.stringContaining('an empty body'),
    });
    expect(normalizeResponse(raw(200, '{"code":"OK"'), spec, 'only')).toMatchObject({
      message: expect.stringContaining('truncated or malformed JSON'),
    });
    expect(normalizeResponse(raw(504, '<html>Gateway Timeout</html>'), spec, 'only')).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringContaining('is unavailable and sent an HTML page'),
    });
  });

  it('keeps Retry-After and the server date on the error', () => {
    const serverDate = new Date('2026-11-22T03:00:05Z');
    expect(normalizeResponse(raw(429, '', { retryAfterMs: 5000, serverDate }), spec, 'only')).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: 5000,
      serverDate,
    });
  });

  it('treats redirects as invalid and strips the query from the location it names', () => {
    const error = normalizeResponse(
      raw(301, '', { headers: { location: 'https://sso.example/login?token=abc' } }),
      spec,
      'only',
    );
    expect(error).toMatchObject({ code: 'RESPONSE_INVALID' });
    expect((error as Error).message).toContain('https://sso.example/login');
    expect((error as Error).message).not.toContain('token=abc');
  });
});

describe('buildAccessToken', () => {
  const response = raw(200, {});
  it('derives expiresIn from an absolute expiry', () => {
    const token = buildAccessToken({
      provider: 'p',
      raw: response,
      accessToken: 't',
      expiresAt: '2026-11-22T10:15:00+07:00',
      responseCode: 'c',
      responseMessage: 'm',
    });
    expect(token).toMatchObject({ expiresIn: 900 });
  });
  it.each([
    [{ expiresIn: 0 }, 'without a usable expiry'],
    [{ expiresAt: '2026-11-22T09:00:00+07:00' }, 'already expired'],
    [{ expiresAt: '2099-01-01T00:00:00+07:00' }, 'claims to live more than'],
    [{ expiresIn: 900, refreshTokenExpiresAt: 'soon' }, 'refresh token expiry'],
  ])('refuses %j', (fields, message) => {
    const result = buildAccessToken({
      provider: 'p',
      raw: response,
      accessToken: 't',
      responseCode: 'c',
      responseMessage: 'm',
      ...fields,
    });
    expect(result).toMatchObject({ code: 'RESPONSE_INVALID', message: expect.stringContaining(message) });
  });
});

describe('helpers', () => {
  it('parseSeconds accepts whole seconds as numbers or digit strings only', () => {
    expect([900, '900', ' 60 '].map(parseSeconds)).toEqual([900, 900, 60]);
    expect(['abc', '-5', 0, 1.5, '1e3', 1e12, null, '', '0x10'].map(parseSeconds)).toEqual(Array(9).fill(undefined));
  });
  it('codeForHttpStatus', () => {
    expect([400, 401, 403, 404, 408, 409, 429, 500, 503, 200].map(codeForHttpStatus)).toEqual([
      'REQUEST_REJECTED',
      'CREDENTIALS_REJECTED',
      'ACCESS_DENIED',
      'REQUEST_REJECTED',
      'TIMEOUT',
      'REQUEST_REJECTED',
      'RATE_LIMITED',
      'PROVIDER_UNAVAILABLE',
      'PROVIDER_UNAVAILABLE',
      'RESPONSE_INVALID',
    ]);
  });
});
