import { expect } from '@jest/globals';
import { join } from 'node:path';
import { entryNames } from '../../core/test/entry-names';
import * as cli from '../src';

// The entry point's public names: a change of API shows in this file's diff.
describe('@kunci/cli entry point', () => {
  it('@kunci/cli: exactly these names (an API change must show here)', () => {
    expect(entryNames(join(__dirname, '..', 'src', 'index.ts'), cli)).toEqual({
      values: [
        'EXIT',
        'LIKELY_CAUSE',
        'UsageError',
        'printDemo',
        'processIo',
        'run',
        'runDemo',
        'signService',
        'signToken',
      ],
      types: ['DemoCall', 'DemoReport', 'DemoRow', 'Io', 'SignOptions', 'Signed', 'SignedService'],
    });
  });
});
