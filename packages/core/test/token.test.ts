import { inspect } from 'node:util';
import { createAccessToken, deserializeAccessToken, serializeAccessToken } from '../src/token';
import { maskToken } from '../src/redact';

const fields = {
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.payload.signature',
  tokenType: 'Bearer' as const,
  expiresIn: 900,
  expiresAt: new Date('2026-11-22T03:15:00Z'),
  issuedAt: new Date('2026-11-22T03:00:00Z'),
  refreshToken: 'rt-0123456789abcdef',
  refreshTokenExpiresAt: new Date('2026-11-23T03:00:00Z'),
  provider: 'pivot-snap',
  responseCode: '2007400',
  responseMessage: 'Successful',
};

describe('AccessToken', () => {
  it('exposes every field as given, frozen', () => {
    const token = createAccessToken(fields);
    expect({ ...token }).toEqual(fields);
    expect(Object.isFrozen(token)).toBe(true);
  });

  it('prints masked in JSON and util.inspect, even nested', () => {
    const token = createAccessToken(fields);
    for (const printed of [
      JSON.stringify(token),
      JSON.stringify({ t: token }),
      inspect(token),
      inspect({ deep: { t: token } }, { showHidden: true, depth: 8 }),
      String(inspect([token])),
    ]) {
      expect(printed).not.toContain(fields.accessToken);
      expect(printed).not.toContain(fields.refreshToken);
    }
    expect(JSON.parse(JSON.stringify(token))).toMatchObject({
      accessToken: 'eyJh…',
      refreshToken: 'rt-0…',
      expiresAt: '2026-11-22T03:15:00.000Z',
    });
  });

  it('omits absent B2B2C fields', () => {
    const { refreshToken: _r, refreshTokenExpiresAt: _e, ...b2b } = fields;
    const token = createAccessToken(b2b);
    expect('refreshToken' in token).toBe(false);
    expect(Object.keys(JSON.parse(JSON.stringify(token)) as object)).not.toContain('refreshToken');
  });

  it('round-trips through the store serialization, and rejects anything else', () => {
    const token = createAccessToken(fields);
    expect({ ...deserializeAccessToken(serializeAccessToken(token)) }).toEqual(fields);
    for (const bad of [
      '',
      'null',
      '[]',
      '{"v":2}',
      '{"v":1,"accessToken":5}',
      'not json',
      JSON.stringify({ ...JSON.parse(serializeAccessToken(token)), expiresAt: 'x' }),
    ]) {
      expect(deserializeAccessToken(bad)).toBeUndefined();
    }
  });

  it('maskToken keeps four characters', () => {
    expect(maskToken('abcdefgh')).toBe('abcd…');
    expect(maskToken('abc')).toBe('…');
    expect(maskToken(undefined)).toBeUndefined();
  });
});
