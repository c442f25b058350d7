// Loads the workspace's TypeScript sources in a child process, as jest does in the parent:
// ts-node without type checks, and each @kunci/* package resolved to its src/index.ts.
const Module = require('node:module');
const { join } = require('node:path');

const root = join(__dirname, '..', '..', '..', '..');
require('ts-node').register({ transpileOnly: true, project: join(root, 'tsconfig.json'), compilerOptions: { module: 'commonjs' } });
require('reflect-metadata');

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWorkspace(request, ...rest) {
  const match = /^@kunci\/([a-z-]+)$/.exec(request);
  return resolve.call(this, match ? join(root, 'packages', match[1], 'src', 'index.ts') : request, ...rest);
};
