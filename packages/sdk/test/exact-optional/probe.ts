// Type-checked by tsconfig.doc-blocks.json (npm run typecheck): the check of every-input.ts itself
// catches an optional property without `| undefined`, nested ones and a Record's values included.
// Without exactOptionalPropertyTypes RefusesUndefined finds nothing, and this file fails to compile.
import type { RefusesUndefined } from './every-input';

interface Strict {
  a?: string;
  b?: { c?: number; d?: number | undefined };
  e?: string | undefined;
  f: string;
  g: Record<string, { h?: boolean }>;
}
type Same<X, Y> = [X] extends [Y] ? ([Y] extends [X] ? true : false) : false;
export const found: Same<RefusesUndefined<Strict>, 'a' | 'b' | 'b.c' | `g.${string}.h`> = true;
