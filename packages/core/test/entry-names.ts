import { readFileSync } from 'node:fs';
import ts from 'typescript';

export interface EntryNames {
  /** What the module really carries at run time (`Object.keys` of the loaded entry). */
  values: string[];
  /** The names the entry file exports as types only. */
  types: string[];
}

/**
 * The public names of an entry file, split into values and types. An entry lists every name in
 * `export { … } from` or `export type { … } from` declarations (no `export *`, nothing declared in
 * the entry itself), so the file alone says what a release promises.
 */
export function entryNames(file: string, loaded: object): EntryNames {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const listed: string[] = [];
  for (const statement of source.statements) {
    if (
      !ts.isExportDeclaration(statement) ||
      statement.exportClause === undefined ||
      !ts.isNamedExports(statement.exportClause)
    ) {
      throw new Error(
        `${file}: only \`export { … } from\` lists belong in an entry, found: ${statement.getText(source).slice(0, 80)}`,
      );
    }
    for (const element of statement.exportClause.elements) listed.push(element.name.text);
  }
  const values = Object.keys(loaded)
    .filter((name) => name !== '__esModule')
    .sort();
  const unlisted = values.filter((name) => !listed.includes(name));
  if (unlisted.length > 0) throw new Error(`${file}: exports values it does not list: ${unlisted.join(', ')}`);
  return { values, types: listed.filter((name) => !values.includes(name)).sort() };
}
