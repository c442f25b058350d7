#!/usr/bin/env node
// The packaging check: build, pack every workspace, lint each tarball (publint, arethetypeswrong),
// then install all the tarballs together into an empty project and prove that `require` and `import`
// of every entry work (one AuthError class through both), that a strict TypeScript consumer compiles
// under module node16 and nodenext, that a strict ES module project compiles every ts block of the
// README, the guides and the packages' READMEs, that a CommonJS project runs the README's examples
// against the emulators on loopback, and that every @kunci/* name came from a local tarball.
// Prints one line per check and a summary; exits non-zero when any check failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Private workspaces (test-deps/*) are never published, so never packed.
const workspaces = rootPackage.workspaces
  .map((dir) => ({ dir, ...JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
  .filter((workspace) => workspace.private !== true);
// What a Nest project installs beside @kunci/nest: the versions the repository tests with.
const NEST_DEPENDENCIES = Object.fromEntries(
  ['@nestjs/common', '@nestjs/core', '@nestjs/config', '@nestjs/testing', 'reflect-metadata', 'rxjs'].map((name) => [
    name,
    rootPackage.devDependencies[name] ??
      JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version,
  ]),
);
// What an OpenTelemetry project installs beside @kunci/opentelemetry (its peer, and what
// docs/observability.md imports): the versions the repository tests with.
const OTEL_DEPENDENCIES = Object.fromEntries(
  [
    '@opentelemetry/api',
    '@opentelemetry/instrumentation',
    '@opentelemetry/sdk-node',
    '@opentelemetry/sdk-metrics',
    '@opentelemetry/sdk-trace-base',
  ].map((name) => [name, rootPackage.devDependencies[name]]),
);
const installedVersion = (name) =>
  JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const TEST_DEPENDENCIES = {
  nock: rootPackage.devDependencies.nock,
  '@jest/globals': installedVersion('@jest/globals'),
  // docs/testing.md's examples run under jest in the fresh project, as a user copies them.
  jest: installedVersion('jest'),
  'ts-jest': installedVersion('ts-jest'),
  typescript: installedVersion('typescript'),
};
// What an Express backend installs beside @kunci/inbound (its optional peer): the versions the repository tests with.
const INBOUND_DEPENDENCIES = {
  express: installedVersion('express'),
  '@types/express': installedVersion('@types/express'),
};
const work = mkdtempSync(join(tmpdir(), 'kunci-pack-'));
const results = [];
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function run(command, args, cwd, env = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
    .split('\n')
    .filter((line) => !/Unknown (user|env) config "nodedir"/.test(line))
    .join('\n')
    .trim();
  return { ok: result.status === 0, output: result.error ? String(result.error) : output };
}

/** Records one check; on failure its output is shown, indented, so the cause is on screen. */
function check(title, fn) {
  const started = Date.now();
  let ok;
  let detail;
  try {
    ({ ok, detail } = fn());
  } catch (error) {
    ok = false;
    detail = error instanceof Error ? error.stack : String(error);
  }
  results.push({ title, ok });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${title} (${Date.now() - started} ms)`);
  if (!ok && detail) console.log(detail.replace(/^/gm, '      '));
  return ok;
}

const fromRun = (result) => ({ ok: result.ok, detail: result.output });

/** packages/sdk/test/doc-blocks.ts (fencedBlocks, runnable), the one reader of the docs' code blocks. */
function loadDocBlocks() {
  const file = join(root, 'packages', 'sdk', 'test', 'doc-blocks.ts');
  const requireHere = createRequire(file);
  const ts = requireHere('typescript');
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const module = { exports: {} };
  new Function('require', 'module', 'exports', '__dirname', outputText)(
    requireHere,
    module,
    module.exports,
    dirname(file),
  );
  return module.exports;
}

function finish() {
  const failed = results.filter((r) => !r.ok);
  console.log(
    `\ncheck:pack: ${results.length - failed.length} of ${results.length} checks passed${failed.length ? `; failed: ${failed.map((r) => r.title).join('; ')}` : ''}`,
  );
  if (failed.length === 0) rmSync(work, { recursive: true, force: true });
  else console.log(`(work files kept in ${work})`);
  process.exit(failed.length === 0 ? 0 : 1);
}

// 1. Build and pack.
if (!check('npm run build (every workspace, core first)', () => fromRun(run('npm', ['run', 'build'], root)))) finish();
const tarballs = new Map();
if (
  !check('npm pack --workspaces', () => {
    const result = run(
      'npm',
      ['pack', ...workspaces.flatMap((w) => ['--workspace', w.dir]), '--json', '--pack-destination', work],
      root,
    );
    if (!result.ok) return { ok: false, detail: result.output };
    const packed = JSON.parse(result.output.slice(result.output.indexOf('[')));
    for (const entry of packed) tarballs.set(entry.name, join(work, entry.filename));
    const missing = workspaces.filter((w) => !tarballs.has(w.name)).map((w) => w.name);
    const leaked = packed
      .flatMap((entry) => entry.files.map((f) => `${entry.name}/${f.path}`))
      .filter((path) => /(^|\/)(src|test|test-kit)\/|\.test\.|tsconfig/.test(path));
    // Every package says MIT and has a page on the registry: each tarball holds its README and LICENSE.
    const undocumented = packed.flatMap((entry) =>
      ['README.md', 'LICENSE']
        .filter((file) => !entry.files.some((f) => f.path === file))
        .map((file) => `${entry.name} has no ${file}`),
    );
    return {
      ok: missing.length === 0 && leaked.length === 0 && undocumented.length === 0,
      detail: `missing: ${missing.join(', ') || 'none'}; files that should not ship: ${leaked.join(', ') || 'none'}; ${undocumented.join(', ') || 'every tarball has its README.md and LICENSE'}`,
    };
  })
)
  finish();

// What `npm pack --workspaces` (every workspace, as a release script would run it) packs: the
// published packages and nothing private (the Nest 11 test install is a file: dependency, not a workspace).
check('npm pack --workspaces packs no private package', () => {
  const result = run('npm', ['pack', '--workspaces', '--dry-run', '--json'], root);
  if (!result.ok) return { ok: false, detail: result.output };
  const names = JSON.parse(result.output.slice(result.output.indexOf('['))).map((entry) => entry.name);
  const published = new Set(workspaces.map((w) => w.name));
  const extra = names.filter((name) => !published.has(name));
  return { ok: extra.length === 0, detail: `packed but not published: ${extra.join(', ') || 'none'}` };
});

// 2. Lint each tarball: what is checked is exactly what gets installed below.
for (const { name } of workspaces) {
  const tarball = tarballs.get(name);
  check(`publint ${name}`, () => fromRun(run(bin('publint'), ['run', tarball, '--strict'], work)));
  check(`attw ${name}`, () =>
    fromRun(run(bin('attw'), [tarball, '--format', 'ascii', '--no-emoji', '--no-definitely-typed'], work)),
  );
}

// 3. An empty project that installs all the tarballs together.
const consumer = join(work, 'consumer');
mkdirSync(consumer);
const fileSpecs = Object.fromEntries([...tarballs].map(([name, path]) => [name, `file:${path}`]));
writeFileSync(
  join(consumer, 'package.json'),
  JSON.stringify(
    {
      name: 'kunci-pack-consumer',
      private: true,
      version: '0.0.0',
      // A Nest project too: @kunci/nest's peers, and what its docs import. A jest project too: nock
      // (the optional peer of @kunci/sandbox/nock, which its users bring) and what docs/testing.md imports.
      dependencies: {
        ...NEST_DEPENDENCIES,
        ...OTEL_DEPENDENCIES,
        ...TEST_DEPENDENCIES,
        ...INBOUND_DEPENDENCIES,
        ...fileSpecs,
      },
      // The packages depend on each other by version: pin those edges to the tarballs as well.
      overrides: fileSpecs,
    },
    null,
    2,
  ),
);

const installed = check('npm install of all tarballs into an empty project', () =>
  fromRun(run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], consumer)),
);

if (installed) {
  check('every @kunci/* package comes from a local tarball, once', () => {
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8'));
    const ours = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/(@kunci\/[^/]+)$/.test(path));
    const problems = ours
      .filter(
        ([path, entry]) =>
          !String(entry.resolved ?? '').startsWith('file:') || path.split('node_modules/').length !== 2,
      )
      .map(([path, entry]) => `${path} resolved from ${entry.resolved ?? 'nowhere'}`);
    if (ours.length !== workspaces.length)
      problems.push(`${ours.length} copies installed for ${workspaces.length} packages`);
    return { ok: problems.length === 0, detail: problems.join('\n') };
  });

  writeFileSync(
    join(consumer, 'require-check.cjs'),
    `
const assert = require('node:assert/strict');
const kunci = require('@kunci/sdk');
for (const name of ['createTokenProvider', 'createTokenProviders', 'AuthError', 'isAuthError', 'TokenManager']) assert.equal(typeof kunci[name], 'function', name);
assert.equal(kunci.AuthError, require('@kunci/core').AuthError);
let caught;
try { kunci.createTokenProvider({ provider: 'nope' }); } catch (error) { caught = error; }
assert.ok(caught instanceof kunci.AuthError && kunci.isAuthError(caught) && caught.code === 'CONFIG_INVALID');
console.log('require: ok');
`,
  );
  check("require('@kunci/sdk') exposes createTokenProvider, AuthError, isAuthError", () =>
    fromRun(run(process.execPath, ['require-check.cjs'], consumer)),
  );

  writeFileSync(
    join(consumer, 'import-check.mjs'),
    `
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as core from '@kunci/core';
import { startLoopbackServer } from '@kunci/core/emulator';
import * as provider from '@kunci/core/provider';
import * as legacyMain from '@kunci/pivot-legacy';
import { createPivotLegacyEmulator } from '@kunci/pivot-legacy/emulator';
const esm = await import('@kunci/sdk');
const cjs = createRequire(import.meta.url)('@kunci/sdk');
for (const name of ['createTokenProvider', 'createTokenProviders', 'AuthError', 'isAuthError', 'TokenManager']) assert.equal(typeof esm[name], 'function', name);
assert.equal(esm.AuthError, cjs.AuthError, 'one AuthError class through import and require');
assert.equal(esm.AuthError, core.AuthError, 'one AuthError class across packages');
assert.equal(esm.TokenManager, cjs.TokenManager, 'one TokenManager through import and require');
let caught;
try { esm.createTokenProvider({ provider: 'nope' }); } catch (error) { caught = error; }
assert.ok(caught instanceof cjs.AuthError && cjs.isAuthError(caught));
// Every subpath: the same objects through import and require; emulators only on their own subpath.
const require = createRequire(import.meta.url);
for (const [subpath, names] of Object.entries({
  '@kunci/core/provider': ['HttpTokenProvider', 'validateConfig', 'signRsaSha256'],
  '@kunci/core/emulator': ['startLoopbackServer', 'jsonResponse', 'fakeJwt'],
  '@kunci/pivot-snap/emulator': ['createPivotSnapEmulator'],
  '@kunci/pivot-legacy/emulator': ['createPivotLegacyEmulator'],
  '@kunci/klikoo/emulator': ['createKlikooEmulator'],
  '@kunci/inbound': ['createInbound', 'readRawBody', 'MemoryInboundStore'],
  '@kunci/inbound/express': ['verifyNotification', 'tokenEndpoint'],
  '@kunci/snap/emulator': ['createSnapEmulator'],
})) {
  const imported = await import(subpath);
  for (const name of names) assert.equal(imported[name], require(subpath)[name], \`\${subpath} \${name}\`);
}
assert.equal(typeof provider.HttpTokenProvider, 'function');
assert.equal('createPivotLegacyEmulator' in legacyMain, false, 'the main entry carries no emulator');
// A real token from the installed packages: emulator on loopback, provider, manager.
const merchant = { merchantId: 'pack-check', merchantSecret: 'pack-check-secret-0123456789' };
const emulator = createPivotLegacyEmulator({ merchants: [merchant] });
const server = await startLoopbackServer((request) => emulator.handle(request));
try {
  const tokens = new esm.TokenManager(esm.createTokenProvider({ provider: 'pivot-legacy', baseUrl: server.url, ...merchant }));
  const token = await tokens.getToken();
  assert.equal(token.provider, 'pivot-legacy');
  assert.equal((await tokens.getToken()).accessToken, token.accessToken);
  assert.equal(server.requests.length, 1);
  await tokens.close();
} finally {
  await server.close();
}
console.log('import: ok');
`,
  );
  check("await import('@kunci/sdk') exposes them too, the same AuthError class, and fetches a token", () =>
    fromRun(run(process.execPath, ['import-check.mjs'], consumer)),
  );

  const consumerSource = `
import { AuthError, createTokenProvider, createTokenProviders, isAuthError, TokenManager } from '@kunci/sdk';
import type { AccessToken, AuthErrorCode, KunciConfigFile, ProviderConfig, TokenProvider } from '@kunci/sdk';

const snap: ProviderConfig = { provider: 'pivot-snap', baseUrl: 'https://api-stg.pivot-payment.com', clientId: 'my-client-id', privateKey: 'env:PIVOT_PRIVATE_KEY' };
const file: KunciConfigFile = { providers: { klikoo: { provider: 'klikoo', baseUrl: 'https://klikoo.example', clientId: 'id', clientSecret: 'env:KLIKOO_SECRET', privateKey: 'file:./klikoo.pem' } } };

export async function customerToken(bindingId: string): Promise<string> {
  const provider: TokenProvider = createTokenProvider(snap);
  const tokens = new TokenManager(provider, { refreshBeforeSeconds: 60 });
  try {
    const token: AccessToken = await tokens.getToken({ authCode: bindingId });
    return token.expiresAt.toISOString();
  } catch (error) {
    if (isAuthError(error)) {
      const code: AuthErrorCode = error.code;
      return \`\${code} retryable=\${String(error.retryable)}\`;
    }
    throw error;
  } finally {
    await tokens.close();
  }
}

export const named: Record<'klikoo', TokenProvider> = createTokenProviders(file);
export const fromPath: Record<string, TokenProvider> = createTokenProviders('./kunci.config.json');
export const error: AuthError = new AuthError('TIMEOUT', 'klikoo: no answer.', { provider: 'klikoo' });
// @ts-expect-error an unknown provider is a compile error, not only a CONFIG_INVALID
export const wrong = (): TokenProvider => createTokenProvider({ provider: 'stripe', baseUrl: 'https://api.stripe.com' });
`;
  writeFileSync(join(consumer, 'consumer.mts'), consumerSource);
  writeFileSync(join(consumer, 'consumer.cts'), consumerSource);
  for (const mode of ['node16', 'nodenext']) {
    const config = `tsconfig.${mode}.json`;
    writeFileSync(
      join(consumer, config),
      JSON.stringify(
        {
          compilerOptions: {
            strict: true,
            module: mode,
            moduleResolution: mode,
            target: 'es2022',
            noEmit: true,
            skipLibCheck: false,
            exactOptionalPropertyTypes: true,
            noUncheckedIndexedAccess: true,
            typeRoots: [join(root, 'node_modules', '@types')],
            types: ['node'],
          },
          files: ['consumer.mts', 'consumer.cts'],
        },
        null,
        2,
      ),
    );
    check(`strict TypeScript consumer (.mts import and .cts require) compiles with module ${mode}`, () =>
      fromRun(run(process.execPath, [tsc, '-p', config], consumer)),
    );
  }

  checkNest();
  checkSandboxAndCli();
  checkOpenTelemetry();
  checkDocBlocks();
  checkTestingGuide();
}

/**
 * @kunci/opentelemetry through require and import, with the project's one @opentelemetry/api:
 * registered with the SDK, a token request against the installed sandbox makes its span.
 */
function checkOpenTelemetry() {
  writeFileSync(
    join(consumer, 'otel-check.mjs'),
    `
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { context } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
const require = createRequire(import.meta.url);
const otel = await import('@kunci/opentelemetry');
assert.equal(otel.KunciInstrumentation, require('@kunci/opentelemetry').KunciInstrumentation);
const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const unregister = registerInstrumentations({ instrumentations: [new otel.KunciInstrumentation()], tracerProvider });
const { startSandbox } = await import('@kunci/sandbox');
const { createTokenProviders } = await import('@kunci/sdk');
const sandbox = await startSandbox();
try {
  await createTokenProviders(sandbox.config())['pivot-snap'].fetchToken();
  assert.deepEqual(exporter.getFinishedSpans().map((span) => span.name), ['kunci token fetch']);
} finally {
  unregister();
  await sandbox.close();
}
assert.equal(typeof context.active, 'function');
console.log('opentelemetry: ok');
`,
  );
  check('@kunci/opentelemetry through import and require; a token request makes its span', () =>
    fromRun(run(process.execPath, ['otel-check.mjs'], consumer)),
  );
}

/**
 * @kunci/sandbox and its ./nock entry through require and import (the main entry never loads
 * nock), a signed API call against the installed sandbox, and the installed `kunci` bin: --help,
 * sign (token request and --service), and the demo.
 */
/**
 * docs/testing.md's examples, each in its own test file of the fresh project as a user copies
 * them, in ONE jest run: none may break another (nock's net connect, a server left open), and jest
 * must exit on its own, without --forceExit (a time limit catches a run that never ends).
 */
function checkTestingGuide() {
  const { fencedBlocks } = loadDocBlocks();
  const blocks = fencedBlocks(join(root, 'docs', 'testing.md')).filter((block) => block.lang === 'ts');
  const dir = join(consumer, 'jest-guide');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kunci-jest-guide', private: true }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'commonjs',
        target: 'es2022',
        esModuleInterop: true,
        skipLibCheck: true,
      },
    }),
  );
  writeFileSync(
    join(dir, 'jest.config.cjs'),
    `module.exports = { testEnvironment: 'node', transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] } };\n`,
  );
  blocks.forEach((block, i) => writeFileSync(join(dir, `example-${i + 1}.test.ts`), block.code));
  check(`docs/testing.md's ${blocks.length} examples pass together in one jest run and jest exits by itself`, () => {
    const result = spawnSync(
      process.execPath,
      [join(consumer, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', '--ci'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        timeout: 180_000,
      },
    );
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    return {
      ok: result.status === 0 && blocks.length >= 3,
      detail: result.error !== undefined ? `${String(result.error)} (jest did not exit)\n${output}` : output,
    };
  });
}

function checkSandboxAndCli() {
  writeFileSync(
    join(consumer, 'sandbox-check.mjs'),
    `
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import axios from 'axios';
const require = createRequire(import.meta.url);
const main = await import('@kunci/sandbox');
assert.equal(main.startSandbox, require('@kunci/sandbox').startSandbox);
assert.equal(Object.keys(require.cache).some((p) => p.includes('/node_modules/nock/')), false, 'the main entry never loads nock');
const helpers = await import('@kunci/sandbox/nock');
for (const name of ['mockProvider', 'recordProvider', 'replayProvider']) {
  assert.equal(typeof helpers[name], 'function', name);
  assert.equal(helpers[name], require('@kunci/sandbox/nock')[name], name + ' through import and require');
}
const { attachTokenManager, createTokenProviders, TokenManager } = await import('@kunci/sdk');
const sandbox = await main.startSandbox();
try {
  const tokens = new TokenManager(createTokenProviders(sandbox.config())['pivot-snap']);
  const api = axios.create({ baseURL: sandbox.config().providers['pivot-snap'].baseUrl });
  attachTokenManager(api, tokens);
  const answer = await api.post('/wallet-backend/snap/v1.0/balance-inquiry', { partnerReferenceNo: 'INV-pack' });
  assert.equal(answer.data.responseCode, '2000000');
  assert.deepEqual(sandbox.requests.map((r) => [r.call, r.verdict]), [['token', 'accepted'], ['service', 'accepted']]);
  await tokens.close();
} finally {
  await sandbox.close();
}
console.log('sandbox: ok');
`,
  );
  check(
    '@kunci/sandbox and @kunci/sandbox/nock through import and require; a signed API call against the installed sandbox',
    () => fromRun(run(process.execPath, ['sandbox-check.mjs'], consumer)),
  );

  const npx = (args, env = {}) => run('npx', ['--no-install', 'kunci', ...args], consumer, env);
  check('npx kunci --help (the installed bin) lists the commands', () => {
    const result = npx(['--help']);
    const missing = ['demo', 'token', 'check', 'sandbox', 'keygen', 'sign'].filter(
      (command) => !new RegExp(`^  ${command} `, 'm').test(result.output),
    );
    return {
      ok: result.ok && missing.length === 0,
      detail: `${result.output}\nmissing: ${missing.join(', ') || 'none'}`,
    };
  });
  check('kunci sign and kunci sign --service (the installed bin) print JSON signatures', () => {
    const key = 'pack-sign-key.pem';
    writeFileSync(
      join(consumer, key),
      createRequire(import.meta.url)('node:crypto')
        .generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const timestamp = '2026-11-22T10:15:30+07:00';
    const token = npx([
      'sign',
      '--provider',
      'pivot-snap',
      '--client-id',
      'pack-client',
      '--private-key',
      `file:${join(consumer, key)}`,
      '--timestamp',
      timestamp,
      '--json',
    ]);
    const service = npx(
      [
        'sign',
        '--service',
        '--provider',
        'klikoo',
        '--url',
        '/v1/open-api/account/inquiry',
        '--body',
        '{"a":1}',
        '--access-token',
        'env:PACK_TOKEN',
        '--client-secret',
        'env:PACK_SECRET',
        '--timestamp',
        timestamp,
        '--json',
      ],
      { PACK_TOKEN: 'pack-token-value-0001', PACK_SECRET: 'pack-secret-value-0001' },
    );
    const parse = (text) => JSON.parse(text.slice(text.indexOf('{')));
    const ok =
      token.ok &&
      service.ok &&
      parse(token.output).stringToSign === `pack-client|${timestamp}` &&
      /^POST:\/v1\/open-api\/account\/inquiry:pack…:[0-9a-f]{64}:/.test(parse(service.output).stringToSign);
    return { ok, detail: `${token.output}\n${service.output}` };
  });
  check('npx kunci demo (the installed bin) prints every flow and the signed API calls, exit 0', () => {
    const result = npx(['demo']);
    const ok =
      result.ok &&
      /^klikoo\s+B2B\s/m.test(result.output) &&
      /balance-inquiry -> 200 2000000 Successful \(accepted\)/.test(result.output) &&
      /account\/inquiry -> 200 200002000 Sukses \(accepted\)/.test(result.output);
    return { ok, detail: result.output };
  });
}

/**
 * @kunci/nest in the Nest project, through require and through import: a module bootstrapped with
 * NestFactory.createApplicationContext gets a token from an emulator on loopback through an
 * injected manager and an injected client, and app.close() leaves nothing running.
 */
function checkNest() {
  const app = (load) => `
const assert = require('node:assert/strict');
${load}
const { Injectable, Module } = nestCommon;
const { NestFactory } = nestCore;
const { startLoopbackServer, jsonResponse } = require('@kunci/core/emulator');
const { createPivotLegacyEmulator } = require('@kunci/pivot-legacy/emulator');

const merchant = { merchantId: 'pack-nest', merchantSecret: 'pack-nest-secret-' + Math.random().toString(36).slice(2) };
const emulator = createPivotLegacyEmulator({ merchants: [merchant] });

// Decorators applied as functions: plain JavaScript has no parameter decorators.
class Payments {
  constructor(tokens, client) { this.tokens = tokens; this.client = client; }
}
kunci.InjectTokenManager('legacy')(Payments, undefined, 0);
kunci.InjectKunciClient('legacy')(Payments, undefined, 1);
Injectable()(Payments);

(async () => {
  const issued = new Set();
  const server = await startLoopbackServer(async (request) => {
    if (emulator.tokenPaths.has(request.path)) {
      const answer = await emulator.handle(request);
      // Every string of the answer: the token is one of them, whatever its field.
      const collect = (value) => (typeof value === 'string' ? issued.add(value) : typeof value === 'object' && value !== null && Object.values(value).forEach(collect));
      collect(JSON.parse(answer.body));
      return answer;
    }
    return jsonResponse(200, { authorized: issued.has((request.headers.authorization ?? '').slice(7)) });
  });
  class AppModule {}
  Module({
    imports: [kunci.KunciModule.forRoot({ config: { providers: { legacy: { provider: 'pivot-legacy', baseUrl: server.url, ...merchant } } } })],
    providers: [Payments],
  })(AppModule);
  const context = await NestFactory.createApplicationContext(AppModule, { logger: false });
  try {
    const payments = context.get(Payments);
    const token = await payments.tokens.getToken();
    assert.equal(token.provider, 'pivot-legacy');
    assert.deepEqual((await payments.client.post('/api/balance', {})).data, { authorized: true });
    assert.equal(context.get(kunci.KunciService).manager('legacy'), payments.tokens);
  } finally {
    await context.close();
    await server.close();
  }
  console.log(MODE + ': ok');
})().catch((error) => { console.error(error); process.exitCode = 1; });
`;
  writeFileSync(
    join(consumer, 'nest-require-check.cjs'),
    app(`const MODE = 'require';
require('reflect-metadata');
const nestCommon = require('@nestjs/common');
const nestCore = require('@nestjs/core');
const kunci = require('@kunci/nest');`),
  );
  writeFileSync(
    join(consumer, 'nest-import-check.mjs'),
    `import { createRequire } from 'node:module';
import 'reflect-metadata';
import * as nestCommon from '@nestjs/common';
import * as nestCore from '@nestjs/core';
import * as kunci from '@kunci/nest';
const require = createRequire(import.meta.url);
const MODE = 'import';
if (kunci.KunciModule !== require('@kunci/nest').KunciModule) throw new Error('two KunciModule classes through import and require');
${app('').replace("const assert = require('node:assert/strict');", "const assert = (await import('node:assert/strict')).default;")}`,
  );
  // Each must also exit on its own once closed: the timeout kills one that does not.
  for (const [mode, file] of [
    ['require', 'nest-require-check.cjs'],
    ['import', 'nest-import-check.mjs'],
  ]) {
    check(
      `@kunci/nest through ${mode}: a Nest ${NEST_DEPENDENCIES['@nestjs/core']} application context gets a token from an emulator, then exits`,
      () => {
        const result = spawnSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8', timeout: 30_000 });
        const output = `${result.stdout}${result.stderr}`.trim();
        return {
          ok: result.status === 0 && output === `${mode}: ok`,
          detail: result.error ? String(result.error) : output,
        };
      },
    );
  }
}

/**
 * The docs as a user copies them: (1) a strict ES module project ("type": "module", nodenext,
 * exactOptionalPropertyTypes, skipLibCheck false) compiles every ts block of README.md, docs/ and the
 * packages' READMEs, axios ones included; (2) a CommonJS project runs every ts block of README.md
 * against the three emulators on one loopback server (its hosts rewritten to that server, the keys
 * and secrets in the environment variables the README names).
 */
function checkDocBlocks() {
  const { fencedBlocks, markdownFiles, runnable } = loadDocBlocks();
  const tsBlocks = (file) => fencedBlocks(file).filter((block) => block.lang === 'ts');
  // The files `npm run typecheck` compiles the blocks of (scripts/doc-blocks.cjs).
  const files = markdownFiles();
  const blocks = files.flatMap(tsBlocks);

  const esmDir = join(consumer, 'esm-docs');
  mkdirSync(esmDir);
  writeFileSync(
    join(esmDir, 'package.json'),
    JSON.stringify({ name: 'kunci-docs-esm', private: true, type: 'module' }),
  );
  blocks.forEach((block, i) => writeFileSync(join(esmDir, `block-${i}.ts`), `${block.code}\nexport {};\n`));
  writeFileSync(
    join(esmDir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          noEmit: true,
          skipLibCheck: false,
          exactOptionalPropertyTypes: true,
          // As every Nest project compiles (docs/nestjs.md).
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
        },
        files: blocks.map((_, i) => `block-${i}.ts`),
      },
      null,
      2,
    ),
  );
  check(
    `strict ES module TypeScript project compiles all ${blocks.length} ts blocks of ${files.length} markdown files`,
    () => {
      const result = run(process.execPath, [tsc, '-p', 'tsconfig.json'], esmDir);
      // block-3.ts(5,20) → README.md:56:20
      const located = result.output.replace(/block-(\d+)\.ts\((\d+),(\d+)\)/g, (_, i, line, column) => {
        const block = blocks[Number(i)];
        return `${block.where.replace(/:\d+$/, '')}:${block.line + Number(line) - 1}:${column}`;
      });
      return { ok: result.ok, detail: located };
    },
  );

  const readme = tsBlocks(join(root, 'README.md'));
  const cjsDir = join(consumer, 'cjs-docs');
  mkdirSync(join(cjsDir, 'keys'), { recursive: true });
  writeFileSync(
    join(cjsDir, 'package.json'),
    JSON.stringify({ name: 'kunci-docs-cjs', private: true, type: 'commonjs' }),
  );
  const configFile = fencedBlocks(join(root, 'README.md')).find(
    (block) => block.lang === 'json' && block.code.includes('"providers"'),
  );
  if (configFile !== undefined) writeFileSync(join(cjsDir, 'kunci.config.template.json'), configFile.code);
  readme.forEach((block, i) => writeFileSync(join(cjsDir, `block-${i}.template.cjs`), runnable(block)));
  writeFileSync(
    join(cjsDir, 'run-readme.cjs'),
    `
const { generateKeyPairSync } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const { format } = require('node:util');
const { jsonResponse, startLoopbackServer } = require('@kunci/core/emulator');
const { createPivotSnapEmulator } = require('@kunci/pivot-snap/emulator');
const { createPivotLegacyEmulator } = require('@kunci/pivot-legacy/emulator');
const { createKlikooEmulator } = require('@kunci/klikoo/emulator');

const HOSTS = ['https://api-stg.pivot-payment.com', 'https://b2b.klikoo.example'];
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
Object.assign(process.env, {
  PIVOT_PRIVATE_KEY: pem,
  PIVOT_MERCHANT_SECRET: 'pack-merchant-secret-' + Math.random().toString(36).slice(2),
  KLIKOO_CLIENT_SECRET: 'pack-klikoo-secret-32-characters',
  PIVOT_CLIENT_SECRET: 'pack-pivot-client-secret-' + Math.random().toString(36).slice(2),
  KLIKOO_PRIVATE_KEY: pem,
});
writeFileSync('keys/klikoo.pem', privateKey.export({ type: 'pkcs1', format: 'pem' }));
const emulators = [
  createPivotSnapEmulator({ clients: [{ clientId: 'my-client-id', publicKey, clientSecret: process.env.PIVOT_CLIENT_SECRET }], authCodePattern: /^BND-/ }),
  createPivotLegacyEmulator({ merchants: [{ merchantId: 'my-merchant-id', merchantSecret: process.env.PIVOT_MERCHANT_SECRET }] }),
  createKlikooEmulator({ clients: [{ clientId: '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02', clientSecret: process.env.KLIKOO_CLIENT_SECRET, publicKey }] }),
];

(async () => {
  const served = [];
  const server = await startLoopbackServer((request) => {
    served.push(request.path);
    const emulator = emulators.find((candidate) => candidate.tokenPaths.has(request.path));
    if (emulator !== undefined) return emulator.handle(request);
    // The signed APIs the README calls: each provider's emulator verifies the service call.
    if (request.path.startsWith('/wallet-backend/')) return emulators[0].handle(request);
    if (request.path.startsWith('/v1/open-api/')) return emulators[2].handle(request);
    // Any other path stands for the provider's API: it says whether a bearer token came along.
    return jsonResponse(200, { authorized: /^Bearer \\S{8,}$/.test(request.headers.authorization ?? '') });
  });
  const toServer = (text) => HOSTS.reduce((out, host) => out.split(host).join(server.url), text);
  let failed = 0;
  try {
    writeFileSync('kunci.config.json', toServer(readFileSync('kunci.config.template.json', 'utf8')));
    for (let i = 0; i < ${readme.length}; i += 1) {
      const file = './block-' + i + '.cjs';
      writeFileSync(file, toServer(readFileSync('./block-' + i + '.template.cjs', 'utf8')));
      const logs = [];
      const errors = [];
      const { log, error } = console;
      console.log = (...args) => void logs.push(format(...args));
      console.error = (...args) => void errors.push(format(...args));
      const before = served.length;
      let problem;
      try {
        await require(file).run();
      } catch (caught) {
        problem = caught;
      } finally {
        Object.assign(console, { log, error });
      }
      const unauthorized = logs.some((line) => line.includes('authorized: false'));
      const ok = problem === undefined && errors.length === 0 && !unauthorized && served.length > before;
      if (!ok) failed += 1;
      console.log((ok ? 'ok  ' : 'FAIL') + ' block ' + i + ': ' + (served.length - before) + ' requests; ' + [...logs, ...errors].join(' | ').slice(0, 200) + (problem ? ' threw ' + problem : ''));
    }
  } finally {
    await server.close();
  }
  process.exitCode = failed === 0 ? 0 : 1;
})();
`,
  );
  check(`CommonJS project runs the README's ${readme.length} ts examples against the emulators on loopback`, () => {
    const result = run(process.execPath, ['run-readme.cjs'], cjsDir);
    const where = readme.map((block, i) => `block ${i} = ${block.where}`).join('\n');
    return { ok: result.ok, detail: `${result.output}\n${where}` };
  });
}

finish();
