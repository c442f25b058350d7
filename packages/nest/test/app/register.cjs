// Runs the TypeScript apps of this folder in plain node (no jest): `node -r ./register.cjs main.ts`.
// .ts files are transpiled on load; the workspace names resolve to the sources by the paths of the
// root tsconfig.json. KUNCI_NEST_MAJOR=11 loads Nest 11 from test-deps/nest11; otherwise the root's
// Nest 12 loads, an ES module package, through node's require(esm).
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const ts = require('typescript');

const root = resolve(__dirname, '..', '..', '..', '..');
const { paths } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).compilerOptions;
const nest11 = process.env.KUNCI_NEST_MAJOR === '11' ? join(root, 'test-deps', 'nest11', 'node_modules') : undefined;
const NEST = /^@nestjs\/(common|core|testing|platform-express|config)(\/.*)?$/;

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveMapped(request, ...rest) {
  const mapped = Object.hasOwn(paths, request) ? paths[request][0] : undefined;
  if (mapped !== undefined) return resolveFilename.call(this, join(root, mapped), ...rest);
  if (nest11 !== undefined && NEST.test(request)) return resolveFilename.call(this, join(nest11, request), ...rest);
  return resolveFilename.call(this, request, ...rest);
};

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  sourceMap: false,
};
Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
