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
        'DEFAULT_NOTIFY_TIMEOUT_MS',
        'FAULT_KINDS',
        'MAX_REQUEST_BYTES',
        'NOTIFICATION_VARIANTS',
        'SANDBOX_BASE_PATHS',
        'SANDBOX_NOTIFICATIONS',
        'SANDBOX_PROVIDERS',
        'ownKeyClients',
        'startSandbox',
      ],
      types: [
        'CountFilter',
        'Fault',
        'FaultKind',
        'NotificationVariant',
        'NotifyAnswer',
        'NotifyOptions',
        'NotifyResult',
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
