#!/usr/bin/env node
// The packaging check: build, pack every workspace, lint each tarball (publint, arethetypeswrong),
// then install all the tarballs together into an empty project and prove that `require` and `import`
// both work (one AuthError class through both), that a strict TypeScript consumer compiles under
// module node16 and nodenext, and that every @kunci/* name came from a local tarball, never a registry.
// Prints one line per check and a summary; exits non-zero when any check failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const workspaces = rootPackage.workspaces.map((dir) => ({ dir, ...JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }));
const work = mkdtempSync(join(tmpdir(), 'kunci-pack-'));
const results = [];

function run(command, args, cwd, env = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env }, maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').filter((line) => !/Unknown (user|env) config "nodedir"/.test(line)).join('\n').trim();
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

function finish() {
  const failed = results.filter((r) => !r.ok);
  console.log(`\ncheck:pack: ${results.length - failed.length} of ${results.length} checks passed${failed.length ? `; failed: ${failed.map((r) => r.title).join('; ')}` : ''}`);
  if (failed.length === 0) rmSync(work, { recursive: true, force: true });
  else console.log(`(work files kept in ${work})`);
  process.exit(failed.length === 0 ? 0 : 1);
}

// 1. Build and pack.
if (!check('npm run build (every workspace, core first)', () => fromRun(run('npm', ['run', 'build'], root)))) finish();
const tarballs = new Map();
if (!check('npm pack --workspaces', () => {
  const result = run('npm', ['pack', '--workspaces', '--json', '--pack-destination', work], root);
  if (!result.ok) return { ok: false, detail: result.output };
  const packed = JSON.parse(result.output.slice(result.output.indexOf('[')));
  for (const entry of packed) tarballs.set(entry.name, join(work, entry.filename));
  const missing = workspaces.filter((w) => !tarballs.has(w.name)).map((w) => w.name);
  const leaked = packed.flatMap((entry) => entry.files.map((f) => `${entry.name}/${f.path}`)).filter((path) => /(^|\/)(src|test|test-kit)\/|\.test\.|tsconfig/.test(path));
  return { ok: missing.length === 0 && leaked.length === 0, detail: `missing: ${missing.join(', ') || 'none'}; files that should not ship: ${leaked.join(', ') || 'none'}` };
})) finish();

// 2. Lint each tarball: what is checked is exactly what gets installed below.
for (const { name } of workspaces) {
  const tarball = tarballs.get(name);
  check(`publint ${name}`, () => fromRun(run(bin('publint'), ['run', tarball, '--strict'], work)));
  check(`attw ${name}`, () => fromRun(run(bin('attw'), [tarball, '--format', 'ascii', '--no-emoji', '--no-definitely-typed'], work)));
}

// 3. An empty project that installs all the tarballs together.
const consumer = join(work, 'consumer');
mkdirSync(consumer);
const fileSpecs = Object.fromEntries([...tarballs].map(([name, path]) => [name, `file:${path}`]));
writeFileSync(join(consumer, 'package.json'), JSON.stringify({
  name: 'kunci-pack-consumer',
  private: true,
  version: '0.0.0',
  dependencies: fileSpecs,
  // The packages depend on each other by version: pin those edges to the tarballs as well.
  overrides: fileSpecs,
}, null, 2));

const installed = check('npm install of all tarballs into an empty project', () =>
  fromRun(run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], consumer)));

if (installed) {
  check('every @kunci/* package comes from a local tarball, once', () => {
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8'));
    const ours = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/(@kunci\/[^/]+)$/.test(path));
    const problems = ours
      .filter(([path, entry]) => !String(entry.resolved ?? '').startsWith('file:') || path.split('node_modules/').length !== 2)
      .map(([path, entry]) => `${path} resolved from ${entry.resolved ?? 'nowhere'}`);
    if (ours.length !== workspaces.length) problems.push(`${ours.length} copies installed for ${workspaces.length} packages`);
    return { ok: problems.length === 0, detail: problems.join('\n') };
  });

  writeFileSync(join(consumer, 'require-check.cjs'), `
const assert = require('node:assert/strict');
const kunci = require('@kunci/sdk');
for (const name of ['createTokenProvider', 'createTokenProviders', 'AuthError', 'isAuthError', 'TokenManager']) assert.equal(typeof kunci[name], 'function', name);
assert.equal(kunci.AuthError, require('@kunci/core').AuthError);
let caught;
try { kunci.createTokenProvider({ provider: 'nope' }); } catch (error) { caught = error; }
assert.ok(caught instanceof kunci.AuthError && kunci.isAuthError(caught) && caught.code === 'CONFIG_INVALID');
console.log('require: ok');
`);
  check("require('@kunci/sdk') exposes createTokenProvider, AuthError, isAuthError", () => fromRun(run(process.execPath, ['require-check.cjs'], consumer)));

  writeFileSync(join(consumer, 'import-check.mjs'), `
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as core from '@kunci/core';
import { createPivotLegacyEmulator } from '@kunci/pivot-legacy';
const esm = await import('@kunci/sdk');
const cjs = createRequire(import.meta.url)('@kunci/sdk');
for (const name of ['createTokenProvider', 'createTokenProviders', 'AuthError', 'isAuthError', 'TokenManager']) assert.equal(typeof esm[name], 'function', name);
assert.equal(esm.AuthError, cjs.AuthError, 'one AuthError class through import and require');
assert.equal(esm.AuthError, core.AuthError, 'one AuthError class across packages');
assert.equal(esm.TokenManager, cjs.TokenManager, 'one TokenManager through import and require');
let caught;
try { esm.createTokenProvider({ provider: 'nope' }); } catch (error) { caught = error; }
assert.ok(caught instanceof cjs.AuthError && cjs.isAuthError(caught));
// A real token from the installed packages: emulator on loopback, provider, manager.
const merchant = { merchantId: 'pack-check', merchantSecret: 'pack-check-secret-0123456789' };
const emulator = createPivotLegacyEmulator({ merchants: [merchant] });
const server = await core.startLoopbackServer((request) => emulator.handle(request));
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
`);
  check("await import('@kunci/sdk') exposes them too, the same AuthError class, and fetches a token", () => fromRun(run(process.execPath, ['import-check.mjs'], consumer)));

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
    writeFileSync(join(consumer, config), JSON.stringify({
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
    }, null, 2));
    check(`strict TypeScript consumer (.mts import and .cts require) compiles with module ${mode}`, () =>
      fromRun(run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], consumer)));
  }
}

finish();
