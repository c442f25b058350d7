import { randomBytes } from 'node:crypto';
import { redactBody, redactText, scrubSecrets } from '../src/redact';
import { leakedRuns } from '../test-kit/hostile-bodies';

const random = (bytes = 24): string => randomBytes(bytes).toString('base64url');

describe('redaction of provider text', () => {
  it('a truncated success body keeps no access token', () => {
    const token = `eyJ${random()}.${random()}.${random()}`;
    const refresh = random();
    const body = `{"responseCode":"2007300","accessToken":"${token}","refreshToken":"${refresh}","expiresIn":"9`;
    const kept = redactText(body, { cutShort: true });
    expect(leakedRuns(kept, [token, refresh])).toEqual([]);
    expect(kept).toContain('"responseCode":"2007300"');
  });

  it('a body cut inside a token value keeps none of it', () => {
    const token = random(30);
    const kept = redactText(`{"code":"00","data":{"access_token":"${token.slice(0, 12)}`, { cutShort: true });
    expect(leakedRuns(kept, [token])).toEqual([]);
  });

  it.each([
    ['form-encoded', (t: string) => `access_token=${t}&token_type=bearer&expires_in=900`],
    ['name: value text', (t: string) => `status: ok\naccessToken: ${t}\nexpires: 900`],
    ['a JWT in prose', (t: string) => `your token eyJhbGciOiJIUzI1NiJ9.${t}.sig is ready`],
    ['an opaque token in prose', (t: string) => `issued ${t}9Z for the client`],
    ['HTML', (t: string) => `<html><body><p>refresh_token=${t}</p></body></html>`],
  ])('%s keeps no token', (_title, shape) => {
    const token = random(30);
    expect(leakedRuns(redactText(shape(token)), [token])).toEqual([]);
  });

  it('scrubs a secret that crosses the cut: scrub first, then cut', () => {
    const secret = random(24);
    for (let offset = 170; offset <= 205; offset++) {
      const kept = redactText(
        `${'x '.repeat(offset / 2)}${offset % 2 === 0 ? '' : 'y'}${secret} and more text after it`,
        { secrets: [secret] },
      );
      expect({ offset, leaks: leakedRuns(kept, [secret]) }).toEqual({ offset, leaks: [] });
    }
  });

  it('removes the beginning of a secret that a cut-off body ends with', () => {
    const secret = random(24);
    expect(scrubSecrets(`message: bad client_secret ${secret.slice(0, 10)}`, [secret])).toBe(
      'message: bad client_secret [redacted]',
    );
  });

  it('takes what is left of a token around a removed secret', () => {
    const secret = random(16);
    const token = random(30);
    const text = `error ${token.slice(0, 11)}${secret}${token.slice(11)} end`;
    expect(leakedRuns(redactText(text, { secrets: [secret] }), [secret, token])).toEqual([]);
  });

  it('keeps ordinary words and codes readable', () => {
    expect(redactText('Service unavailable (4017300): retry later')).toBe('Service unavailable (4017300): retry later');
    expect(redactBody({ responseCode: '4017300', responseMessage: 'Unauthorized. Invalid signature' })).toEqual({
      responseCode: '4017300',
      responseMessage: 'Unauthorized. Invalid signature',
    });
  });
});
