import { expect } from '@jest/globals';
import { join } from 'node:path';
import { entryNames } from '../../core/test/entry-names';
import * as nest from '../src';

describe('@kunci/nest entry point', () => {
  it('exactly these names (an API change must show here)', () => {
    expect(entryNames(join(__dirname, '..', 'src', 'index.ts'), nest)).toEqual({
      values: [
        'InboundGuard',
        'InboundRefusedException',
        'InboundTokenRoute',
        'InjectKunciClient',
        'InjectTokenManager',
        'InjectTokenProvider',
        'KUNCI_MODULE_OPTIONS',
        'KunciModule',
        'KunciService',
        'VerifiedNotification',
        'VerifyNotification',
        'getKunciClientToken',
        'getTokenManagerToken',
        'getTokenProviderToken',
        'sendInboundAnswer',
        'serveInboundToken',
        'verifiedNotificationOf',
      ],
      types: [
        'InboundGuardOptions',
        'KunciModuleAsyncOptions',
        'KunciModuleExtras',
        'KunciModuleForRootOptions',
        'KunciModuleOptions',
      ],
    });
  });

  it('a token names its provider, and a name that is not a string is a CONFIG_INVALID', () => {
    expect(nest.getTokenManagerToken('pivot')).not.toBe(nest.getTokenManagerToken('klikoo'));
    expect(
      new Set([
        nest.getTokenManagerToken('pivot'),
        nest.getTokenProviderToken('pivot'),
        nest.getKunciClientToken('pivot'),
      ]).size,
    ).toBe(3);
    for (const bad of ['', '  ', undefined, 42]) {
      expect(() => nest.InjectKunciClient(bad as string)).toThrow(
        expect.objectContaining({ name: 'AuthError', code: 'CONFIG_INVALID' }),
      );
    }
  });
});
