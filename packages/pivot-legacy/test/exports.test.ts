import { join } from 'node:path';
import { entryNames } from '../../core/test/entry-names';
import * as main from '../src';
import * as emulator from '../src/entries/emulator';

const src = join(__dirname, '..', 'src');

// Each entry point's public names: a change of API shows in this file's diff.
describe('@kunci/pivot-legacy entry points', () => {
  it('@kunci/pivot-legacy: for applications (no emulator)', () => {
    expect(entryNames(join(src, 'index.ts'), main)).toEqual({
      values: ['DEFAULT_PIVOT_LEGACY_PATH', 'PivotLegacyConfig', 'createPivotLegacyProvider', 'pivotLegacy'],
      types: [],
    });
  });

  it('@kunci/pivot-legacy/emulator: for the sandbox and tests', () => {
    expect(entryNames(join(src, 'entries', 'emulator.ts'), emulator)).toEqual({
      values: ['createPivotLegacyEmulator', 'pivotLegacyDriver', 'pivotLegacyErrorBody'],
      types: ['PivotLegacyEmulatorMerchant', 'PivotLegacyEmulatorOptions', 'PivotLegacySandboxConfig'],
    });
  });
});
