import { join } from 'node:path';
import { entryNames } from './entry-names';
import * as main from '../src';
import * as emulator from '../src/entries/emulator';
import * as provider from '../src/entries/provider';

const src = join(__dirname, '..', 'src');

// Each entry point's public names, by reader: a change of API shows in this file's diff.
describe('@kunci/core entry points', () => {
  it('@kunci/core: for applications', () => {
    expect(entryNames(join(src, 'index.ts'), main)).toEqual({
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

  it('@kunci/core/provider: for provider authors', () => {
    expect(entryNames(join(src, 'entries', 'provider.ts'), provider)).toEqual({
      values: [
        'BaseProviderConfig',
        'DEFAULT_MAX_RESPONSE_BYTES',
        'DEFAULT_SERVICE_SIGNING',
        'DEFAULT_TIMEOUT_MS',
        'HttpTokenProvider',
        'IsBearer',
        'IsEndpointPath',
        'IsExpiresIn',
        'IsHeaderValue',
        'IsKeyPassphrase',
        'IsOffsetDateTime',
        'IsSecretReference',
        'IsTokenString',
        'SecretReader',
        'ServiceSigningConfig',
        'SignedProviderConfig',
        'buildAccessToken',
        'codeFields',
        'codeForHttpStatus',
        'configError',
        'createExternalIdGenerator',
        'formatTimestamp',
        'httpSettings',
        'invalidTokenBody',
        'loadPrivateKey',
        'minifyJson',
        'normalizeResponse',
        'parseOffsetDateTime',
        'parseRetryAfter',
        'parseSeconds',
        'postJson',
        'providerError',
        'rawAnswer',
        'resolveSecret',
        'serviceBody',
        'serviceSignature',
        'serviceSigningOptions',
        'serviceStringToSign',
        'signHmacSha512',
        'signRsaSha256',
        'signServiceCall',
        'signedPath',
        'timestampFormat',
        'tokenStringToSign',
        'validateBody',
        'validateConfig',
        'verifyRsaSha256',
      ],
      types: [
        'BodyResult',
        'BodyShape',
        'CodeInfo',
        'ConfigRead',
        'EnvelopeSpec',
        'FieldRule',
        'HeaderValueRule',
        'HttpProviderSpec',
        'HttpSettings',
        'KeyResult',
        'PostJsonOptions',
        'PreparedRequest',
        'ProviderAnswer',
        'ProviderErrorDetails',
        'RawResponse',
        'SecretResult',
        'ServiceSignatureParts',
        'ServiceSigningOptions',
        'SigningDescription',
        'TimestampFormat',
        'TokenFlow',
        'TokenParts',
        'TokenSignature',
      ],
    });
  });

  it('@kunci/core/emulator: for the sandbox and tests', () => {
    expect(entryNames(join(src, 'entries', 'emulator.ts'), emulator)).toEqual({
      values: [
        'IssuedTokens',
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
        'LoopbackHandler',
        'LoopbackServer',
        'ProviderEmulator',
        'Refusal',
        'SandboxKeys',
      ],
    });
  });

  it('no name is in two entries', () => {
    const lists = [main, provider, emulator].map((entry) => Object.keys(entry));
    const all = lists.flat();
    expect(all.filter((name, i) => all.indexOf(name) !== i)).toEqual([]);
  });
});
