import { join } from 'node:path';
import { entryNames } from '../../core/test/entry-names';
import * as main from '../src';
import * as emulator from '../src/entries/emulator';

const src = join(__dirname, '..', 'src');

// Each entry point's public names: a change of API shows in this file's diff.
describe('@kunci/snap entry points', () => {
  it('@kunci/snap: for applications (no emulator)', () => {
    expect(entryNames(join(src, 'index.ts'), main)).toEqual({
      values: [
        'DEFAULT_SNAP_PROFILE',
        'SNAP',
        'SNAP_CASES',
        'SNAP_CUSTOMER_GRANT_TYPES',
        'SNAP_EXTRA_HEADERS',
        'SNAP_PROFILES',
        'SNAP_PROFILE_NAMES',
        'SNAP_SERVICE_CODES',
        'SNAP_SIGNING',
        'SNAP_SUCCESS',
        'SNAP_TOKEN_SERVICE',
        'SnapClientConfig',
        'SnapConfig',
        'SnapHeadersConfig',
        'SnapPaths',
        'SnapSigningConfig',
        'buildSnapTokenRequest',
        'createSnapEnvelope',
        'createSnapProvider',
        'isSnapTokenSuccess',
        'normalizeSnapResponse',
        'parseSnapCode',
        'signSnap',
        'signSnapServiceRequest',
        'snap',
        'snapEnvelope',
        'snapErrorCode',
        'snapFlow',
        'snapHmacSha512',
        'snapMinifiedBody',
        'snapRejectedToken',
        'snapServiceSignature',
        'snapServiceStringToSign',
        'snapSettings',
        'snapSignatureAt',
        'snapStringToSign',
        'snapTokenBody',
        'snapTokenProvider',
      ],
      types: [
        'ResolvedSnapSettings',
        'SnapCase',
        'SnapCaseMeaning',
        'SnapCredentials',
        'SnapCustomerGrantType',
        'SnapExtraHeader',
        'SnapFlow',
        'SnapMinify',
        'SnapNotificationRoute',
        'SnapNotificationScheme',
        'SnapProfile',
        'SnapProfileName',
        'SnapProviderSpec',
        'SnapServiceCredentials',
        'SnapServiceParts',
        'SnapServiceRequest',
        'SnapServiceSignature',
        'SnapSettings',
        'SnapSignature',
        'SnapSigningKey',
        'SnapSigningOptions',
        'SnapSources',
      ],
    });
  });

  it('@kunci/snap/emulator: for the sandbox and tests', () => {
    expect(entryNames(join(src, 'entries', 'emulator.ts'), emulator)).toEqual({
      values: [
        'SNAP_GENERIC_SERVICE',
        'SNAP_TIMESTAMP_TOLERANCE_MS',
        'createSnapEmulator',
        'createSnapServiceVerifier',
        'snapClientFromConfig',
        'snapDriver',
        'snapError',
        'snapErrorBody',
        'snapGatewayError',
        'snapMissingField',
        'snapServiceSignatureValid',
        'snapTimestampRefusal',
      ],
      types: [
        'SnapEmulatorClient',
        'SnapEmulatorOptions',
        'SnapSandboxClient',
        'SnapSandboxConfig',
        'SnapSandboxCredentials',
        'SnapServiceRules',
        'SnapServiceVerifier',
        'SnapServiceVerifierOptions',
      ],
    });
  });
});
