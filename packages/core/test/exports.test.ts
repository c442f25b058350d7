import { join } from 'node:path';
import { entryNames } from './entry-names';
import * as main from '../src';
import * as emulator from '../src/entries/emulator';
import * as provider from '../src/entries/provider';

const src = join(__dirname, '..', 'src');

// @kunci/core's diagnostics names (the channels, their messages, the counters' totals): pinned in a
// block of their own, and taken out of the entry's lists before the main comparison.
const DIAGNOSTICS = {
  values: ['KUNCI_CHANNELS', 'TOKEN_COUNTER_NAMES', 'tokenCounterTotals'],
  types: [
    'KeyKind',
    'KunciChannelName',
    'KunciMessageBase',
    'ServiceSignMessage',
    'StoreLockMessage',
    'StoreMessage',
    'TokenCounterName',
    'TokenCounterValues',
    'TokenFetchMessage',
    'TokenGetMessage',
    'TokenRetryMessage',
    'TracedOutcome',
  ],
};
const mainNames = (): { values: string[]; types: string[] } => entryNames(join(src, 'index.ts'), main);
const withoutDiagnostics = ({ values, types }: { values: string[]; types: string[] }) => ({
  values: values.filter((name) => !DIAGNOSTICS.values.includes(name)),
  types: types.filter((name) => !DIAGNOSTICS.types.includes(name)),
});

// Each entry point's public names, by reader: a change of API shows in this file's diff.
describe('@kunci/core entry points', () => {
  it('@kunci/core: for applications', () => {
    expect(withoutDiagnostics(mainNames())).toEqual({
      values: [
        'AUTH_ERROR_CODES',
        'AuthError',
        'AuthErrorCode',
        'MemoryTokenStore',
        'TokenManager',
        'TokenManagerClosedError',
        'attachTokenManager',
        'createAccessToken',
        'deserializeAccessToken',
        'isAuthError',
        'isRetryableCode',
        'maskToken',
        'serializeAccessToken',
      ],
      types: [
        'AccessToken',
        'AccessTokenFields',
        'AttachTokenManagerOptions',
        'AuthErrorOptions',
        'ExternalIdGenerator',
        'FailedResponse',
        'FetchOptions',
        'GetTokenRequest',
        'KunciRequestOptions',
        'Logger',
        'MaskedToken',
        'MemoryTokenStoreOptions',
        'ProviderDefinition',
        'ProviderName',
        'ReleaseLock',
        'ResponseInfo',
        'RetryOptions',
        'ServiceRequest',
        'SignedServiceRequest',
        'StoreOperation',
        'TokenManagerEvent',
        'TokenManagerEvents',
        'TokenManagerListener',
        'TokenManagerOptions',
        'TokenProvider',
        'TokenRejection',
        'TokenRequest',
        'TokenStore',
      ],
    });
  });

  it('@kunci/core: the diagnostics names', () => {
    const { values, types } = mainNames();
    expect(values.filter((name) => DIAGNOSTICS.values.includes(name))).toEqual(DIAGNOSTICS.values);
    expect(types.filter((name) => DIAGNOSTICS.types.includes(name))).toEqual(DIAGNOSTICS.types);
  });

  it('@kunci/core/provider: for provider authors', () => {
    expect(entryNames(join(src, 'entries', 'provider.ts'), provider)).toEqual({
      values: [
        'BaseProviderConfig',
        'DEFAULT_SERVICE_SIGNING',
        'HttpTokenProvider',
        'IsBearer',
        'IsEndpointPath',
        'IsExpiresIn',
        'IsHeaderValue',
        'IsKeyPassphrase',
        'IsOffsetDateTime',
        'IsSecretReference',
        'IsTokenString',
        'KUNCI',
        'MAX_TIMER_MS',
        'SecretReader',
        'ServiceSigningConfig',
        'SignedProviderConfig',
        'buildAccessToken',
        'checkOptions',
        'codeFields',
        'codeForHttpStatus',
        'configError',
        'createExternalIdGenerator',
        'describeValue',
        'formatTimestamp',
        'func',
        'httpSettings',
        'integer',
        'invalidTokenBody',
        'isObject',
        'loadPrivateKey',
        'lowerHeaders',
        'minifyJson',
        'normalizeResponse',
        'parseJsonText',
        'parseOffsetDateTime',
        'providerError',
        'rawAnswer',
        'readJsonFile',
        'readTextFile',
        'resolveSecret',
        'serviceBody',
        'serviceSignature',
        'serviceSigningOptions',
        'serviceStringToSign',
        'signRsaSha256',
        'signServiceCall',
        'signedPath',
        'timestampFormat',
        'tokenStringToSign',
        'urlPath',
        'validateBody',
        'validateConfig',
        'verifyRsaSha256',
      ],
      types: [
        'CodeInfo',
        'EnvelopeSpec',
        'OptionRule',
        'OptionsSchema',
        'PreparedRequest',
        'ProviderAnswer',
        'PublicKeyForm',
        'RawResponse',
        'ServiceSigningOptions',
        'SigningDescription',
        'TimestampFormat',
        'TokenFlow',
        'TokenSignature',
      ],
    });
  });

  it('@kunci/core/emulator: for the sandbox and tests', () => {
    expect(entryNames(join(src, 'entries', 'emulator.ts'), emulator)).toEqual({
      values: [
        'IssuedTokens',
        'NOTIFICATION_VARIANTS',
        'SIGNED_TIMESTAMP',
        'bearerToken',
        'dated',
        'defineEmulator',
        'emulatedRequest',
        'fakeJwt',
        'jsonResponse',
        'parseJsonObject',
        'refused',
        'sameSecret',
        'serviceSignatureValid',
        'startLoopbackServer',
        'timestampWithin',
      ],
      types: [
        'ConfigClient',
        'ConfigReader',
        'EmulatedRequest',
        'EmulatedResponse',
        'EmulatorDriver',
        'EmulatorSettings',
        'EmulatorSpec',
        'ExpectedAnswer',
        'LoopbackHandler',
        'LoopbackServer',
        'NotificationVariant',
        'Notifier',
        'NotifyInput',
        'OutgoingRequest',
        'OwnKey',
        'ProviderEmulator',
        'ReceivedAnswer',
        'Refusal',
        'SandboxKeys',
        'SignedNotification',
      ],
    });
  });

  it('no name is in two entries', () => {
    const lists = [main, provider, emulator].map((entry) => Object.keys(entry));
    const all = lists.flat();
    expect(all.filter((name, i) => all.indexOf(name) !== i)).toEqual([]);
  });
});
