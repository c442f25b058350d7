import { isDeepStrictEqual } from 'node:util';
import { FIXED_NOW, withPath } from '#test-kit';
import { SeededRandom } from '../../core/test-kit/hostile-bodies';
import { normalizeKlikooResponse } from '../../klikoo/src/normalize';
import klikooSuccess from '../../klikoo/test/fixtures/success.json';
import { normalizePivotLegacyResponse } from '../../pivot-legacy/src/normalize';
import legacySuccess from '../../pivot-legacy/test/fixtures/success.json';
import { normalizePivotSnapResponse } from '../../pivot-snap/src/normalize';
import b2bSuccess from '../../pivot-snap/test/fixtures/b2b-success.json';
import b2b2cSuccess from '../../pivot-snap/test/fixtures/b2b2c-success.json';
import type { BodyShape } from '../../core/src/response';

// Every validateBody call with a shape also runs the class-validator path alone: both must accept
// the same bodies, and the fields a provider reads must hold the same values either way.
const mockComparison = { compared: 0, accepted: 0, mismatches: [] as string[] };

jest.mock('../../core/src/response', () => {
  const actual = jest.requireActual<typeof import('../../core/src/response')>('../../core/src/response');
  const pick = (value: Record<string, unknown>, shape: BodyShape): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(shape).map(([field, rule]) => {
        const inner = value[field];
        return [
          field,
          typeof rule === 'object' && typeof inner === 'object' && inner !== null
            ? pick(inner as Record<string, unknown>, rule)
            : inner,
        ];
      }),
    );
  return {
    ...actual,
    validateBody: <T extends object>(cls: new () => T, body: Record<string, unknown>, shape?: BodyShape) => {
      const result = actual.validateBody(cls, body, shape);
      if (shape === undefined) return result;
      const slow = actual.validateBody(cls, body);
      mockComparison.compared += 1;
      if (slow.ok) mockComparison.accepted += 1;
      const same =
        slow.ok === actual.meetsShape(body, shape) &&
        slow.ok === result.ok &&
        (!slow.ok ||
          !result.ok ||
          isDeepStrictEqual(pick(slow.value as never, shape), pick(result.value as never, shape)));
      if (!same) mockComparison.mismatches.push(`${cls.name} ${JSON.stringify(body)}`);
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
  {},
  { value: 'Bearer' },
];

interface Subject {
  name: string;
  body: Record<string, unknown>;
  paths: string[];
  run(body: Record<string, unknown>): unknown;
}

const SUBJECTS: Subject[] = [
  {
    name: 'pivot-snap B2B',
    body: b2bSuccess,
    paths: ['accessToken', 'tokenType', 'expiresIn', 'responseCode'],
    run: (body) => normalizePivotSnapResponse({ status: 200, body }, 'b2b', FIXED_NOW),
  },
  {
    name: 'pivot-snap B2B2C',
    body: b2b2cSuccess,
    paths: ['accessToken', 'tokenType', 'accessTokenExpiryTime', 'refreshToken', 'refreshTokenExpiryTime'],
    run: (body) => normalizePivotSnapResponse({ status: 200, body }, 'b2b2c', FIXED_NOW),
  },
  {
    name: 'pivot-legacy',
    body: legacySuccess,
    paths: ['code', 'data', 'data.accessToken', 'data.expiresIn', 'data.tokenType'],
    run: (body) => normalizePivotLegacyResponse({ status: 200, body }, 'b2b', FIXED_NOW),
  },
  {
    name: 'klikoo',
    body: klikooSuccess,
    paths: ['data', 'data.access_token', 'data.token_type', 'data.expires_in'],
    run: (body) => normalizeKlikooResponse({ status: 200, body }, 'b2b', FIXED_NOW),
  },
];

describe('validateBody: the hand-read shape accepts exactly what class-validator accepts', () => {
  beforeEach(() => {
    mockComparison.compared = 0;
    mockComparison.accepted = 0;
    mockComparison.mismatches = [];
  });

  it.each(SUBJECTS)('$name: the documented body, every field set to every value, and random mutations', (subject) => {
    subject.run(subject.body);
    for (const path of subject.paths) for (const value of VALUES) subject.run(withPath(subject.body, path, value));
    // A fixed seed: the same mutations on every run.
    const random = new SeededRandom(subject.name.length * 7919);
    const pickOne = <T>(items: readonly T[]): T => items[random.int(items.length)] as T;
    for (let i = 0; i < 2000; i += 1) {
      let body = subject.body;
      const changes = 1 + random.int(3);
      for (let c = 0; c < changes; c += 1) {
        const path = pickOne(subject.paths);
        const parent = path.includes('.') ? body[path.split('.')[0] as string] : body;
        // A field inside `data` only while `data` is still an object.
        if (typeof parent === 'object' && parent !== null && !Array.isArray(parent))
          body = withPath(body, path, pickOne(VALUES));
      }
      subject.run(body);
    }
    expect(mockComparison.mismatches).toEqual([]);
    // Both outcomes were exercised: the documented body and its valid variants, and the invalid ones.
    expect(mockComparison.accepted).toBeGreaterThan(10);
    expect(mockComparison.compared - mockComparison.accepted).toBeGreaterThan(100);
  });
});
