import { expect } from '@jest/globals';
import { isAuthError, type AuthError } from '../../src/errors';
import { MemoryTokenStore, TokenManager } from '../../src/manager';
import type { TokenManagerOptions } from '../../src/manager';
import { checkOptions, integer, MAX_TIMER_MS, object, required, type OptionsSchema } from '../../src/options-check';
import { deferred } from '../../test-kit/deferred';
import { FakeProvider, makeToken } from './fake-provider';
import { FakeStore } from './fake-store';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();

function refusal(build: () => unknown): AuthError {
  try {
    build();
  } catch (error) {
    if (isAuthError(error)) return error;
    throw error;
  }
  throw new Error('no error was thrown');
}

/** The options with `value` at a dotted `path` (`retry.attempts`). */
function withOption(path: string, value: unknown): TokenManagerOptions {
  const [head, leaf] = path.split('.') as [string, string | undefined];
  return leaf === undefined ? { [head]: value } : { [head]: { [leaf]: value } };
}

const manager = (options: unknown): TokenManager =>
  new TokenManager(new FakeProvider(), options as TokenManagerOptions);

interface NumericOption {
  path: string;
  min: number;
  max: number;
  whole: boolean;
}

// Every numeric option of a TokenManager: a timer's milliseconds stop at 2^31 - 1.
const NUMERIC: NumericOption[] = [
  { path: 'refreshBeforeSeconds', min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 1000), whole: false },
  { path: 'maxEntries', min: 1, max: 2 ** 24, whole: true },
  { path: 'fetchTimeoutMs', min: 1, max: MAX_TIMER_MS, whole: false },
  { path: 'retry.attempts', min: 1, max: Number.MAX_SAFE_INTEGER, whole: true },
  { path: 'retry.baseDelayMs', min: 0, max: MAX_TIMER_MS, whole: false },
  { path: 'retry.maxDelayMs', min: 0, max: MAX_TIMER_MS, whole: false },
  { path: 'refreshBackoff.baseDelayMs', min: 1, max: MAX_TIMER_MS, whole: false },
  { path: 'refreshBackoff.maxDelayMs', min: 1, max: MAX_TIMER_MS, whole: false },
  { path: 'lock.waitMs', min: 0, max: MAX_TIMER_MS, whole: false },
  { path: 'lock.pollMs', min: 1, max: MAX_TIMER_MS, whole: false },
  { path: 'storeTimeoutMs', min: 1, max: MAX_TIMER_MS, whole: false },
];

