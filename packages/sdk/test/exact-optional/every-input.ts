// Type-checked by tsconfig.doc-blocks.json (npm run typecheck) under exactOptionalPropertyTypes:
// every optional property, at any depth, of every input type takes an explicit undefined
// (`{ p: undefined }` is assignable). probe.ts shows that RefusesUndefined finds the ones that do not.
import type * as kunci from '@kunci/sdk';
import type { AxiosInstance } from 'axios';

type Opaque =
  ((...args: never[]) => unknown) | Date | RegExp | AbortSignal | AxiosInstance | kunci.TokenStore | kunci.Logger;
// An array's own members are not options: its elements are checked instead.
type Nested<V, P extends string> = V extends readonly (infer E)[]
  ? Nested<E, P>
  : V extends Opaque
    ? never
    : V extends object
      ? RefusesUndefined<V, P>
      : never;
/** The paths of optional properties that refuse an explicit undefined. */
export type RefusesUndefined<T, P extends string = ''> = {
  [K in keyof T & string]-?:
    // An index signature (a Record's keys) is not an optional property.
    | (string extends K
        ? never
        : // K is optional when the empty object is a Pick of it.
          // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- {} is the type with no property here
          {} extends Pick<T, K>
          ? { [Q in K]: undefined } extends Pick<T, K>
            ? never
            : `${P}${K}`
          : never)
    | Nested<NonNullable<T[K]>, `${P}${K}.`>;
}[keyof T & string];
type None<T extends never> = T;

export type Checked = [
  None<RefusesUndefined<kunci.PivotSnapConfigInput>>,
  None<RefusesUndefined<kunci.PivotLegacyConfigInput>>,
  None<RefusesUndefined<kunci.KlikooConfigInput>>,
  None<RefusesUndefined<kunci.KunciConfig>>,
  None<RefusesUndefined<kunci.KunciConfigFile>>,
  None<RefusesUndefined<kunci.TokenRequest>>,
  None<RefusesUndefined<kunci.GetTokenRequest>>,
  None<RefusesUndefined<kunci.FetchOptions>>,
  None<RefusesUndefined<kunci.TokenManagerOptions>>,
  None<RefusesUndefined<kunci.RetryOptions>>,
  None<RefusesUndefined<kunci.AttachTokenManagerOptions>>,
  None<RefusesUndefined<kunci.KunciRequestOptions>>,
];
