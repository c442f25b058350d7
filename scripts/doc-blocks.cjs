#!/usr/bin/env node
// `node scripts/doc-blocks.cjs [--check]`: writes every ```ts block of the docs (README.md, docs/**/*.md,
// packages/*/README.md) as a module of its own under .doc-blocks/, for tsconfig.doc-blocks.json to
// type-check as a reader's project compiles them (scripts/typecheck.mjs runs both). A block of
// docs/x.md whose code starts on line 42 is .doc-blocks/docs/x.md/42.ts, its code on the same lines
// as in the markdown, so that tsc's line is the markdown's. Files of earlier runs that no block
// stands for any more are removed. With --check nothing is written: it lists what differs and fails.
// The tests read the blocks (fencedBlocks) and check that the folder is current through this file.
'use strict';
const { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, sep } = require('node:path');

const ROOT = join(__dirname, '..');
/** Where the blocks are written (git-ignored). */
const OUT_DIR = '.doc-blocks';

/** A path relative to the repository, with `/` on every platform. */
const fromRoot = (file) => relative(ROOT, file).split(sep).join('/');

/** The files under a directory, in name order, skipping node_modules and hidden directories. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (!entry.isDirectory()) return [path];
      return entry.name.startsWith('.') || entry.name === 'node_modules' ? [] : filesUnder(path);
    });
}

/** The markdown files whose ts blocks are type-checked: README.md, docs/**, every package's README.md. */
function markdownFiles() {
  const packages = join(ROOT, 'packages');
  const readmes = readdirSync(packages)
    .sort()
    .map((name) => join(packages, name, 'README.md'))
    .filter((file) => existsSync(file));
  return [
    join(ROOT, 'README.md'),
    ...filesUnder(join(ROOT, 'docs')).filter((file) => file.endsWith('.md')),
    ...readmes,
  ];
}

/**
 * Every fenced block of a markdown file (```lang on a line of its own), with the line its code
 * starts on and the heading it stands under.
 */
function fencedBlocks(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks = [];
  let heading = '';
  for (let i = 0; i < lines.length; i += 1) {
    heading = /^#+\s+(.*)$/.exec(lines[i])?.[1] ?? heading;
    const open = /^```(\w+)\s*$/.exec(lines[i]);
    if (open === null) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (end === -1) throw new Error(`${fromRoot(file)}:${i + 1}: a code block that never closes`);
    const where = `${fromRoot(file)}:${i + 2}`;
    blocks.push({ where, file, line: i + 2, heading, lang: open[1], code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/**
 * A ts block as the module tsc checks: a first line naming the markdown, empty lines down to the
 * block's first line, its code on the markdown's lines, then `export {}` so that it is a module of
 * its own. Its name is <markdown path>/<line>.ts, its path .doc-blocks/<name>.
 */
function blockModule(block) {
  const markdown = fromRoot(block.file);
  const first = `// ${markdown}:${block.line}, written by scripts/doc-blocks.cjs: edit the markdown, not this file.`;
  const text = `${first}${'\n'.repeat(block.line - 1)}${block.code}\nexport {};\n`;
  const name = `${markdown}/${block.line}.ts`;
  return { name, path: `${OUT_DIR}/${name}`, text };
}

/** The modules of the ts blocks among the given ones, name to text. */
function modulesOf(blocks) {
  const modules = new Map();
  for (const block of blocks) {
    if (block.lang !== 'ts') continue;
    const { name, text } = blockModule(block);
    modules.set(name, text);
  }
  return modules;
}

/** What the script writes now: every ts block of the docs, name to text. */
function expectedModules() {
  return modulesOf(markdownFiles().flatMap(fencedBlocks));
}

const defaultDir = () => join(ROOT, OUT_DIR);
const readOrUndefined = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

/**
 * How the folder (.doc-blocks/) differs from what the script would write now, one line per file
 * (none: it is current). Given blocks, only theirs are compared; otherwise every block's, and
 * leftover files are listed too.
 */
function differences(blocks, outDir = defaultDir()) {
  const expected = blocks === undefined ? expectedModules() : modulesOf(blocks);
  const found = [];
  for (const [name, text] of expected) {
    const written = readOrUndefined(join(outDir, name));
    if (written === undefined) found.push(`${fromRoot(join(outDir, name))}: missing`);
    else if (written !== text) found.push(`${fromRoot(join(outDir, name))}: stale`);
  }
  if (blocks === undefined) {
    for (const name of writtenNames(outDir)) {
      if (!expected.has(name)) found.push(`${fromRoot(join(outDir, name))}: left over`);
    }
  }
  return found;
}

/** The files under the folder, relative to it. */
function writtenNames(outDir) {
  if (!existsSync(outDir)) return [];
  return filesUnder(outDir).map((file) => relative(outDir, file).split(sep).join('/'));
}

/** Writes the modules that differ and removes leftovers; returns how many files it wrote and removed. */
function writeModules(outDir = defaultDir()) {
  const expected = expectedModules();
  let written = 0;
  for (const [name, text] of expected) {
    const file = join(outDir, name);
    if (readOrUndefined(file) === text) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    written += 1;
  }
  let removed = 0;
  for (const name of writtenNames(outDir)) {
    if (expected.has(name)) continue;
    rmSync(join(outDir, name));
    removed += 1;
  }
  removeEmptyDirs(outDir);
  return { modules: expected.size, written, removed };
}

function removeEmptyDirs(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    removeEmptyDirs(path);
    if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
  }
}

/**
 * tsc's output (`--pretty false`) with each block module's location as the markdown's:
 * `.doc-blocks/docs/x.md/42.ts(44,7): error TS2322: …` → `docs/x.md:44:7: error TS2322: …`.
 */
function locate(output) {
  const escaped = OUT_DIR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`[^\\s(]*${escaped}/(\\S+?\\.md)/\\d+\\.ts\\((\\d+),(\\d+)\\)`, 'g');
  return output.replace(pattern, (_, markdown, line, column) => `${markdown}:${line}:${column}`);
}

module.exports = {
  ROOT,
  OUT_DIR,
  markdownFiles,
  fencedBlocks,
  blockModule,
  expectedModules,
  differences,
  writeModules,
  locate,
};

if (require.main === module) {
  if (process.argv.includes('--check')) {
    const found = differences();
    for (const line of found) console.error(line);
    if (found.length > 0) {
      console.error(`${OUT_DIR}/ is not current: node scripts/doc-blocks.cjs (or npm run typecheck) writes it`);
      process.exit(1);
    }
  } else {
    writeModules();
  }
}