describe('TokenManager numeric options, each at its bounds', () => {
  it.each(NUMERIC)('$path is accepted at $min and at $max', ({ path, min, max }) => {
    expect(() => manager(withOption(path, min))).not.toThrow();
    expect(() => manager(withOption(path, max))).not.toThrow();
  });

  it.each(NUMERIC)('$path is refused out of range, not finite, or of another type', ({ path, min, max, whole }) => {
    const bad: unknown[] = [
      min - 1,
      min - 0.001,
      max + 1,
      max * 2 + 1,
      NaN,
      Infinity,
      -Infinity,
      '5',
      null,
      true,
      {},
      [1],
      1e12,
      3e9,
    ].filter((value) => !(typeof value === 'number' && value >= min && value <= max));
    if (whole) bad.push(min + 0.5);
    for (const value of bad) {
      const error = refusal(() => manager(withOption(path, value)));
      expect(error).toMatchObject({ code: 'CONFIG_INVALID', provider: 'pivot-snap', retryable: false });
      expect(error.message).toContain(`${path} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`);
    }
  });

  it('takes a timeout above 2^31 - 1 ms (where a timer would fire at once) as the mistake it is', () => {
    expect(refusal(() => manager({ fetchTimeoutMs: 1e12 })).message).toMatch(
      /fetchTimeoutMs must be .* to 2147483647 \(got 1000000000000\)/,
    );
    expect(refusal(() => manager({ storeTimeoutMs: 3e9 })).message).toMatch(
      /storeTimeoutMs must be .*\(got 3000000000\)/,
    );
  });

  it('waits its whole fetchTimeoutMs at the largest one a timer keeps', async () => {
    jest.useFakeTimers({ now: T0 });
    try {
      const answer = deferred<ReturnType<typeof makeToken>>();
      const tokens = new TokenManager(new FakeProvider().script(answer), { fetchTimeoutMs: MAX_TIMER_MS });
      const waiting = tokens.getToken();
      await jest.advanceTimersByTimeAsync(60_000);
      const token = makeToken();
      answer.resolve(token);
      await expect(waiting).resolves.toBe(token);
      await tokens.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('uses a store at the largest storeTimeoutMs', async () => {
    const store = new FakeStore();
    const tokens = new TokenManager(new FakeProvider(), { store, storeTimeoutMs: MAX_TIMER_MS });
    const token = await tokens.getToken();
    expect(store.tokens.get('pivot-snap:client-1')).toBe(token);
    await tokens.close();
  });

  it('MemoryTokenStore: maxEntries at its bounds', () => {
    expect(() => new MemoryTokenStore({ maxEntries: 1 })).not.toThrow();
    expect(() => new MemoryTokenStore({ maxEntries: 2 ** 24 })).not.toThrow();
    for (const maxEntries of [0, 2 ** 24 + 1, 1.5, NaN, Infinity]) {
      expect(refusal(() => new MemoryTokenStore({ maxEntries })).message).toContain(
        'maxEntries must be a whole number from 1 to 16777216',
      );
    }
  });
});

// Every option name, nested ones with their path.
const NAMES = [
  'refreshBeforeSeconds',
  'store',
  'maxEntries',
  'fetchTimeoutMs',
  'retry',
  'refreshBackoff',
  'lock',
  'storeTimeoutMs',
  'clock',
  'random',
  'logger',
  'retry.attempts',
  'retry.baseDelayMs',
  'retry.maxDelayMs',
  'refreshBackoff.baseDelayMs',
  'refreshBackoff.maxDelayMs',
  'lock.waitMs',
  'lock.pollMs',
];

/** A typo of `name`: one character dropped, doubled, swapped with the next, or changed. */
function typo(name: string, seed: number): string {
  const i = 1 + (seed % (name.length - 2));
  switch (seed % 4) {
    case 0:
      return name.slice(0, i) + name.slice(i + 1);
    case 1:
      return name.slice(0, i) + (name[i] ?? '') + name.slice(i);
    case 2:
      return name.slice(0, i) + (name[i + 1] ?? '') + (name[i] ?? '') + name.slice(i + 2);
    default:
      return name.slice(0, i) + (name[i] === 'x' ? 'y' : 'x') + name.slice(i + 1);
  }
}

/** Plain Levenshtein distance (a transposition counts 2), to tell an ambiguous typo. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next.push(
        Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)),
      );
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

describe('TokenManager options of unknown names or types', () => {
  it.each(NAMES)('a typo of %s is refused with the name it most likely meant', (path) => {
    const parts = path.split('.');
    const leaf = parts[parts.length - 1] as string;
    const siblings = NAMES.filter(
      (name) =>
        name.split('.').length === parts.length && name.startsWith(parts.length === 1 ? '' : `${parts[0] as string}.`),
    )
      .map((name) => name.split('.').pop() as string)
      .filter((name) => name !== leaf);
    let asserted = 0;
    for (let seed = 0; seed < 12; seed++) {
      const wrong = typo(leaf, seed * 7 + 3);
      // `cock` is as near `lock` as `clock`: either answer is right, so neither is asserted.
      if (wrong === leaf || siblings.some((name) => distance(wrong.toLowerCase(), name.toLowerCase()) <= 2)) continue;
      const options = parts.length === 1 ? { [wrong]: 1 } : { [parts[0] as string]: { [wrong]: 1 } };
      const error = refusal(() => manager(options));
      expect(error.code).toBe('CONFIG_INVALID');
      const prefix = parts.length === 1 ? '' : `${parts[0] as string}.`;
      expect(error.message).toContain(`${prefix}${wrong} is not an option (did you mean ${path}?)`);
      asserted++;
    }
    expect(asserted).toBeGreaterThan(0);
  });

  it('refuses refreshBeforSeconds, and names the options when a name is nothing like one', () => {
    expect(refusal(() => manager({ refreshBeforSeconds: 60 })).message).toContain(
      'refreshBeforSeconds is not an option (did you mean refreshBeforeSeconds?)',
    );
    expect(refusal(() => manager({ colour: 'red' })).message).toMatch(
      /colour is not an option \(the options are refreshBeforeSeconds, store, .*logger\)/,
    );
  });

  it.each<[string, unknown, string]>([
    ['clock', 5, 'clock must be a function (got 5)'],
    ['random', 'Math.random', 'random must be a function (got a string)'],
    ['logger', 5, 'logger must be a Logger (got 5)'],
    ['logger', { info: () => undefined }, 'logger must be a Logger (debug(), warn(), error() are not a function)'],
    ['store', {}, 'store must be a TokenStore (get(), set(), delete() are not a function)'],
    ['store', 'redis://localhost', 'store must be a TokenStore (got a string)'],
    ['retry', 'never', 'retry must be an object (got a string)'],
    ['retry', true, 'retry must be an object (got true)'],
    ['retry', [3], 'retry must be an object (got an array)'],
    ['lock', 5, 'lock must be an object (got 5)'],
    ['refreshBackoff', null, 'refreshBackoff must be an object (got null)'],
  ])('refuses %s: %p at construction', (name, value, problem) => {
    const error = refusal(() => manager({ [name]: value }));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', provider: 'pivot-snap' });
    expect(error.message).toContain(problem);
  });

  it('refuses options that are not an object', () => {
    for (const options of [5, 'fast', [], true]) {
      expect(refusal(() => manager(options)).message).toMatch(/the options must be an object/);
    }
  });

  it('lists every problem, at every level, in one CONFIG_INVALID', () => {
    const problems: [string, unknown, string][] = [
      ['refreshBeforSeconds', 60, 'refreshBeforSeconds is not an option'],
      ['clock', 5, 'clock must be a function'],
      ['logger', 5, 'logger must be a Logger'],
      ['fetchTimeoutMs', 1e12, 'fetchTimeoutMs must be a number'],
      ['retry', { atempts: 3, maxDelayMs: -1 }, 'retry.atempts is not an option (did you mean retry.attempts?)'],
      ['lock', { pollMs: 0 }, 'lock.pollMs must be a number'],
    ];
    for (let round = 0; round < 20; round++) {
      const chosen = problems.filter(() => Math.random() < 0.5);
      if (chosen.length === 0) continue;
      const error = refusal(() => manager(Object.fromEntries(chosen.map(([name, value]) => [name, value]))));
      for (const [, , problem] of chosen) expect(error.message).toContain(problem);
      for (const [, , problem] of problems.filter((p) => !chosen.includes(p)))
        expect(error.message).not.toContain(problem);
    }
    const all = refusal(() => manager(Object.fromEntries(problems.map(([name, value]) => [name, value]))));
    expect(all.message).toContain('retry.maxDelayMs must be a number from 0 to 2147483647 (got -1)');
  });

  it('takes undefined for the default, at every level', () => {
    const undefinedEverywhere = Object.fromEntries(
      NAMES.filter((name) => !name.includes('.')).map((name) => [name, undefined]),
    );
    expect(() => manager(undefinedEverywhere)).not.toThrow();
    expect(() =>
      manager({ retry: { attempts: undefined }, lock: {}, refreshBackoff: { maxDelayMs: undefined } }),
    ).not.toThrow();
    expect(() => manager({ retry: false })).not.toThrow();
  });

  it('never echoes a string option: it may be a secret', () => {
    const secret = 'redis://:hunter2-0123456789@localhost';
    const error = refusal(() => manager({ store: secret, sotre: secret, fetchTimeoutMs: secret }));
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('hunter2');
  });
});

describe('checkOptions', () => {
  interface Sample {
    port?: number | undefined;
    nested?: { depth?: number | undefined } | undefined;
  }
  const schema: OptionsSchema<Sample> = {
    port: required(integer(1, 65_535)),
    nested: object<NonNullable<Sample['nested']>>({ depth: integer(0, 3) }),
  };

  it('reports a required option that is absent, and nothing for a good object', () => {
    expect(checkOptions({}, schema)).toEqual(['port is required']);
    expect(checkOptions({ port: 6379, nested: { depth: 2 } }, schema)).toEqual([]);
  });

  it('prefixes every problem with the path it is given', () => {
    expect(checkOptions({ port: 0, nested: { depht: 1 } }, schema, 'redis')).toEqual([
      'redis.port must be a whole number from 1 to 65535 (got 0)',
      'redis.nested.depht is not an option (did you mean redis.nested.depth?)',
    ]);
  });

  it('shows an unknown name that is not a plain word as JSON, cut short', () => {
    const [problem] = checkOptions({ port: 1, ['a\nb'.repeat(40)]: 1 }, schema);
    expect(problem).toMatch(/^"a\\nb.*" is not an option/);
    expect(problem?.length).toBeLessThan(200);
  });
});
