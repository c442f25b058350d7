import { expect } from '@jest/globals';
import { join } from 'node:path';
import { entryNames } from '../../core/test/entry-names';
import * as sandbox from '../src';
import * as nock from '../src/entries/nock';

// Each entry point's public names: a change of API shows in this file's diff.
describe('@kunci/sandbox entry points', () => {
  it('@kunci/sandbox: exactly these names (an API change must show here)', () => {
    expect(entryNames(join(__dirname, '..', 'src', 'index.ts'), sandbox)).toEqual({
      values: [
        'FAULT_KINDS',
        'MAX_REQUEST_BYTES',
        'SANDBOX_BASE_PATHS',
        'SANDBOX_PROVIDERS',
        'ownKeyClients',
        'startSandbox',
      ],
      types: [
        'CountFilter',
        'Fault',
        'FaultKind',
        'OwnKey',
        'OwnKeyClients',
        'Sandbox',
        'SandboxCall',
        'SandboxClient',
        'SandboxConfig',
        'SandboxFlow',
        'SandboxOptions',
        'SandboxProvider',
        'SandboxRequest',
      ],
    });
  });

  it('@kunci/sandbox/nock: exactly these names (an API change must show here)', () => {
    expect(entryNames(join(__dirname, '..', 'src', 'entries', 'nock.ts'), nock)).toEqual({
      values: ['FIXTURE_FORMAT', 'mockProvider', 'recordProvider', 'replayProvider'],
      types: [
        'FixtureExchange',
        'MockProviderOptions',
        'MockedProvider',
        'ProviderFixture',
        'RecordProviderOptions',
        'ReplayProviderOptions',
      ],
    });
  });
});
