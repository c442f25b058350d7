// Runs the TypeScript apps of this folder in plain node (no jest): `node -r ./register.cjs main.ts`.
// scripts/from-source.cjs transpiles the .ts files (its cache on disk spares the compiler after the
// first run) and resolves the workspace names to their sources. KUNCI_NEST_MAJOR=11 loads Nest 11
// from test-deps/nest11; otherwise the root's Nest 12 loads, an ES module package, through node's
// require(esm).
const Module = require('node:module');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..', '..', '..', '..');
require(join(root, 'scripts', 'from-source.cjs'));

if (process.env.KUNCI_NEST_MAJOR === '11') {
  const nest11 = join(root, 'test-deps', 'nest11', 'node_modules');
  const NEST = /^@nestjs\/(common|core|testing|platform-express|config)(\/.*)?$/;
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveNest11(request, ...rest) {
    if (NEST.test(request)) return resolveFilename.call(this, join(nest11, request), ...rest);
    return resolveFilename.call(this, request, ...rest);
  };
}
