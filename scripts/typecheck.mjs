#!/usr/bin/env node
// `node scripts/typecheck.mjs` (npm run typecheck; npm test and npm run lint start with it): writes
// the docs' ts blocks under .doc-blocks/ (scripts/doc-blocks.cjs), then runs two tsc programs at
// once, each incremental with its tsbuildinfo under node_modules/.cache/kunci:
//   tsconfig.json             the repository: sources, tests, bench;
//   tsconfig.doc-blocks.json  the blocks as a reader's project compiles them (ES modules, Bundler
//                             resolution, node types and no jest), and sdk/test/exact-optional.
// Prints both outputs, the blocks' errors at their markdown lines, and fails if either fails.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { ROOT, locate, writeModules } = require('./doc-blocks.cjs');
const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
const cache = join('node_modules', '.cache', 'kunci');

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
const checks = [
  {
    name: 'tsconfig.json',
    args: ['--noEmit', '--incremental', '--tsBuildInfoFile', join(cache, 'tsc.tsbuildinfo')],
    show: (output) => output,
  },
  // Its tsbuildinfo and incremental flag are in the file.
  { name: 'tsconfig.doc-blocks.json', args: [], show: locate },
];
const results = await Promise.all(
  checks.map((check) => runTsc(['-p', check.name, '--pretty', 'false', ...check.args])),
);

let failed = false;
checks.forEach((check, i) => {
  const { code, output } = results[i];
  if (output.trim() !== '') process.stdout.write(check.show(output).replace(/\n?$/, '\n'));
  if (code !== 0) {
    failed = true;
    console.error(`typecheck: tsc -p ${check.name} failed (exit ${code})`);
  }
});
process.exitCode = failed ? 1 : 0;
