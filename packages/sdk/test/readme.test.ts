import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { format } from 'node:util';
import nock from 'nock';
import { createKlikooEmulator } from '@kunci/klikoo/emulator';
import { createPivotLegacyEmulator } from '@kunci/pivot-legacy/emulator';
import { createPivotSnapEmulator } from '@kunci/pivot-snap/emulator';
import type { ProviderEmulator } from '@kunci/core/emulator';
import { testKeyPair, useStrictNock } from '#test-kit';
import {
  blockModule,
  differences,
  expectedModules,
  fencedBlocks,
  loadExample,
  locate,
  markdownFiles,
  OUT_DIR,
  ROOT,
  runnable,
  typescript,
  type DocBlock,
  writeModules,
} from './doc-blocks';

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

// `npm run typecheck` compiles the docs' blocks (scripts/doc-blocks.cjs writes them under .doc-blocks/,
// tsconfig.doc-blocks.json compiles them as a reader's project would); here, that what it compiles
// is current and that its errors name the markdown's lines.
describe('README and guide examples are type-checked by npm run typecheck', () => {
  it(`every ts block of README.md and ${GUIDES.length} guides is written, current, under .doc-blocks/`, () => {
    const blocks = tsBlocks([...readmeBlocks, ...GUIDES.flatMap(fencedBlocks)]);
    expect(tsBlocks(readmeBlocks).length).toBeGreaterThanOrEqual(6);
    expect(differences(blocks)).toEqual([]);
  });

  it('.doc-blocks/ is what scripts/doc-blocks.cjs writes now: no block missing or stale, no file left over', () => {
    expect(differences()).toEqual([]);
  });

  it('the check of the folder finds a block missing, a stale one and a file left over; writing mends them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kunci-doc-blocks-'));
    try {
      const modules = expectedModules();
      expect(writeModules(dir)).toEqual({ modules: modules.size, written: modules.size, removed: 0 });
      expect(differences(undefined, dir)).toEqual([]);
      const [first, second] = [...modules.keys()] as [string, string];
      rmSync(join(dir, first));
      writeFileSync(join(dir, second), `${modules.get(second)}\nconst edited = 1;\n`);
      mkdirSync(join(dir, 'docs', 'gone.md'), { recursive: true });
      writeFileSync(join(dir, 'docs', 'gone.md', '7.ts'), 'export {};\n');
      const found = differences(undefined, dir);
      const ends = [`/${first}: missing`, `/${second}: stale`, '/docs/gone.md/7.ts: left over'];
      expect(found).toHaveLength(3);
      expect(ends.filter((end) => !found.some((line) => line.endsWith(end)))).toEqual([]);
      expect(writeModules(dir)).toEqual({ modules: modules.size, written: 2, removed: 1 });
      expect(differences(undefined, dir)).toEqual([]);
      expect(existsSync(join(dir, 'docs', 'gone.md'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("tsconfig.doc-blocks.json compiles every block, and exact-optional/, with a reader's options", () => {
    const ts = typescript();
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.doc-blocks.json'), undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    });
    const files = new Set(config?.fileNames.map((file) => relative(ROOT, file).split(sep).join('/')));
    const modules = [...expectedModules().keys()].map((name) => `${OUT_DIR}/${name}`);
    expect(modules.length).toBeGreaterThan(70);
    expect(modules.filter((path) => !files.has(path))).toEqual([]);
    expect(
      ['usage.ts', 'every-input.ts', 'probe.ts'].filter(
        (name) => !files.has(`packages/sdk/test/exact-optional/${name}`),
      ),
    ).toEqual([]);
    expect(config?.options).toMatchObject({
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      strict: true,
      exactOptionalPropertyTypes: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      incremental: true,
    });
    expect(config?.errors).toEqual([]);
  });

  it("a block's code is on its markdown lines, and its module's first line names the markdown", () => {
    for (const file of markdownFiles()) {
      const lines = readFileSync(file, 'utf8').split('\n');
      for (const block of tsBlocks(fencedBlocks(file))) {
        const module = blockModule(block).text.split('\n');
        const code = block.code.split('\n');
        expect(module[0]).toContain(`${relative(ROOT, file).split(sep).join('/')}:${block.line}`);
        expect(module.slice(block.line - 1, block.line - 1 + code.length)).toEqual(code);
        expect(lines.slice(block.line - 1, block.line - 1 + code.length)).toEqual(code);
        expect(module.slice(block.line - 1 + code.length)).toEqual(['export {};', '']);
      }
    }
  });

  // The global interfaces a program without the lib must declare.
  const GLOBALS = [
    'Array<T>',
    'Boolean',
    'Function',
    'CallableFunction',
    'NewableFunction',
    'IArguments',
    'Number',
    'Object',
    'RegExp',
    'String',
  ];

  it('reports a broken block with its markdown line', () => {
    const broken: DocBlock = {
      where: 'README.md:10',
      file: README,
      line: 10,
      heading: 'broken',
      lang: 'ts',
      code: "const port: number = 8080;\nconst host: number = 'localhost';",
    };
    // The block's module compiled as tsc compiles it, its errors printed as tsc prints them. The
    // program holds the block and the few global types the checker needs, not the lib: it is cheap.
    const ts = typescript();
    const { path, text } = blockModule(broken);
    const files = new Map([
      [join(ROOT, path), text],
      [join(ROOT, 'globals.d.ts'), GLOBALS.map((name) => `interface ${name} {}`).join('\n')],
    ]);
    const options = { strict: true, noEmit: true, noLib: true, types: [], target: ts.ScriptTarget.ES2022 };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (file, version, ...rest) => {
      const code = files.get(file);
      return code === undefined ? getSourceFile(file, version, ...rest) : ts.createSourceFile(file, code, version);
    };
    host.getCurrentDirectory = () => ROOT;
    const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
    const printed = locate(ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), host))
      .trim()
      .split('\n');
    expect(printed).toEqual([expect.stringMatching(/^README\.md:11:7: error TS2322: /)]);
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
