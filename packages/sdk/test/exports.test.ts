import { join } from 'node:path';
import * as core from '@kunci/core';
import { entryNames } from '../../core/test/entry-names';
import { useStrictNock } from '#test-kit';
import * as kunci from '../src';
import { legacyConfig, useEmulatorServer } from './fixtures';

useStrictNock();

describe('the kunci package surface', () => {
  it('@kunci/sdk: exactly these names (an API change must show here)', () => {
    expect(entryNames(join(__dirname, '..', 'src', 'index.ts'), kunci)).toEqual({
      values: [
        'AUTH_ERROR_CODES',
        'AuthError',
        'AuthErrorCode',
        'BUILT_IN_PROVIDERS',
        'KUNCI_CHANNELS',
        'MemoryTokenStore',
        'TOKEN_COUNTER_NAMES',
        'TokenManager',
        'TokenManagerClosedError',
        'attachTokenManager',
        'createAccessToken',
        'createStoreFromConfig',
        'createTokenProvider',
        'createTokenProviders',
        'deserializeAccessToken',
        'isAuthError',
        'isRetryableCode',
        'maskToken',
        'serializeAccessToken',
        'tokenCounterTotals',
      ],
      types: [
        'AccessToken',
        'AccessTokenFields',
        'AttachTokenManagerOptions',
        'AuthErrorOptions',
        'BuiltInProviderName',
        'CommonConfigInput',
        'ConfiguredTokenStore',
        'ExternalIdGenerator',
        'FailedResponse',
        'FetchOptions',
        'GetTokenRequest',
        'KeyKind',
        'KlikooConfigInput',
        'KunciChannelName',
        'KunciConfig',
        'KunciConfigFile',
        'KunciMessageBase',
        'KunciRequestOptions',
        'Logger',
        'MaskedToken',
        'MemoryTokenStoreOptions',
        'PivotLegacyConfigInput',
        'PivotSnapConfigInput',
        'ProviderConfig',
        'ProviderConfigEntry',
        'ProviderDefinition',
        'ProviderName',
        'ReleaseLock',
        'ResponseInfo',
        'RetryOptions',
        'ServiceRequest',
        'ServiceSignMessage',
        'ServiceSigningInput',
        'SignedServiceRequest',
        'StoreConfigInput',
        'StoreLockMessage',
        'StoreMessage',
        'StoreOperation',
        'TimestampInput',
        'TokenCounterName',
        'TokenCounterValues',
        'TokenFetchMessage',
        'TokenGetMessage',
        'TokenManagerEvent',
        'TokenManagerEvents',
        'TokenManagerListener',
        'TokenManagerOptions',
        'TokenProvider',
        'TokenRejection',
        'TokenRequest',
        'TokenRetryMessage',
        'TokenStore',
        'TracedOutcome',
      ],
    });
  });

  it("re-exports every name of @kunci/core's application entry: an application needs no second import", () => {
    const sdk = entryNames(join(__dirname, '..', 'src', 'index.ts'), kunci);
    const application = entryNames(join(__dirname, '..', '..', 'core', 'src', 'index.ts'), core);
    expect(application.values.filter((name) => !sdk.values.includes(name))).toEqual([]);
    expect(application.types.filter((name) => !sdk.types.includes(name))).toEqual([]);
    for (const name of application.values)
      expect(kunci[name as keyof typeof kunci]).toBe(core[name as keyof typeof core]);
  });

  it("re-exports core's own objects, never copies", () => {
    for (const name of [
      'AuthError',
      'isAuthError',
      'AuthErrorCode',
      'AUTH_ERROR_CODES',
      'maskToken',
      'TokenManager',
      'attachTokenManager',
    ] as const) {
      expect(kunci[name]).toBe(core[name]);
    }
  });

  it('knows the four built-in providers by name', () => {
    expect(Object.keys(kunci.BUILT_IN_PROVIDERS)).toEqual(['pivot-snap', 'pivot-legacy', 'klikoo', 'snap']);
    for (const [name, definition] of Object.entries(kunci.BUILT_IN_PROVIDERS)) expect(definition.name).toBe(name);
  });

  const emulatorServer = useEmulatorServer();

  it('a TokenManager over a provider from createTokenProvider serves the cached token', async () => {
    const server = emulatorServer();
    const before = server.requests.length;
    const tokens = new kunci.TokenManager(kunci.createTokenProvider(legacyConfig(server.url)), {
      refreshBeforeSeconds: 60,
    });
    try {
      const first = await tokens.getToken();
      const second = await tokens.getToken();
      expect(second.accessToken).toBe(first.accessToken);
      expect(server.requests.length - before).toBe(1);
    } finally {
      await tokens.close();
    }
  });
});
