import { join } from 'node:path';
import { entryNames } from '../../core/test/entry-names';
import * as main from '../src';
import * as emulator from '../src/entries/emulator';

const src = join(__dirname, '..', 'src');

// Each entry point's public names: a change of API shows in this file's diff.
describe('@kunci/pivot-snap entry points', () => {
  it('@kunci/pivot-snap: for applications (no emulator)', () => {
    expect(entryNames(join(src, 'index.ts'), main)).toEqual({
      values: [
        'DEFAULT_PIVOT_SNAP_PATHS',
        'LEGACY_PIVOT_SNAP_PATHS',
        'PivotSnapConfig',
        'PivotSnapPaths',
        'createPivotSnapProvider',
        'pivotSnap',
        'pivotSnapStringToSign',
        'signPivotSnap',
      ],
      types: ['PivotSnapCredentials', 'PivotSnapSignature'],
    });
  });

  it('@kunci/pivot-snap/emulator: for the sandbox and tests', () => {
    expect(entryNames(join(src, 'entries', 'emulator.ts'), emulator)).toEqual({
      values: ['PIVOT_SNAP_TIMESTAMP_TOLERANCE_MS', 'createPivotSnapEmulator', 'pivotSnapDriver', 'pivotSnapErrorBody'],
      types: [
        'PivotSnapEmulatorClient',
        'PivotSnapEmulatorOptions',
        'PivotSnapSandboxConfig',
        'PivotSnapSandboxCredentials',
      ],
    });
  });
});
