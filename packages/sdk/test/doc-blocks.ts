import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const ROOT = join(__dirname, '..', '..', '..');

export interface DocBlock {
  /** `README.md:42`: the file and the line of the block's first code line. */
  where: string;
  file: string;
  line: number;
  /** The heading the block stands under. */
  heading: string;
  lang: string;
  code: string;
}

/** Every fenced block of a markdown file, with the line it starts on. */
export function fencedBlocks(file: string): DocBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i += 1) {
    heading = /^#+\s+(.*)$/.exec(lines[i] ?? '')?.[1] ?? heading;
    const open = /^```(\w+)\s*$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (end === -1) throw new Error(`${file}:${i + 1}: a code block that never closes`);
    const where = `${relative(ROOT, file)}:${i + 2}`;
    blocks.push({ where, file, line: i + 2, heading, lang: open[1] ?? '', code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

function compilerOptions(overrides: ts.CompilerOptions): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (parsed === undefined) throw new Error('cannot read tsconfig.json');
  // As a reader's project would compile them: ES modules with top-level await, node types, no jest.
  return {
    ...parsed.options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
    noEmit: true,
    ...overrides,
  };
}

// The parsed (and bound) files of the workspace, @types and lib: every program of a test file after
// the first reuses them, as a language service does between versions, instead of parsing them again.
// Keyed by the options too, since they decide how a file is parsed and bound.
const parsed = new Map<string, ts.SourceFile>();

/**
 * Type-checks every block as its own module, in one program, against the workspace sources (the
 * paths of the root tsconfig.json). Returns the diagnostics, each located in its markdown file.
 */
export function typeCheckBlocks(blocks: readonly DocBlock[], overrides: ts.CompilerOptions = {}): string[] {
  const virtual = new Map(blocks.map((block, i) => [join(ROOT, 'docs', '.blocks', `block-${i}.ts`), block]));
  const options = compilerOptions(overrides);
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  // `export {}` after the code (so that line numbers hold) makes each block a module of its own.
  const text = (name: string): string | undefined => {
    const block = virtual.get(name);
    return block === undefined ? undefined : `${block.code}\nexport {};\n`;
  };
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  host.readFile = (name) => text(name) ?? readFile(name);
  const optionsKey = JSON.stringify(options);
  host.getSourceFile = (name, version, onError, create) => {
    const code = text(name);
    if (code !== undefined) return ts.createSourceFile(name, code, version, true);
    const key = `${name}\0${JSON.stringify(version)}\0${optionsKey}`;
    const known = parsed.get(key);
    if (known !== undefined) return known;
    const source = getSourceFile(name, version, onError, create);
    if (source !== undefined) parsed.set(key, source);
    return source;
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const problems: string[] = [];
  for (const [name, block] of virtual) {
    const source = program.getSourceFile(name);
    if (source === undefined) throw new Error(`${block.where}: not compiled`);
    for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const { line, character } =
        diagnostic.start !== undefined
          ? source.getLineAndCharacterOfPosition(diagnostic.start)
          : { line: 0, character: 0 };
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      problems.push(
        `${relative(ROOT, block.file)}:${block.line + line}:${character + 1} TS${diagnostic.code}: ${message}`,
      );
    }
  }
  return problems;
}

/**
 * A block as a CommonJS module whose statements (not its imports) run inside an async function,
 * so that its top-level awaits run under jest: `module.exports.run()`.
 */
export function runnable(block: DocBlock): string {
  const source = ts.createSourceFile('block.ts', block.code, ts.ScriptTarget.ES2022, true);
  const imports = source.statements.filter(ts.isImportDeclaration).map((s) => s.getFullText(source));
  const body = source.statements.filter((s) => !ts.isImportDeclaration(s)).map((s) => s.getFullText(source));
  const wrapped = `${imports.join('')}\nexport async function run(): Promise<void> {${body.join('')}\n}\n`;
  return ts.transpileModule(wrapped, {
    // Decorators as Nest projects compile them (docs/nestjs.md).
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
    fileName: 'block.ts',
  }).outputText;
}

/** What a `runnable` example exports. */
export interface ExampleModule {
  run?: () => Promise<void>;
}

/**
 * Evaluates the CommonJS text of an example (from `runnable`) with the caller's `require`, so that
 * its imports come from the caller's module registry (`jest.isolateModules`, `jest.doMock`).
 */
export function loadExample(code: string, load: (name: string) => unknown): ExampleModule {
  const module = { exports: {} as ExampleModule };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the documentation's code is what these tests are for
  const evaluate = new Function('require', 'module', 'exports', code) as (
    load: (name: string) => unknown,
    module: { exports: ExampleModule },
    exports: ExampleModule,
  ) => void;
  evaluate(load, module, module.exports);
  return module.exports;
}
