import { expect } from '@jest/globals';
import { AxiosHeaders } from 'axios';
import { isObject, lowerHeaders, parseJsonText } from '../src/plain';

describe('plain data helpers', () => {
  it('isObject: a JSON object only', () => {
    expect([{}, { a: 1 }].map(isObject)).toEqual([true, true]);
    expect([null, undefined, [], 'x', 1, true].map(isObject)).toEqual([false, false, false, false, false, false]);
  });

  it('parseJsonText: a JSON object or array, else undefined', () => {
    expect(parseJsonText(' {"a":1} ')).toEqual({ a: 1 });
    expect(parseJsonText('[1]')).toEqual([1]);
    for (const text of ['', '"a"', '12', 'null', '<html>', '{"a":', 'plain text']) {
      expect(parseJsonText(text)).toBeUndefined();
    }
  });

  it('lowerHeaders: lower-case names, strings, repeated headers joined, from a plain object or AxiosHeaders', () => {
    expect(
      lowerHeaders({ 'Retry-After': 5, 'Set-Cookie': ['a=1', 'b=2'], Date: 'x', Empty: null, Gone: undefined }),
    ).toEqual({
      'retry-after': '5',
      'set-cookie': 'a=1, b=2',
      date: 'x',
    });
    const headers = new AxiosHeaders({
      'WWW-Authenticate': 'Bearer error="invalid_token"',
      'Content-Type': 'text/plain',
    });
    expect(lowerHeaders(headers)).toEqual({
      'www-authenticate': 'Bearer error="invalid_token"',
      'content-type': 'text/plain',
    });
    expect(lowerHeaders(undefined)).toEqual({});
    expect(lowerHeaders('text')).toEqual({});
  });
});
