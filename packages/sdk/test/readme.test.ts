import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import nock from 'nock';
import { createKlikooEmulator } from '@kunci/klikoo/emulator';
import { createPivotLegacyEmulator } from '@kunci/pivot-legacy/emulator';
import { createPivotSnapEmulator } from '@kunci/pivot-snap/emulator';
import type { ProviderEmulator } from '@kunci/core/emulator';
import { testKeyPair, useStrictNock } from '#test-kit';
import { fencedBlocks, loadExample, ROOT, runnable, typeCheckBlocks, type DocBlock } from './doc-blocks';

const README = join(ROOT, 'README.md');
const GUIDES = [
  ...[
    'getting-started.md',
    'configuration.md',
    'errors.md',
    'token-manager.md',
    'service-calls.md',
    'nestjs.md',
    'operations.md',
    'providers/pivot-snap.md',
    'providers/pivot-legacy.md',
    'providers/klikoo.md',
  ].map((name) => join(ROOT, 'docs', name)),
  ...['core', 'redis-store', 'pivot-snap', 'pivot-legacy', 'klikoo', 'nest', 'sdk', 'cli', 'sandbox'].map((name) =>
    join(ROOT, 'packages', name, 'README.md'),
  ),
].filter((file) => existsSync(file));
const readmeBlocks = fencedBlocks(README);
const tsBlocks = (blocks: DocBlock[]): DocBlock[] => blocks.filter((block) => block.lang === 'ts');

describe('README and guide examples type-check', () => {
  it(`every ts block of README.md and ${GUIDES.length} guides compiles against the workspace sources`, () => {
    const blocks = tsBlocks([...readmeBlocks, ...GUIDES.flatMap(fencedBlocks)]);
    expect(tsBlocks(readmeBlocks).length).toBeGreaterThanOrEqual(6);
    expect(typeCheckBlocks(blocks)).toEqual([]);
  });

  it('reports a broken block with its markdown line', () => {
    const broken: DocBlock = {
      where: 'README.md:10',
      file: README,
      line: 10,
      heading: 'broken',
      lang: 'ts',
      code: "import { createTokenProvider } from '@kunci/sdk';\ncreateTokenProvider({ provider: 'stripe' });",
    };
    const [problem, ...rest] = typeCheckBlocks([broken]);
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^README\.md:11:\d+ TS\d+: /);
  });
});

// The credentials the README's examples name, as the emulators' registered clients.
const KLIKOO_CLIENT_SECRET = 'readme-klikoo-secret-32-chars-00';
const ENV: Record<string, string> = {
  PIVOT_PRIVATE_KEY: testKeyPair().privateKeyPem,
  PIVOT_CLIENT_SECRET: 'readme-pivot-client-secret',
  PIVOT_MERCHANT_SECRET: 'readme-merchant-secret',
  KLIKOO_CLIENT_SECRET,
  KLIKOO_PRIVATE_KEY: testKeyPair().base64Body,
};
const HOSTS: Record<string, () => ProviderEmulator[]> = {
  'https://api-stg.pivot-payment.com': () => [
    createPivotSnapEmulator({
      clients: [
        {
          clientId: 'my-client-id',
          publicKey: testKeyPair().publicKey,
          clientSecret: ENV.PIVOT_CLIENT_SECRET,
        },
      ],
      authCodePattern: /^BND-/,
    }),
    createPivotLegacyEmulator({
      merchants: [{ merchantId: 'my-merchant-id', merchantSecret: ENV.PIVOT_MERCHANT_SECRET as string }],
    }),
  ],
  'https://b2b.klikoo.example': () => [
    createKlikooEmulator({
      clients: [
        {
          clientId: '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02',
          clientSecret: KLIKOO_CLIENT_SECRET,
          publicKey: testKeyPair().publicKey,
        },
      ],
    }),
  ],
};

/**
 * Every request to the host is answered by its emulators: a token path by the emulator that serves
 * it, any other path (the provider's API, whose signed calls it verifies) by the host's first one.
 * Each host must be called.
 */
function serve(host: string, served: string[]): void {
  const emulators = HOSTS[host]?.() ?? [];
  function reply(this: nock.ReplyFnContext, uri: string, body: nock.Body): nock.ReplyFnResult {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.req.headers)) headers[name.toLowerCase()] = String(value);
    const url = new URL(uri, host);
    served.push(`${host}${url.pathname}`);
    const emulator = emulators.find((candidate) => candidate.tokenPaths.has(url.pathname)) ?? emulators[0];
    if (emulator === undefined) throw new Error(`no emulator for ${host}`);
    const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
    const answer = emulator.handle({
      method: this.req.method,
      path: url.pathname,
      url: url.pathname + url.search,
      headers,
      body: text,
    });
    return [answer.status, answer.body, answer.headers ?? {}];
  }
  // The examples only POST: a GET interceptor would stay pending, which strict nock refuses.
  nock(host).persist().post(/.*/).reply(reply);
}

/** `console.log(x); // Bearer 900 …` in a block: what the line prints, `…` standing for anything. */
function expectedLogs(block: DocBlock): Array<RegExp | undefined> {
  return block.code
    .split('\n')
    .filter((line) => /console\.log\(/.test(line))
    .map((line) => {
      const comment = /\);\s*\/\/\s*(.+)$/.exec(line)?.[1];
      if (comment === undefined) return undefined;
      const pattern = comment
        .split('…')
        .map((part) => part.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
      return new RegExp(`^${pattern}`);
    });
}

describe("README examples run against the providers' emulators (strict nock, nothing leaves the process)", () => {
  useStrictNock();
  const saved: Record<string, string | undefined> = {};
  let dir: string;
  beforeAll(() => {
    for (const [name, value] of Object.entries(ENV)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    dir = mkdtempSync(join(tmpdir(), 'kunci-readme-'));
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => jest.restoreAllMocks());

  // The README's kunci.config.json, with its klikoo key file beside it.
  const configFile = readmeBlocks.find((block) => block.lang === 'json' && block.code.includes('"providers"'));

  it.each(tsBlocks(readmeBlocks).map((block) => [block.heading, block.where, block] as const))(
    'README example for %s (%s) runs',
    async (_heading, _where, block) => {
      let code = runnable(block);
      let hostsText = block.code;
      if (block.code.includes('./kunci.config.json')) {
        if (configFile === undefined) throw new Error('README.md has no kunci.config.json block');
        mkdirSync(join(dir, 'keys'), { recursive: true });
        writeFileSync(join(dir, 'keys', 'klikoo.pem'), testKeyPair().pkcs1Pem);
        writeFileSync(join(dir, 'kunci.config.json'), configFile.code);
        code = code.split('./kunci.config.json').join(join(dir, 'kunci.config.json'));
        hostsText = configFile.code;
      }
      const served: string[] = [];
      const hosts = Object.keys(HOSTS).filter((host) => hostsText.includes(host));
      expect(hosts.length).toBeGreaterThan(0);
      for (const host of hosts) serve(host, served);

      const logs: string[] = [];
      jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(format(...args)));
      const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      await loadExample(code, require).run?.();

      expect(errors).not.toHaveBeenCalled();
      for (const host of hosts) expect(served.some((url) => url.startsWith(host))).toBe(true);
      // Without a loop, each console.log line prints once, in order, what its comment says.
      const expected = expectedLogs(block);
      if (!/\bfor\s*\(/.test(block.code)) expect(logs).toHaveLength(expected.length);
      expected.forEach((pattern, i) => {
        if (pattern !== undefined && expected.length === logs.length) expect(logs[i]).toMatch(pattern);
      });
    },
  );
});
