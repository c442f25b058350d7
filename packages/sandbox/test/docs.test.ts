import { join } from 'node:path';
import { format } from 'node:util';
import { expect as jestExpect } from '@jest/globals';
import nock from 'nock';
import { differences, fencedBlocks, loadExample, ROOT, runnable, type DocBlock } from '../../sdk/test/doc-blocks';

// The examples of docs/sandbox.md, docs/testing.md and docs/cli.md: type-checked as a reader's
// project compiles them (npm run typecheck, from the copies under .doc-blocks/), and run here. The
// jest tests of docs/testing.md run under a small runner of their describe/it/hooks, as jest would
// run them in a file of their own.

const DOCS = ['sandbox.md', 'testing.md', 'cli.md'].map((name) => join(ROOT, 'docs', name));
const blocks = DOCS.flatMap(fencedBlocks).filter((block) => block.lang === 'ts');
const inFile = (name: string): DocBlock[] => blocks.filter((block) => block.file.endsWith(name));

type Fn = () => unknown;

/** describe/it/hooks that collect, then run in jest's order; `expect` is jest's own. */
function miniJest(): { globals: Record<string, unknown>; run(): Promise<string[]> } {
  const tests: Array<{ name: string; fn: Fn }> = [];
  const hooks: Record<'beforeAll' | 'afterAll' | 'beforeEach' | 'afterEach', Fn[]> = {
    beforeAll: [],
    afterAll: [],
    beforeEach: [],
    afterEach: [],
  };
  const hook = (kind: keyof typeof hooks) => (fn: Fn) => void hooks[kind].push(fn);
  return {
    globals: {
      describe: (_name: string, fn: Fn) => void fn(),
      it: (name: string, fn: Fn) => void tests.push({ name, fn }),
      test: (name: string, fn: Fn) => void tests.push({ name, fn }),
      beforeAll: hook('beforeAll'),
      afterAll: hook('afterAll'),
      beforeEach: hook('beforeEach'),
      afterEach: hook('afterEach'),
      expect: jestExpect,
    },
    async run() {
      try {
        for (const fn of hooks.beforeAll) await fn();
        for (const test of tests) {
          for (const fn of hooks.beforeEach) await fn();
          try {
            await test.fn();
          } finally {
            for (const fn of hooks.afterEach) await fn();
          }
        }
      } finally {
        for (const fn of hooks.afterAll) await fn();
      }
      return tests.map((test) => test.name);
    },
  };
}

async function runBlock(block: DocBlock, globals: Record<string, unknown> = {}): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example's imports come from jest's module registry, as the tests' own imports do
  const load = (name: string): unknown => (name === '@jest/globals' ? globals : require(name));
  await loadExample(runnable(block), load).run?.();
}

// nock's hold on node's http outlives this file's module registry unless it is restored: a later
// file in the same worker would otherwise meet this file's interceptors.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('docs of the sandbox, the test helpers and the CLI', () => {
  it('every ts block is written, current, under .doc-blocks/ for npm run typecheck', () => {
    expect(inFile('sandbox.md')).toHaveLength(3);
    expect(inFile('testing.md')).toHaveLength(3);
    expect(differences(blocks)).toEqual([]);
  });

  // The examples start a sandbox as the docs do, generating two RSA-2048 pairs: seconds on a loaded
  // machine, hence the minute allowed.
  it.each([
    [0, ['pivot-snap 900', "[ 'accepted', 'fault: retryAfter (429, Retry-After 0)' ]"]],
    [1, ['2000000', '200002000', "[ 'accepted', 'accepted' ]"]],
    [
      2,
      [
        'good 2000000 true',
        'tampered 4010000 true',
        'stale 4010000 true',
        'replayed 2000000 then 4090000 true',
        'wrong-key 4010000 true',
        'malformed 4000000 true',
      ],
    ],
  ] as const)(
    'docs/sandbox.md: example %i runs and prints what its comments say',
    async (index, printed) => {
      const logs: string[] = [];
      const spy = jest
        .spyOn(console, 'log')
        .mockImplementation((...args: unknown[]) => void logs.push(format(...args)));
      try {
        await runBlock(inFile('sandbox.md')[index] as DocBlock);
      } finally {
        spy.mockRestore();
      }
      expect(logs).toEqual(printed);
    },
    60_000,
  );

  it.each(inFile('testing.md').map((block) => [block.heading, block] as const))(
    'docs/testing.md: "%s" passes as a jest test',
    async (_heading, block) => {
      const mini = miniJest();
      await runBlock(block, mini.globals);
      const ran = await mini.run();
      expect(ran.length).toBeGreaterThan(0);
      nock.cleanAll();
      nock.enableNetConnect();
    },
  );
});
