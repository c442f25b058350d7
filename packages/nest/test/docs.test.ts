import { join } from 'node:path';
import { format } from 'node:util';
import nock from 'nock';
import { testKeyPair, useStrictNock } from '#test-kit';
import { fencedBlocks, loadExample, ROOT, runnable, type ExampleModule } from '../../sdk/test/doc-blocks';
import { startStandIn } from './stand-in';

// npm run typecheck compiles these blocks (from .doc-blocks/, as every ts block of the docs); here
// they run, against the emulators on loopback, with the keys in the environment variables the guide
// names.
const GUIDE = join(ROOT, 'docs', 'nestjs.md');
const HOST = 'https://api-stg.pivot-payment.com';
const examples = fencedBlocks(GUIDE).filter((block) => block.lang === 'ts' && block.code.includes('console.log('));

useStrictNock();

/** `console.log(x); // Bearer …` in a block: what the line prints, `…` standing for anything. */
function expectedLines(code: string): RegExp[] {
  return [...code.matchAll(/console\.log\(.*\);\s*\/\/\s*(.+)$/gm)].map(
    (match) =>
      new RegExp(
        `^${(match[1] ?? '')
          .split('…')
          .map((part) => part.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}`,
        's',
      ),
  );
}

describe('docs/nestjs.md examples run against the emulators on loopback', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('the guide has its three runnable examples', () => {
    expect(examples.map((block) => block.heading)).toEqual([
      'Set-up with `forRoot`',
      'Set-up with `forRootAsync` and `@nestjs/config`',
      'Tests: a fake manager',
    ]);
  });

  it.each(examples.map((block) => [block.heading, block] as const))('%s', async (_heading, block) => {
    const standIn = await startStandIn({ snapClientId: 'my-client-id' });
    nock.enableNetConnect(standIn.url.replace('http://', ''));
    try {
      process.env.PIVOT_PRIVATE_KEY = testKeyPair().privateKeyPem;
      process.env.PIVOT_MERCHANT_SECRET = `ms_${Math.random().toString(36).slice(2)}`;
      process.env.PIVOT_CLIENT_SECRET = `cs_${Math.random().toString(36).slice(2)}`;
      const before = standIn.requests.length;
      const logs: string[] = [];
      jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(format(...args)));
      let example: ExampleModule = {};
      // Each example is a program of its own: its own copy of the modules, so the names one
      // example's decorators record are not another's.
      jest.isolateModules(() => {
        example = loadExample(runnable(block).split(HOST).join(standIn.url), require);
      });
      await example.run?.();
      const expected = expectedLines(block.code);
      expect(logs).toHaveLength(expected.length);
      expected.forEach((pattern, i) => expect(logs[i]).toMatch(pattern));
      // The fake manager's example reaches no server; the others fetch a token (and call the API).
      if (!block.code.includes('overrideProvider')) expect(standIn.requests.length).toBeGreaterThan(before);
      else expect(standIn.requests.length).toBe(before);
    } finally {
      await standIn.close();
    }
  });
});
