// Runs workspace TypeScript from its sources, without a build:
//   node -r ./scripts/from-source.cjs packages/cli/src/bin.ts demo
// Each .ts file is transpiled alone (no type-check: tsc and the tests do that) and the output is
// cached under node_modules/.cache by content hash, so only the first run pays for the compiler.
// Every `@kunci/<package>[/<subpath>]` import resolves to packages/<package>/src/index.ts or to
// src/entries/<subpath>.ts (src/<subpath>.ts where there is no entries file), as jest.config.ts
// and tsconfig.json map them.
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');

const root = join(__dirname, '..');
const cacheDir = join(root, 'node_modules', '.cache', 'kunci-from-source');
const OPTIONS = {
  module: 'commonjs',
  target: 'es2022',
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  resolveJsonModule: true,
};
let ts;

function transpile(source, filename) {
  const hash = createHash('sha256').update(JSON.stringify(OPTIONS)).update(filename).update(source).digest('hex');
  const cached = join(cacheDir, `${hash}.js`);
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  ts ??= require('typescript');
  const { options } = ts.convertCompilerOptionsFromJson(OPTIONS, root);
  const output = ts.transpileModule(source, { compilerOptions: options, fileName: filename }).outputText;
  mkdirSync(cacheDir, { recursive: true });
  // Written aside, then renamed: a concurrent run never reads half a file.
  const partial = `${cached}.${process.pid}.tmp`;
  writeFileSync(partial, output);
  renameSync(partial, cached);
  return output;
}

require.extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(transpile(readFileSync(filename, 'utf8'), filename), filename);
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveKunci(request, parent, ...rest) {
  const match = /^@kunci\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(request);
  if (match !== null) {
    const src = join(root, 'packages', match[1], 'src');
    const candidates =
      match[2] === undefined
        ? [join(src, 'index.ts')]
        : [join(src, 'entries', `${match[2]}.ts`), join(src, `${match[2]}.ts`)];
    const source = candidates.find((file) => existsSync(file));
    if (source !== undefined) return source;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
