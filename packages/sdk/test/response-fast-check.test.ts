import { isDeepStrictEqual } from 'node:util';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { FIXED_NOW, withPath } from '#test-kit';
import { SeededRandom } from '../../core/test-kit/hostile-bodies';
import type { ResponseClass } from '../../core/src/response';
import { normalizeKlikooResponse } from '../../klikoo/src/normalize';
import klikooSuccess from '../../klikoo/test/fixtures/success.json';
import { normalizePivotLegacyResponse } from '../../pivot-legacy/src/normalize';
import legacySuccess from '../../pivot-legacy/test/fixtures/success.json';
import { normalizePivotSnapResponse } from '../../pivot-snap/src/normalize';
import b2bSuccess from '../../pivot-snap/test/fixtures/b2b-success.json';
import b2b2cSuccess from '../../pivot-snap/test/fixtures/b2b2c-success.json';

// Every validateBody call of a provider's normalizer also runs the fast check derived from the
// class and the class-transformer/class-validator path alone: they must accept the same bodies, and
// the fields the class declares must hold the same values either way.
const mockRecord = {
  classes: new Set<ResponseClass>(),
  compared: 0,
  accepted: 0,
  missingFastCheck: [] as string[],
  mismatches: [] as string[],
};

/** The field paths a response class validates, its `@ValidateNested` `@Type` classes' included. */
function declaredPaths(cls: ResponseClass, prefix = ''): string[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false, undefined);
  const properties = [...new Set(metadatas.map((metadata) => metadata.propertyName))];
  return properties.flatMap((property) => {
    const path = `${prefix}${property}`;
    const nested = metadatas.some(
      (metadata) => metadata.propertyName === property && metadata.type === ValidationTypes.NESTED_VALIDATION,
    );
    const type = nested ? defaultMetadataStorage.findTypeMetadata(cls, property) : undefined;
    return type === undefined ? [path] : [path, ...declaredPaths(type.typeFunction() as ResponseClass, `${path}.`)];
  });
}

/** Each class's declared leaf paths, read from its metadata once. */
const leavesByClass = new Map<ResponseClass, string[]>();

function declaredLeaves(cls: ResponseClass): string[] {
  let leaves = leavesByClass.get(cls);
  if (leaves === undefined) {
    const paths = declaredPaths(cls);
    leaves = paths.filter((path) => !paths.some((other) => other.startsWith(`${path}.`)));
    leavesByClass.set(cls, leaves);
  }
  return leaves;
}

function pick(value: unknown, paths: readonly string[]): unknown[] {
  return paths.map((path) =>
    path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], value),
  );
}

jest.mock('../../core/src/response', () => {
  const actual = jest.requireActual<typeof import('../../core/src/response')>('../../core/src/response');
  return {
    ...actual,
    validateBody: <T extends object>(cls: new () => T, body: Record<string, unknown>) => {
      const result = actual.validateBody(cls, body);
      const fast = actual.fastCheckOf(cls);
      const slow = actual.validateWithClass(cls, body);
      mockRecord.classes.add(cls);
      mockRecord.compared += 1;
      if (slow.ok) mockRecord.accepted += 1;
      if (fast === null) {
        mockRecord.missingFastCheck.push(cls.name);
        return result;
      }
      // The values the class declares, leaf by leaf (a nested class's instance and the plain object
      // it was made from differ only in prototype).
      const leaves = declaredLeaves(cls);
      const same =
        slow.ok === fast(body) &&
        slow.ok === result.ok &&
        (slow.ok && result.ok
          ? isDeepStrictEqual(pick(slow.value, leaves), pick(result.value, leaves))
          : isDeepStrictEqual(slow, result));
      if (!same) mockRecord.mismatches.push(`${cls.name} ${JSON.stringify(body)}`);
      return result;
    },
  };
});

