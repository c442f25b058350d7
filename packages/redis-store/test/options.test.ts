import { randomBytes, randomInt } from 'node:crypto';
import { isAuthError } from '@kunci/core';
import { expectNoSecrets } from '#test-kit';
import { RedisTokenStore, type RedisTokenStoreOptions } from '../src';
import { freePort } from './redis-server';

const MAX_TIMER_MS = 2 ** 31 - 1;

/** The CONFIG_INVALID the options are refused with; fails the test when they are accepted. */
function refusal(options: unknown): Error {
  let store: RedisTokenStore | undefined;
  try {
    store = new RedisTokenStore(options as RedisTokenStoreOptions);
  } catch (error) {
    expect(isAuthError(error) && error.code === 'CONFIG_INVALID').toBe(true);
    return error as Error;
  }
  void store.close();
  throw new Error(`accepted: ${JSON.stringify(options)}`);
}

function accepted(options: RedisTokenStoreOptions): Promise<void> {
  return new RedisTokenStore(options).close();
}

/** Every numeric option, with the smallest and largest value it takes. */
const NUMERIC: ReadonlyArray<{ option: keyof RedisTokenStoreOptions; min: number; max: number }> = [
  { option: 'commandTimeoutMs', min: 1, max: MAX_TIMER_MS },
];

const name = (): string => `o${randomBytes(5).toString('hex')}`;

describe('RedisTokenStore: every numeric option at its bounds', () => {
  it.each(NUMERIC)('$option takes $min and $max', async ({ option, min, max }) => {
    await accepted({ [option]: min });
    await accepted({ [option]: max });
    await accepted({ [option]: randomInt(min, max) });
  });

  it.each(NUMERIC)(
    '$option refuses below, above, fractions, NaN, infinities and numeric strings, naming the option',
    ({ option, min, max }) => {
      const bad: unknown[] = [
        min - 1,
        -1,
        max + 1,
        3e9,
        1e12,
        max + randomInt(1, 2 ** 40),
        min + 0.5,
        NaN,
        Infinity,
        -Infinity,
        String(min),
        true,
        [min],
        { value: min },
      ];
      for (const value of bad) expect(refusal({ [option]: value }).message).toContain(`${option} must be a`);
    },
  );
});

describe('RedisTokenStore: unknown and ill-typed options, at every level, in one CONFIG_INVALID', () => {
  it('names an unknown option, and the known one a typo is close to', () => {
    const message = refusal({ prefix: 'p:', commandTimeoutMS: 500, colour: 'red' }).message;
    expect(message).toContain('commandTimeoutMS is not an option (did you mean commandTimeoutMs?)');
    expect(message).toContain(
      'colour is not an option (the options are url, client, prefix, encryptionKey, commandTimeoutMs)',
    );
  });

  it('lists every problem of random option sets: unknown names and wrong types, top level and nested', () => {
    const wrongTypes: Record<string, unknown[]> = {
      url: [5, true, {}, [], null],
      prefix: [5, false, { a: 1 }, ['x'], null],
      encryptionKey: [5, {}, [], [5], null],
      commandTimeoutMs: ['5', {}, null, NaN],
      client: [5, 'redis://x', {}, null],
    };
    for (let round = 0; round < 25; round++) {
      const options: Record<string, unknown> = {};
      const expected: string[] = [];
      for (const [option, values] of Object.entries(wrongTypes)) {
        if (Math.random() < 0.5 && option !== 'client') continue;
        if (option === 'client' && 'url' in options) continue;
        options[option] = values[randomInt(values.length)];
        expected.push(option);
      }
      const unknown = Array.from({ length: randomInt(1, 4) }, name);
      for (const key of unknown) options[key] = Math.random() < 0.5 ? 1 : 'value';
      const message = refusal(options).message;
      for (const option of expected) expect(message).toMatch(new RegExp(`\\b${option}(\\[\\d+\\])? must be`));
      for (const key of unknown) expect(message).toContain(`${key} is not an option`);
    }
  });

  it('checks inside a list of keys and inside a RedisCommands client', () => {
    const message = refusal({
      encryptionKey: [randomBytes(32).toString('hex'), 7],
      client: {
        get: () => Promise.resolve(null),
        set: 5,
        setIfAbsent: () => Promise.resolve(true),
        del: 'x',
        scan: {},
      },
    }).message;
    expect(message).toContain('encryptionKey[1] must be a string (got 7)');
    expect(message).toContain('client.set must be a function (got 5)');
    expect(message).toContain('client.del must be a function (got a string)');
    expect(message).toContain('client.evalOnKey must be a function (got undefined)');
    expect(message).toContain('client.scan must be a function (got an object)');
  });

  it('refuses options that are not an object', () => {
    for (const options of ['redis://127.0.0.1', 5, null, [], true])
      expect(refusal(options).message).toContain('the options must be an object');
  });

  it('echoes no value of a refused option', () => {
    const password = randomBytes(12).toString('hex');
    const key = randomBytes(32).toString('hex');
    const error = refusal({ url: `redis://:${password}@127.0.0.1`, encryptionKey: [key, 5], [name()]: password });
    expectNoSecrets(error, [password, key]);
  });
});

describe('RedisTokenStore with Redis down at start', () => {
  it('fails the first commands with the connection error at once, not after the command timeout', async () => {
    const port = await freePort();
    // A timeout beyond the test's own: only a command that fails without waiting for it passes.
    const store = new RedisTokenStore({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 20_000 });
    try {
      const first = await Promise.allSettled([store.get('a'), store.acquireLock('a', 1_000), store.delete('a')]);
      for (const outcome of first) {
        expect(outcome.status).toBe('rejected');
        expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/ECONNREFUSED/);
      }
      // Later, while the client reconnects in the background: offline, at once.
      await expect(store.get('a')).rejects.toThrow(/offline|ECONNREFUSED/i);
    } finally {
      await store.close();
    }
  });
});
