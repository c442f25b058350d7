#!/usr/bin/env node
// `node scripts/typecheck.mjs` (npm run typecheck; npm test and npm run lint start with it): writes
// the docs' ts blocks under .doc-blocks/ (scripts/doc-blocks.cjs), then runs two tsc programs at
// once, each in build mode (`tsc -b`) with its tsbuildinfo under node_modules/.cache/kunci:
//   tsconfig.json             the repository: sources, tests, bench;
//   tsconfig.doc-blocks.json  the blocks as a reader's project compiles them (ES modules, Bundler
//                             resolution, node types and no jest), and sdk/test/exact-optional.
// Build mode skips a program none of whose files (its config's own, the workspace sources among
// them) changed since its last clean check. Installed packages are not among those files: when
// package-lock.json or node's version differs from the last clean check, both are checked afresh.
// Prints both outputs, the blocks' errors at their markdown lines, and fails if either fails.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { ROOT, locate, writeModules } = require('./doc-blocks.cjs');
const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
const cache = join(ROOT, 'node_modules', '.cache', 'kunci');
/** What the installed packages were at the last clean check: package-lock.json and node's version. */
const installedStamp = join(cache, 'typecheck-installed');
const installed = createHash('sha256')
  .update(process.version)
  .update(readFileSync(join(ROOT, 'package-lock.json')))
  .digest('hex');
const readStamp = () => {
  try {
    return readFileSync(installedStamp, 'utf8');
  } catch {
    return '';
  }
};

/** Runs tsc with the arguments; resolves to its exit code and its output (stdout and stderr). */
function runTsc(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) =>
      resolve({ code: code ?? 1, output: signal ? `${output}killed by ${signal}\n` : output }),
    );
  });
}

try {
  writeModules();
} catch (error) {
  console.error(`typecheck: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
// Each file sets incremental and its tsbuildinfo (named here too, to date it below).
const checks = [
  { name: 'tsconfig.json', buildInfo: join(cache, 'tsc.tsbuildinfo'), show: (output) => output },
  { name: 'tsconfig.doc-blocks.json', buildInfo: join(cache, 'doc-blocks.tsbuildinfo'), show: locate },
];
// tsc leaves a tsbuildinfo whose content did not change as it was, older than the input that made
// the check run again (a touched config, say): every later run would check again. A clean check
// dates it to when the check started, so a file saved during the check still counts as newer.
const started = new Date();
const force = readStamp() === installed ? [] : ['--force'];
const results = await Promise.all(checks.map((check) => runTsc(['-b', check.name, '--pretty', 'false', ...force])));

let failed = false;
checks.forEach((check, i) => {
  const { code, output } = results[i];
  if (output.trim() !== '') process.stdout.write(check.show(output).replace(/\n?$/, '\n'));
  if (code === 0 && existsSync(check.buildInfo)) utimesSync(check.buildInfo, started, started);
  if (code !== 0) {
    failed = true;
    console.error(`typecheck: tsc -b ${check.name} failed (exit ${code})`);
  }
});
if (!failed && force.length > 0) {
  mkdirSync(cache, { recursive: true });
  writeFileSync(installedStamp, installed);
}
process.exitCode = failed ? 1 : 0;
