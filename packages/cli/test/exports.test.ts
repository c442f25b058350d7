import { expect } from '@jest/globals';
import { join } from 'node:path';
import { entryNames } from '../../core/test/entry-names';
import * as cli from '../src';

// The entry point's public names: a change of API shows in this file's diff.
describe('@kunci/cli entry point', () => {
  it('@kunci/cli: no names, the package is its bin (an API change must show here)', () => {
    expect(entryNames(join(__dirname, '..', 'src', 'index.ts'), cli)).toEqual({
      values: [],
      types: [],
    });
  });
});
