import * as core from '@kunci/core';
import { AuthError, isAuthError } from '../src';

/** A second, separate copy of @kunci/core, as a process holding two builds or two versions gets. */
function secondCopyOfCore(): typeof core {
  let copy: typeof core | undefined;
  jest.isolateModules(() => {
    copy = jest.requireActual<typeof core>('@kunci/core');
  });
  if (copy === undefined) throw new Error('the second copy did not load');
  return copy;
}

describe('isAuthError across copies of the module', () => {
  const other = secondCopyOfCore();

  it('really is a second copy: its class is another class', () => {
    expect(other.AuthError).not.toBe(AuthError);
    expect(new other.AuthError('TIMEOUT', 'x', { provider: 'klikoo' })).not.toBeInstanceOf(AuthError);
  });

  it("recognises the other copy's errors, and the other copy recognises ours, by the Symbol.for brand", () => {
    const theirs = new other.AuthError('RATE_LIMITED', 'klikoo: too many requests.', {
      provider: 'klikoo',
      status: 429,
    });
    expect(isAuthError(theirs)).toBe(true);
    expect(other.isAuthError(new AuthError('NETWORK', 'pivot-snap: unreachable.', { provider: 'pivot-snap' }))).toBe(
      true,
    );
    if (isAuthError(theirs))
      expect([theirs.code, theirs.retryable, theirs.status]).toEqual(['RATE_LIMITED', true, 429]);
  });

  it("is kunci's re-export of the one in @kunci/core, not a copy", () => {
    expect(AuthError).toBe(core.AuthError);
    expect(isAuthError).toBe(core.isAuthError);
  });

  it.each([
    ['a plain Error', new Error('AuthError')],
    ['a look-alike object', { name: 'AuthError', code: 'TIMEOUT', provider: 'x', retryable: true }],
    ['a brand under a different symbol', { [Symbol('kunci.AuthError')]: true }],
    ['null', null],
    ['a string', 'AuthError'],
  ])('refuses %s', (_title, value) => {
    expect(isAuthError(value)).toBe(false);
  });
});