const VALUES: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x',
  'a b',
  'tok\u00e9n',
  'tok\tn',
  '~!#$%&*+-./0123456789:;<=>?@AZaz[]^_`{|}',
  'v'.repeat(8192),
  'v'.repeat(8193),
  0,
  1,
  -1,
  900,
  900.5,
  2678400,
  2678401,
  Number.MAX_SAFE_INTEGER,
  1e21,
  '0',
  '1',
  '900',
  ' 900 ',
  '900 ',
  '+900',
  '-900',
  '9e2',
  '0900',
  '2678400',
  '2678401',
  '9999999999999',
  '900.0',
  'Bearer',
  'bearer',
  'BEARER',
  'Bearer ',
  'Basic',
  'MAC',
  '2025-11-27T10:46:03+07:00',
  '2025-11-27T10:46:03Z',
  '2025-11-27T10:46:03.123+07:00',
  '2025-11-27T10:46:03',
  '2025-11-27 10:46:03+07:00',
  '2025-13-27T10:46:03+07:00',
  '2025-02-30T10:46:03+07:00',
  '2025-11-27T24:00:00+07:00',
  '2025-11-27T10:46:03+24:00',
  '2030-01-01T00:00:00+07:00',
  '1999-01-01T00:00:00+07:00',
  'not a date',
  true,
  false,
  [],
  ['Bearer'],
  [{}],
  {},
  { value: 'Bearer' },
];

interface Subject {
  name: string;
  body: Record<string, unknown>;
  run(body: Record<string, unknown>): unknown;
}

const SUBJECTS: Subject[] = [
  {
    name: 'pivot-snap B2B',
    body: b2bSuccess,
    run: (body) => normalizePivotSnapResponse({ status: 200, body }, 'b2b', FIXED_NOW),
  },
  {
    name: 'pivot-snap B2B2C',
    body: b2b2cSuccess,
    run: (body) => normalizePivotSnapResponse({ status: 200, body }, 'b2b2c', FIXED_NOW),
  },
  {
    name: 'pivot-legacy',
    body: legacySuccess,
    run: (body) => normalizePivotLegacyResponse({ status: 200, body }, 'b2b', FIXED_NOW),
  },
  {
    name: 'klikoo',
    body: klikooSuccess,
    run: (body) => normalizeKlikooResponse({ status: 200, body }, 'b2b', FIXED_NOW),
  },
];

describe('validateBody: the fast check derived from a response class accepts exactly what class-validator accepts', () => {
  beforeEach(() => {
    mockRecord.classes.clear();
    mockRecord.compared = 0;
    mockRecord.accepted = 0;
    mockRecord.missingFastCheck = [];
    mockRecord.mismatches = [];
  });

  it.each(SUBJECTS)(
    '$name: the documented body, every declared field set to every value, and random mutations',
    (subject) => {
      // The normalizer, the fast check and class-validator are pure: a body already run would be
      // compared to the same outcome again, so each distinct body runs once (a random mutation
      // often repeats an earlier one: the same field set to the same value).
      const ran = new Set<string>();
      let mutations = 0;
      const runOnce = (body: Record<string, unknown>): void => {
        mutations += 1;
        const key = JSON.stringify(body);
        if (ran.has(key)) return;
        ran.add(key);
        subject.run(body);
      };
      runOnce(subject.body);
      // The documented body went through the response class: its fields are the ones to vary.
      expect(mockRecord.classes.size).toBe(1);
      const [cls] = [...mockRecord.classes] as [ResponseClass];
      const paths = declaredPaths(cls);
      expect(paths.length).toBeGreaterThanOrEqual(3);
      expect(mockRecord.accepted).toBe(1);

      for (const path of paths) for (const value of VALUES) runOnce(withPath(subject.body, path, value));
      // A fixed seed: the same mutations on every run.
      const random = new SeededRandom(subject.name.length * 7919);
      const pickOne = <T>(items: readonly T[]): T => items[random.int(items.length)] as T;
      for (let i = 0; i < 2000; i += 1) {
        let body = subject.body;
        const changes = 1 + random.int(3);
        for (let c = 0; c < changes; c += 1) {
          const path = pickOne(paths);
          const parent = path.includes('.') ? body[path.split('.')[0] as string] : body;
          // A field inside `data` only while `data` is still an object.
          if (typeof parent === 'object' && parent !== null && !Array.isArray(parent))
            body = withPath(body, path, pickOne(VALUES));
        }
        runOnce(body);
      }
      expect(mutations).toBe(1 + paths.length * VALUES.length + 2000);
      expect(mockRecord.missingFastCheck).toEqual([]);
      expect(mockRecord.mismatches).toEqual([]);
      // Both outcomes were exercised: the documented body and its valid variants, and the invalid ones.
      expect(mockRecord.accepted).toBeGreaterThan(10);
      expect(mockRecord.compared - mockRecord.accepted).toBeGreaterThan(100);
    },
  );
});
