import type ts from 'typescript';
import { type DocBlock } from '../../../scripts/doc-blocks.cjs';

// The docs' blocks are read by scripts/doc-blocks.cjs, which also writes them under .doc-blocks/ for
// `npm run typecheck` to compile (tsconfig.doc-blocks.json). The tests run them and check that what
// is written is current.
export {
  blockModule,
  differences,
  expectedModules,
  fencedBlocks,
  locate,
  markdownFiles,
  OUT_DIR,
  ROOT,
  type DocBlock,
  writeModules,
} from '../../../scripts/doc-blocks.cjs';

/** The typescript module, loaded by the tests that run examples only: it takes a while to load. */
export function typescript(): typeof ts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not by every file that reads the docs
  return require('typescript') as typeof ts;
}

/**
 * A block as a CommonJS module whose statements (not its imports) run inside an async function,
 * so that its top-level awaits run under jest: `module.exports.run()`.
 */
export function runnable(block: DocBlock): string {
  const ts = typescript();
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
