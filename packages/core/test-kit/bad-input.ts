import type { AuthErrorCode } from '../src/errors';
import { withPath } from './body-paths';
import type { FlowContract } from './types';

export interface BadReply {
  title: string;
  status: number;
  body: string;
  headers?: Record<string, string>;
  expected: AuthErrorCode;
}

const json = (value: unknown): string => JSON.stringify(value);

/** Every malformed answer a token endpoint may send, for one flow. */
export function badReplies(flow: FlowContract, tokens: { accessToken: string; refreshToken: string }): BadReply[] {
  const good = flow.successBody(tokens);
  const f = flow.fields;
  const replies: BadReply[] = [
    {
      title: 'an HTML page under 200',
      status: 200,
      body: '<!DOCTYPE html><html><body>Welcome</body></html>',
      headers: { 'content-type': 'text/html' },
      expected: 'RESPONSE_INVALID',
    },
    {
      title: 'an HTML gateway page under 502',
      status: 502,
      body: '<html><head><title>502 Bad Gateway</title></head></html>',
      headers: { 'content-type': 'text/html' },
      expected: 'PROVIDER_UNAVAILABLE',
    },
    { title: 'an empty body under 200', status: 200, body: '', expected: 'RESPONSE_INVALID' },
    { title: 'an empty body under 503', status: 503, body: '', expected: 'PROVIDER_UNAVAILABLE' },
    { title: 'truncated JSON', status: 200, body: json(good).slice(0, 40), expected: 'RESPONSE_INVALID' },
    { title: 'a JSON array', status: 200, body: '[]', expected: 'RESPONSE_INVALID' },
    { title: 'JSON null', status: 200, body: 'null', expected: 'RESPONSE_INVALID' },
    { title: 'plain text', status: 200, body: 'OK', expected: 'RESPONSE_INVALID' },
    {
      title: 'a missing access token',
      status: 200,
      body: json(withPath(good, f.accessToken, undefined)),
      expected: 'RESPONSE_INVALID',
    },
    {
      title: 'a numeric access token',
      status: 200,
      body: json(withPath(good, f.accessToken, 12345)),
      expected: 'RESPONSE_INVALID',
    },
    {
      title: 'an empty access token',
      status: 200,
      body: json(withPath(good, f.accessToken, '')),
      expected: 'RESPONSE_INVALID',
    },
    {
      title: 'an access token with spaces',
      status: 200,
      body: json(withPath(good, f.accessToken, 'not a token')),
      expected: 'RESPONSE_INVALID',
    },
    {
      title: 'a token type other than Bearer',
      status: 200,
      body: json(withPath(good, f.tokenType, 'MAC')),
      expected: 'RESPONSE_INVALID',
    },
    {
      title: 'a missing token type',
      status: 200,
      body: json(withPath(good, f.tokenType, undefined)),
      expected: 'RESPONSE_INVALID',
    },
    { title: 'a success body under HTTP 500', status: 500, body: json(good), expected: 'PROVIDER_UNAVAILABLE' },
    { title: 'a success body under HTTP 401', status: 401, body: json(good), expected: 'CREDENTIALS_REJECTED' },
    {
      title: 'a redirect',
      status: 302,
      body: '',
      headers: { location: 'https://login.example.test/sso?next=/token' },
      expected: 'RESPONSE_INVALID',
    },
    { title: 'a 429 without a body', status: 429, body: '', headers: { 'retry-after': '7' }, expected: 'RATE_LIMITED' },
    { title: 'a 408 from the gateway', status: 408, body: '', expected: 'TIMEOUT' },
  ];
  if (f.expiresIn !== undefined) {
    for (const value of ['abc', '-5', 0, '0', -5, 1.5, '1e3', 1e12, '99999999999', null, true, {}]) {
      replies.push({
        title: `expiresIn ${JSON.stringify(value)}`,
        status: 200,
        body: json(withPath(good, f.expiresIn, value)),
        expected: 'RESPONSE_INVALID',
      });
    }
    replies.push({
      title: 'a missing expiresIn',
      status: 200,
      body: json(withPath(good, f.expiresIn, undefined)),
      expected: 'RESPONSE_INVALID',
    });
  }
  if (f.expiresAt !== undefined) {
    for (const value of [
      'tomorrow',
      '2025-11-27 10:46:03',
      '2025-11-27T10:46:03',
      '2020-01-01T00:00:00+07:00',
      '2999-01-01T00:00:00+07:00',
      1764215163,
      null,
    ]) {
      replies.push({
        title: `an access token expiry of ${JSON.stringify(value)}`,
        status: 200,
        body: json(withPath(good, f.expiresAt, value)),
        expected: 'RESPONSE_INVALID',
      });
    }
    replies.push({
      title: 'a missing access token expiry',
      status: 200,
      body: json(withPath(good, f.expiresAt, undefined)),
      expected: 'RESPONSE_INVALID',
    });
  }
  return replies;
}
