import { inspect } from 'node:util';
import { AUTH_ERROR_CODES, AuthError, isAuthError, isRetryableCode } from '../src/errors';

describe('AuthError', () => {
  it('has the twelve codes of design.md and the replay code of inbound verification, four of them retryable', () => {
    expect([...AUTH_ERROR_CODES].sort()).toEqual(
      [
        'CONFIG_INVALID',
        'CREDENTIALS_REJECTED',
        'SIGNATURE_REJECTED',
        'TIMESTAMP_REJECTED',
        'REQUEST_REJECTED',
        'GRANT_REJECTED',
        'ACCESS_DENIED',
        'RATE_LIMITED',
        'PROVIDER_UNAVAILABLE',
        'TIMEOUT',
        'NETWORK',
        'RESPONSE_INVALID',
        'REPLAY_REJECTED',
      ].sort(),
    );
    expect(AUTH_ERROR_CODES.filter(isRetryableCode).sort()).toEqual([
      'NETWORK',
      'PROVIDER_UNAVAILABLE',
      'RATE_LIMITED',
      'TIMEOUT',
    ]);
  });

  it('carries code, provider, status, provider code and message, and retryable', () => {
    const error = new AuthError('RATE_LIMITED', 'klikoo is rate limiting', {
      provider: 'klikoo',
      status: 429,
      providerCode: '429010000',
      providerMessage: 'Too many',
      retryAfterMs: 7000,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'AuthError',
      code: 'RATE_LIMITED',
      provider: 'klikoo',
      status: 429,
      providerCode: '429010000',
      retryable: true,
      retryAfterMs: 7000,
    });
    expect(String(error)).toBe('AuthError: klikoo is rate limiting');
  });

  it('isAuthError recognises the brand, not only the class', () => {
    expect(isAuthError(new AuthError('NETWORK', 'x', { provider: 'p' }))).toBe(true);
    const foreign = Object.create({ [Symbol.for('kunci.AuthError')]: true }) as object;
    expect(isAuthError(foreign)).toBe(true);
    expect(isAuthError(new Error('x'))).toBe(false);
    expect(isAuthError(null)).toBe(false);
    expect(isAuthError('AuthError')).toBe(false);
  });

  it('never keeps a raw axios-like error as cause: config, headers and request are dropped', () => {
    const axiosLike = Object.assign(new Error('Request failed'), {
      code: 'ECONNRESET',
      config: { headers: { 'X-MERCHANT-SECRET': 'sekret-value-123' }, data: '{"client_secret":"sekret-value-123"}' },
      request: { _header: 'X-MERCHANT-SECRET: sekret-value-123' },
    });
    const error = new AuthError('NETWORK', 'could not reach', { provider: 'pivot-legacy', cause: axiosLike });
    expect(error.cause).toEqual({ name: 'Error', code: 'ECONNRESET', message: 'Request failed' });
    for (const printed of [String(error), JSON.stringify(error), inspect(error, { showHidden: true, depth: 8 })]) {
      expect(printed).not.toContain('sekret-value-123');
    }
  });

  it('redacts token fields of a provider body kept as cause', () => {
    const error = new AuthError('RESPONSE_INVALID', 'bad', {
      provider: 'p',
      cause: { status: 200, body: { accessToken: 'at-secret-xyz', data: { access_token: 'at-secret-xyz', n: 1 } } },
    });
    expect(error.cause).toEqual({
      status: 200,
      body: { accessToken: '[redacted]', data: { access_token: '[redacted]', n: 1 } },
    });
    expect(inspect(error, { showHidden: true, depth: 8 })).not.toContain('at-secret-xyz');
  });

  it('serializes to JSON without stack or cause', () => {
    const json = JSON.parse(
      JSON.stringify(new AuthError('TIMEOUT', 'slow', { provider: 'klikoo', cause: { body: 'x' } })),
    ) as Record<string, unknown>;
    expect(json).toEqual({ name: 'AuthError', code: 'TIMEOUT', message: 'slow', provider: 'klikoo', retryable: true });
  });
});
