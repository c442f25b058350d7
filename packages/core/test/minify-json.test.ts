import { createHash } from 'node:crypto';
import { minifyJson, serviceStringToSign } from '../src/signing';

/** The first minifier, a character at a time with a regular expression: the reference for every output. */
function referenceMinify(body: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (inString) {
      out += ch;
      if (ch === '\\') out += body[++i] ?? '';
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (!/\s/.test(ch)) {
      out += ch;
    }
  }
  return out;
}

/** A small seeded generator (mulberry32), so that a failure names the seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WHITESPACE = [' ', '\t', '\n', '\r', '\u000b', '\u000c', '\u00a0', '\u2028', '\u3000', '\ufeff'];
const STRING_CHARS = ['a', 'Z', '0', ' ', '\t', '"', '\\', '/', 'é', '😀', '\u2028', '\u00a0', '{', '}', ':', ','];

function randomString(next: () => number): string {
  let text = '';
  const length = Math.floor(next() * 8);
  for (let i = 0; i < length; i++) text += STRING_CHARS[Math.floor(next() * STRING_CHARS.length)];
  return text;
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.3) {
    const leaf = Math.floor(next() * 6);
    if (leaf === 0) return null;
    if (leaf === 1) return next() < 0.5;
    if (leaf === 2) return Math.round(next() * 1e6) / 100;
    return randomString(next);
  }
  const size = Math.floor(next() * 5);
  if (pick < 0.6) return Array.from({ length: size }, () => randomValue(next, depth + 1));
  return Object.fromEntries(Array.from({ length: size }, () => [randomString(next), randomValue(next, depth + 1)]));
}

/** Serialized, then with whitespace (ASCII and not) scattered between its tokens. */
function randomJsonText(next: () => number): string {
  const pretty = JSON.stringify(randomValue(next, 0), null, next() < 0.5 ? 2 : '\t') ?? 'null';
  let out = '';
  let inString = false;
  for (let i = 0; i < pretty.length; i++) {
    const ch = pretty[i] as string;
    if (!inString && next() < 0.2) out += WHITESPACE[Math.floor(next() * WHITESPACE.length)];
    out += ch;
    if (inString && ch === '\\') out += pretty[++i] ?? '';
    else if (ch === '"') inString = !inString;
  }
  return out;
}

describe('minifyJson', () => {
  it('removes whitespace between tokens and keeps the whitespace inside strings', () => {
    expect(minifyJson('{ "a b" : "c\td  e" ,\n\t"f" : [ 1 , 2 ] }')).toBe('{"a b":"c\td  e","f":[1,2]}');
  });

  it('keeps escaped quotes and backslashes inside strings, and what follows them', () => {
    expect(minifyJson('{ "q" : "say \\"hi there\\" ", "b" : "a\\\\" , "c" : " x " }')).toBe(
      '{"q":"say \\"hi there\\" ","b":"a\\\\","c":" x "}',
    );
    expect(minifyJson('[ "\\\\\\" still inside " ]')).toBe('["\\\\\\" still inside "]');
  });

  it('keeps non-ASCII text and removes non-ASCII whitespace outside strings, as /\\s/ does', () => {
    expect(minifyJson('{\u00a0"naïve 😀" :\u2028"日本\u3000語"\ufeff}')).toBe('{"naïve 😀":"日本\u3000語"}');
    expect(minifyJson('{ "e" : "\\u0041 \\n" }')).toBe('{"e":"\\u0041 \\n"}');
  });

  it('keeps key order, nulls and nested structures', () => {
    const text = '{ "z" : null , "a" : { "b" : [ { "c" : [ [ ] , { } ] } , null ] } , "m" : 1.5e3 }';
    expect(minifyJson(text)).toBe('{"z":null,"a":{"b":[{"c":[[],{}]},null]},"m":1.5e3}');
    expect(minifyJson(text)).toBe(JSON.stringify(JSON.parse(text)).replace('1500', '1.5e3'));
  });

  it('returns a body without whitespace outside strings as it is', () => {
    const body = JSON.stringify({ note: 'with spaces inside', list: [1, 'two words'], nested: { x: null } });
    expect(minifyJson(body)).toBe(body);
    expect(minifyJson('')).toBe('');
  });

  it('gives what the character-at-a-time minifier gave, on random JSON with scattered whitespace', () => {
    for (let seed = 1; seed <= 2_000; seed++) {
      const text = randomJsonText(random(seed));
      const minified = minifyJson(text);
      if (minified !== referenceMinify(text))
        throw new Error(`seed ${seed}: ${JSON.stringify(text)} minified differently`);
      expect(minifyJson(minified)).toBe(minified);
    }
  });

  it('gives what the character-at-a-time minifier gave on text that is not JSON', () => {
    for (const text of [
      '  "open string  ',
      'a "b\\',
      '"\\',
      ' \\ " x " \\ ',
      'x y\u2029z',
      '\ud83d \ude00',
      '" \\\u2028 "  ',
    ]) {
      expect(minifyJson(text)).toBe(referenceMinify(text));
    }
  });

  it('is what serviceStringToSign hashes', () => {
    const body = '{ "amount" : { "value" : "1.00" } }';
    const digest = createHash('sha256').update('{"amount":{"value":"1.00"}}', 'utf8').digest('hex');
    expect(serviceStringToSign('post', '/v1/x', 'tok', body, '2026-11-22T10:15:30+07:00')).toBe(
      `POST:/v1/x:tok:${digest}:2026-11-22T10:15:30+07:00`,
    );
  });
});
