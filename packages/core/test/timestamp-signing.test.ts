import { createHash, createHmac, createPrivateKey } from 'node:crypto';
import { formatTimestamp, parseOffsetDateTime } from '../src/timestamp';
import {
  minifyJson,
  serviceStringToSign,
  signHmacSha512,
  signRsaSha256,
  tokenStringToSign,
  verifyRsaSha256,
} from '../src/signing';
import { testKeyPair } from '../test-kit';

const AT = Date.parse('2026-11-22T03:15:30.123Z');

describe('formatTimestamp', () => {
  it('defaults to Jakarta time without milliseconds', () => {
    expect(formatTimestamp(AT)).toBe('2026-11-22T10:15:30+07:00');
  });
  it.each([
    [{ offset: 'Z', milliseconds: false }, '2026-11-22T03:15:30Z'],
    [{ offset: '+07:00', milliseconds: true }, '2026-11-22T10:15:30.123+07:00'],
    [{ offset: '-03:30', milliseconds: false }, '2026-11-21T23:45:30-03:30'],
    [{ offset: '+00:00', milliseconds: true }, '2026-11-22T03:15:30.123+00:00'],
  ])('honours %j', (format, expected) => {
    expect(formatTimestamp(AT, format)).toBe(expected);
    expect(Date.parse(expected)).toBe(format.milliseconds ? AT : AT - 123);
  });
  it('crosses midnight and the year correctly', () => {
    expect(formatTimestamp(Date.parse('2026-12-31T20:00:00Z'))).toBe('2027-01-01T03:00:00+07:00');
  });
});

describe('parseOffsetDateTime', () => {
  it('reads offset date-times', () => {
    expect(parseOffsetDateTime('2025-11-27T10:46:03+07:00')?.toISOString()).toBe('2025-11-27T03:46:03.000Z');
    expect(parseOffsetDateTime('2025-11-27T10:46:03.5Z')?.toISOString()).toBe('2025-11-27T10:46:03.500Z');
    expect(parseOffsetDateTime('2025-11-27T10:46:03+0700')?.toISOString()).toBe('2025-11-27T03:46:03.000Z');
  });
  it.each(['2025-11-27T10:46:03', '2025-11-27 10:46:03+07:00', 'tomorrow', '2025-13-45T10:46:03+07:00', ''])(
    'refuses %j',
    (text) => {
      expect(parseOffsetDateTime(text)).toBeUndefined();
    },
  );
});

describe('signing', () => {
  const { privateKeyPem, publicKey } = testKeyPair();
  const privateKey = createPrivateKey(privateKeyPem);

  it('signs clientId|timestamp with RSA-SHA256 in standard Base64, verifiable with the public key', () => {
    const data = tokenStringToSign('client-1', '2026-11-22T10:15:30+07:00');
    expect(data).toBe('client-1|2026-11-22T10:15:30+07:00');
    const signature = signRsaSha256(privateKey, data);
    expect(signature).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(signature, 'base64')).toHaveLength(256);
    expect(verifyRsaSha256(publicKey, data, signature)).toBe(true);
    expect(verifyRsaSha256(publicKey, `${data} `, signature)).toBe(false);
    expect(verifyRsaSha256(publicKey, data, 'garbage')).toBe(false);
  });

  it('builds the symmetric service string to sign with a minified body hash', () => {
    const body = '{ "a" : 1,\n "b": "x y", "c": null }';
    expect(minifyJson(body)).toBe('{"a":1,"b":"x y","c":null}');
    expect(minifyJson('{"q":"say \\"hi there\\""}')).toBe('{"q":"say \\"hi there\\""}');
    const digest = createHash('sha256').update('{"a":1,"b":"x y","c":null}').digest('hex');
    expect(serviceStringToSign('post', '/v1/x', 'tok', body, 'T')).toBe(`POST:/v1/x:tok:${digest}:T`);
    expect(signHmacSha512('s', 'data')).toBe(createHmac('sha512', 's').update('data').digest('base64'));
  });
});
