// Loads kunci's TypeScript sources in a plain `node` process, as jest maps them: the workspace
// names resolve to the sources, which are transpiled without type checks (cached by content).
const Module = require('node:module');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const packages = path.resolve(__dirname, '../../..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveKunci(request, ...rest) {
  const match = /^@kunci\/(core|pivot-snap|pivot-legacy|klikoo|sdk)$/.exec(request);
  return resolve.call(this, match ? path.join(packages, match[1], 'src', 'index.ts') : request, ...rest);
};

const cache = path.join(os.tmpdir(), 'kunci-transpiled');
fs.mkdirSync(cache, { recursive: true });
const compilerOptions = { module: 'commonjs', target: 'es2022', experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true };
const { version } = require('typescript/package.json');

function transpile(source, filename) {
  const ts = require('typescript');
  const options = ts.convertCompilerOptionsFromJson(compilerOptions, path.dirname(filename)).options;
  return ts.transpileModule(source, { compilerOptions: options, fileName: filename }).outputText;
}

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const cached = path.join(cache, `${createHash('sha256').update(version).update(filename).update(source).digest('hex')}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(source, filename);
    // Children start together: write aside, then rename, so that none reads a half-written file.
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, output);
    fs.renameSync(partial, cached);
  }
  module._compile(output, filename);
};
