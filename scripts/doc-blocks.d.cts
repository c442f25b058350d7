// The types of doc-blocks.cjs, for the tests that read the docs' blocks (packages/sdk/test/doc-blocks.ts).

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

/** The repository's directory. */
export declare const ROOT: string;
/** Where the blocks are written, relative to ROOT (git-ignored). */
export declare const OUT_DIR: string;
/** The markdown files whose ts blocks are type-checked. */
export declare function markdownFiles(): string[];
/** Every fenced block of a markdown file, with the line its code starts on. */
export declare function fencedBlocks(file: string): DocBlock[];
/**
 * A ts block as the module tsc checks: its name (`docs/x.md/42.ts`), its path relative to ROOT
 * (`.doc-blocks/docs/x.md/42.ts`), and its text.
 */
export declare function blockModule(block: DocBlock): { name: string; path: string; text: string };
/** What the script writes now: every ts block of the docs, name to text. */
export declare function expectedModules(): Map<string, string>;
/**
 * How the folder (default: ROOT/.doc-blocks) differs from what the script would write now, one line
 * per file; given blocks, theirs only (no leftover listed).
 */
export declare function differences(blocks?: readonly DocBlock[], outDir?: string): string[];
/** Writes the modules that differ into the folder (default: ROOT/.doc-blocks) and removes leftovers. */
export declare function writeModules(outDir?: string): { modules: number; written: number; removed: number };
/** tsc's output with each block module's location as the markdown's. */
export declare function locate(output: string): string;
