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
        'MemoryTokenStore',
        'TokenManager',
        'TokenManagerClosedError',
        'attachTokenManager',
        'createStoreFromConfig',
        'createTokenProvider',
        'createTokenProviders',
        'isAuthError',
        'maskToken',
      ],
      types: [
        'AccessToken',
        'AttachTokenManagerOptions',
        'BuiltInProviderName',
        'CommonConfigInput',
        'ConfiguredTokenStore',
        'FetchOptions',
        'GetTokenRequest',
        'KlikooConfigInput',
        'KunciConfig',
        'KunciConfigFile',
        'KunciRequestOptions',
        'Logger',
        'MaskedToken',
        'PivotLegacyConfigInput',
        'PivotSnapConfigInput',
        'ProviderConfig',
        'ProviderConfigEntry',
        'ProviderDefinition',
        'ReleaseLock',
        'RetryOptions',
        'ServiceRequest',
        'ServiceSigningInput',
        'SignedServiceRequest',
        'StoreConfigInput',
        'TimestampInput',
        'TokenManagerEvent',
        'TokenManagerEvents',
        'TokenManagerListener',
        'TokenManagerOptions',
        'TokenProvider',
        'TokenRequest',
        'TokenStore',
      ],
    });
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

  it('knows the three built-in providers by name', () => {
    expect(Object.keys(kunci.BUILT_IN_PROVIDERS)).toEqual(['pivot-snap', 'pivot-legacy', 'klikoo']);
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
