import { randomInt } from 'node:crypto';

// Held in module bindings: under jest a test runs in a vm context, where every read of a global
// (`Math`) goes through the context's interceptors, which in these loops costs more than the work.
const { floor, imul } = Math;

/** A seeded generator (mulberry32): a failing run is replayed with its seed. */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** The seed from KUNCI_TEST_SEED when set (to replay a failure), else a fresh one. */
  static fromEnv(): SeededRandom {
    const given = process.env.KUNCI_TEST_SEED;
    return new SeededRandom(given !== undefined && given !== '' ? Number(given) : randomInt(2 ** 31));
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  string(length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A token as providers issue them: a JWT, an opaque Base64url string or hex. Each holds letters and digits. */
export function randomProviderToken(random: SeededRandom): string {
  const kind = random.int(3);
  const mixed = (text: string): string => `${text}${random.pick(['a', 'Q', 'z'])}${random.int(10)}`;
  if (kind === 0)
    return `eyJ${random.string(20, BASE64URL)}.${random.string(40, BASE64URL)}.${mixed(random.string(30, BASE64URL))}`;
  if (kind === 1) return mixed(random.string(30 + random.int(20), BASE64URL));
  return mixed(random.string(40, '0123456789abcdef'));
}

export const BODY_SHAPES = ['json', 'truncated-json', 'html', 'form', 'text'] as const;
export type BodyShape = (typeof BODY_SHAPES)[number];

/** Where values were planted: none may come out of kunci in 8 characters or more. */
export interface Planted {
  /** Values kunci was given (config secrets, the caller's refresh token): placed anywhere. */
  known: readonly string[];
  /** Credentials kunci never saw (a provider's tokens): in credential-named fields, or anywhere when long. */
  unknown: readonly string[];
}

const NEUTRAL_FIELDS = [
  'code',
  'message',
  'error',
  'error_description',
  'detail',
  'trace_id',
  'responseMessage',
  'hint',
];
const TOKEN_FIELDS = [
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'token',
  'id_token',
  'client_secret',
  'authorization',
];
const WORDS = [
  'invalid',
  'request',
  'the',
  'token',
  'was',
  'not',
  'accepted',
  'retry',
  'later',
  'upstream',
  'error',
  'gateway',
  'code',
  'value',
];

function filler(random: SeededRandom, words: number): string {
  return Array.from({ length: words }, () => random.pick(WORDS)).join(' ');
}

/** `text` with `value` put in at a random offset. */
function insert(random: SeededRandom, text: string, value: string): string {
  const at = random.int(text.length + 1);
  return `${text.slice(0, at)}${value}${text.slice(at)}`;
}

/**
 * A hostile answer body of the given shape: every field holds filler with planted values at random
 * offsets; credential-named fields hold credentials. `long` pads it past any cut kunci makes.
 */
export function hostileBody(random: SeededRandom, shape: BodyShape, planted: Planted, long: boolean): string {
  const fields: Array<[string, string]> = [];
  const everything = [...planted.known, ...planted.unknown];
  for (const name of NEUTRAL_FIELDS) {
    let text = filler(random, long ? 20 + random.int(60) : 2 + random.int(6));
    // Known values anywhere; a provider's own token anywhere too, as it is long enough to look like one.
    for (const value of everything) if (random.next() < 0.5) text = insert(random, text, value);
    fields.push([name, text]);
  }
  for (const value of everything) fields.splice(random.int(fields.length + 1), 0, [random.pick(TOKEN_FIELDS), value]);
  switch (shape) {
    case 'json':
    case 'truncated-json': {
      const [first, ...rest] = fields;
      const nested = Object.fromEntries(rest.slice(0, 4));
      const json = JSON.stringify({
        ...Object.fromEntries(rest.slice(4)),
        data: nested,
        ...(first ? { [first[0]]: first[1] } : {}),
      });
      return shape === 'json' ? json : json.slice(0, 1 + random.int(json.length - 1));
    }
    case 'html':
      return `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Error</h1>${fields
        .map(([name, value]) => `<p class="${name}">${name}: ${value}</p>`)
        .join('')}<pre>${fields.map(([name, value]) => `${name}=${value}`).join('&')}</pre></body></html>`;
    case 'form':
      return fields.map(([name, value]) => `${name}=${value.replace(/ /g, '+')}`).join('&');
    case 'text':
      return fields.map(([name, value]) => `${name}: ${value}`).join('\n');
  }
}

/**
 * Each run of 8 characters of a planted value that appears in `output`, shown where it first
 * appears: in the values' order, each run once.
 */
export function leakedRuns(output: string, values: readonly string[], run = 8): string[] {
  const pieces = new Set<string>();
  for (const value of values) for (let i = 0; i + run <= value.length; i++) pieces.add(value.slice(i, i + run));
  const firstAt = firstOccurrences(output, pieces, run);
  const leaks = new Map<string, string>();
  for (const value of values) {
    for (let i = 0; i + run <= value.length; i++) {
      const piece = value.slice(i, i + run);
      const at = firstAt.get(piece);
      if (at !== undefined && !leaks.has(piece))
        leaks.set(piece, `${piece} in ${JSON.stringify(output.slice(Math.max(0, at - 60), at + 60))}`);
    }
  }
  return [...leaks.values()];
}

/**
 * Where each piece (all `length` characters long) first occurs in `text`: one pass over the text's
 * windows of that length, each looked up among the pieces, so the cost is the text's length, not
 * its length times the pieces' number (an indexOf per piece reads the whole text for every piece
 * that is absent).
 */
function firstOccurrences(text: string, pieces: ReadonlySet<string>, length: number): Map<string, number> {
  const found = new Map<string, number>();
  for (let at = 0; at + length <= text.length && found.size < pieces.size; at++) {
    const window = text.slice(at, at + length);
    if (pieces.has(window) && !found.has(window)) found.set(window, at);
  }
  return found;
}
