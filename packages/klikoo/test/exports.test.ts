import { join } from 'node:path';
import { entryNames } from '../../core/test/entry-names';
import * as main from '../src';
import * as emulator from '../src/entries/emulator';

const src = join(__dirname, '..', 'src');

// Each entry point's public names: a change of API shows in this file's diff.
describe('@kunci/klikoo entry points', () => {
  it('@kunci/klikoo: for applications (no emulator)', () => {
    expect(entryNames(join(src, 'index.ts'), main)).toEqual({
      values: [
        'DEFAULT_KLIKOO_PATH',
        'KlikooConfig',
        'buildKlikooRequest',
        'createKlikooProvider',
        'klikoo',
        'klikooStringToSign',
        'signKlikoo',
      ],
      types: ['KlikooCredentials', 'KlikooFlow'],
    });
  });

  it('@kunci/klikoo/emulator: for the sandbox and tests', () => {
    expect(entryNames(join(src, 'entries', 'emulator.ts'), emulator)).toEqual({
      values: ['DEFAULT_KLIKOO_TIMESTAMP_TOLERANCE_MS', 'createKlikooEmulator', 'klikooDriver', 'klikooErrorBody'],
      types: ['KlikooEmulatorClient', 'KlikooEmulatorOptions', 'KlikooSandboxConfig', 'KlikooSandboxCredentials'],
    });
  });
});
