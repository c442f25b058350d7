import { randomBytes } from 'node:crypto';
import { redactBody, redactText, scrubSecrets } from '../src/redact';
import { leakedRuns, SeededRandom } from '../test-kit/hostile-bodies';

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

describe('token-named fields at any depth, whole or cut short', () => {
  const TOKEN_NAMES = ['accessToken', 'access_token', 'refreshToken', 'token', 'id_token', 'clientSecret', 'authCode'];
  const PLAIN_NAMES = ['data', 'result', 'info', 'items', 'code', 'message', 'expiresIn', 'meta'];
  const TOKEN_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz';

  /** A random JSON value with one token-named field holding `token` at `depth`, among plain fields and arrays. */
  function nest(random: SeededRandom, depth: number, token: string): unknown {
    // Sometimes nothing: a token field first in its object is the case a pair pattern misses.
    const filler = (): Record<string, unknown> =>
      random.int(2) === 0 ? {} : { [random.pick(PLAIN_NAMES)]: random.pick(['00', 'ok', 900, true, null, ['a', 1]]) };
    const holder: unknown =
      depth === 0
        ? { ...filler(), [random.pick(TOKEN_NAMES)]: random.int(5) === 0 ? [token] : token, ...filler() }
        : { ...filler(), [random.pick(PLAIN_NAMES)]: nest(random, depth - 1, token) };
    return random.int(4) === 0 ? [filler(), holder] : holder;
  }

  it('keeps none of a short token, parsed or as text cut at any point after it begins', () => {
    const random = SeededRandom.fromEnv();
    for (let round = 0; round < 400; round++) {
      // Short and sometimes without a digit: too little to look like a token by its shape.
      const token = random.string(6 + random.int(18), random.int(2) === 0 ? TOKEN_ALPHABET : undefined);
      const body = { code: '00', message: 'ok', payload: nest(random, random.int(6), token) };
      const text = JSON.stringify(body);
      const start = text.indexOf(token);
      const cut = start + 4 + random.int(text.length - start - 3);
      const shown = text.slice(start, Math.min(cut, start + token.length));
      const context = { seed: random.seed, round, text: text.slice(0, cut) };
      expect({ ...context, kept: JSON.stringify(redactBody(body)).includes(token) }).toEqual({
        ...context,
        kept: false,
      });
      const kept = String(redactBody(text.slice(0, cut), { cutShort: true }));
      expect({ ...context, kept: kept.includes(shown) }).toEqual({ ...context, kept: false });
    }
  });

  it('names stay readable and only the token fields go', () => {
    expect(
      redactText('{"code":"00","data":{"accessToken":"k7Gq2LmN8pXr4TzW1vBc","expiresIn":"90', { cutShort: true }),
    ).toBe('{"code":"00","data":{"accessToken":"[redacted]","expiresIn":"90');
    expect(redactText('{"credentials":{"id":"abc","list":["x",1]},"code":"00"}')).toBe(
      '{"credentials":{"id":"[redacted]","list":["[redacted]",[redacted]]},"code":"00"}',
    );
  });
});
