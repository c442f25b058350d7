import { expect } from '@jest/globals';
import { Expose, Transform, Type } from 'class-transformer';
import { IsDefined, IsInt, IsObject, IsOptional, IsString, ValidateIf, ValidateNested } from 'class-validator';
import { fastCheckOf, IsTokenString, validateBody, validateWithClass } from '../src/response';

class Inner {
  @IsTokenString() token!: string;
}

class Outer {
  @IsString() code!: string;
  @IsOptional() @IsInt() count?: number | null;
  @ValidateIf((object: { code?: unknown }) => object.code === 'checked') @IsString() note?: string;
  @IsObject() @ValidateNested() @Type(() => Inner) inner!: Inner;
  @IsOptional() @ValidateNested() loose?: object;
}

class Tree {
  @IsString() name!: string;
  @IsOptional() @ValidateNested() @Type(() => Tree) child?: Tree;
}

class Transformed {
  @Transform(({ value }: { value: unknown }) => String(value)) @IsString() code!: string;
}

class Renamed {
  @Expose({ name: 'the_code' }) @IsString() code!: string;
}

class Defined {
  @IsDefined() code!: string;
}

class Each {
  @IsString({ each: true }) codes!: string[];
}

const BODIES: Record<string, unknown>[] = [
  { code: 'a', inner: { token: 't' } },
  { code: 'a', count: null, inner: { token: 't' } },
  { code: 'a', count: 3, inner: { token: 't' }, extra: 1 },
  { code: 'a', count: 3.5, inner: { token: 't' } },
  { code: 'a', count: '3', inner: { token: 't' } },
  { code: 'checked', inner: { token: 't' } },
  { code: 'checked', note: 'n', inner: { token: 't' } },
  { code: 'a', note: 5, inner: { token: 't' } },
  { code: 'a', inner: { token: '' } },
  { code: 'a', inner: {} },
  { code: 'a', inner: null },
  { code: 'a', inner: [{ token: 't' }] },
  { code: 'a', inner: 'token' },
  { code: 'a' },
  { code: 1, inner: { token: 't' } },
  { code: 'a', inner: { token: 't' }, loose: { anything: [] } },
  { code: 'a', inner: { token: 't' }, loose: null },
  { code: 'a', inner: { token: 't' }, loose: 'text' },
  {},
];

describe('fastCheckOf: the fast check derived from a class-validator class', () => {
  it.each(BODIES.map((body) => [JSON.stringify(body), body] as const))(
    'agrees with class-transformer and class-validator on %s',
    (_name, body) => {
      const fast = fastCheckOf(Outer);
      expect(fast).not.toBeNull();
      expect(fast?.(body)).toBe(validateWithClass(Outer, body).ok);
    },
  );

  it('passes the body itself on the fast path and names the problems of the rest on the slow one', () => {
    const body = { code: 'a', inner: { token: 't' } };
    expect(validateBody(Outer, body)).toEqual({ ok: true, value: body });
    expect(validateBody(Outer, { code: 'checked', inner: { token: '' } })).toEqual({
      ok: false,
      problems: [
        'note must be a string',
        'inner.token must be a non-empty string of visible ASCII characters (at most 8192)',
      ],
    });
  });

  it('follows a class that nests itself', () => {
    const fast = fastCheckOf(Tree);
    expect(fast?.({ name: 'a', child: { name: 'b', child: { name: 'c' } } })).toBe(true);
    expect(fast?.({ name: 'a', child: { name: 'b', child: { name: 3 } } })).toBe(false);
  });

  it('derives the check once per class', () => {
    expect(fastCheckOf(Outer)).toBe(fastCheckOf(Outer));
  });

  it.each([
    ['a class-transformer @Transform', Transformed, { code: 5 }],
    ['a class-transformer @Expose', Renamed, { the_code: 'a' }],
    ['@IsDefined', Defined, { code: 'a' }],
    ['an `each` constraint', Each, { codes: ['a'] }],
  ] as const)(
    'has no fast check for %s, and validateBody still answers as class-validator does',
    (_name, cls, body) => {
      expect(fastCheckOf(cls)).toBeNull();
      expect(validateBody(cls as new () => object, body)).toEqual(validateWithClass(cls as new () => object, body));
      expect(validateBody(cls as new () => object, body).ok).toBe(true);
    },
  );
});
