import { join } from 'node:path';
import { testKeyPair } from '#test-kit';
import { createTokenProvider, createTokenProviders, TokenManager } from '../src';
import { ROOT, typeCheckBlocks, type DocBlock } from './doc-blocks';
import { FakeProvider } from '../../core/test/manager/fake-provider';

// A project with `exactOptionalPropertyTypes` may pass `undefined` for an option only where the
// type says `| undefined`. kunci's inputs say so everywhere, and treat undefined as absent.

function block(name: string, code: string): DocBlock {
  return { where: name, file: join(ROOT, 'packages', 'sdk', 'test', name), line: 1, heading: name, lang: 'ts', code };
}

const USAGE = `
import axios from 'axios';
import { attachTokenManager, createTokenProvider, createTokenProviders, TokenManager, type Logger } from '@kunci/sdk';

declare const customer: { authCode: string; refreshToken?: string | undefined };
declare const maybeLogger: Logger | undefined;
declare const maybeNumber: number | undefined;
declare const maybeSignal: AbortSignal | undefined;
const env = process.env;

export async function usage(): Promise<void> {
  const snap = createTokenProvider({
    provider: 'pivot-snap', baseUrl: 'https://api.example.com', clientId: 'client', privateKey: 'env:KEY',
    privateKeyPassphrase: env.KEY_PASSPHRASE, timeoutMs: maybeNumber, maxResponseBytes: maybeNumber, allowInsecureHttp: undefined,
    paths: { b2b: env.B2B_PATH, b2b2c: undefined }, timestamp: { offset: env.OFFSET, milliseconds: undefined }, httpClient: undefined, clock: undefined,
  });
  createTokenProvider({ provider: 'pivot-legacy', baseUrl: 'https://api.example.com', merchantId: 'm', merchantSecret: 'env:S', path: env.LEGACY_PATH });
  createTokenProvider({ provider: 'klikoo', baseUrl: 'https://api.example.com', clientId: 'c', clientSecret: 'env:S', privateKey: 'env:K', privateKeyPassphrase: env.P, path: undefined, timestamp: undefined });
  createTokenProviders({ $schema: undefined, providers: { legacy: { provider: 'pivot-legacy', baseUrl: 'https://api.example.com', merchantId: 'm', merchantSecret: 'env:S', timeoutMs: maybeNumber } } });

  await snap.fetchToken({ authCode: customer.authCode, refreshToken: customer.refreshToken });
  await snap.fetchToken(undefined, { signal: maybeSignal, clockOffsetMs: maybeNumber, onResponse: undefined });

  const tokens = new TokenManager(snap, {
    logger: maybeLogger, store: undefined, refreshBeforeSeconds: maybeNumber, maxEntries: maybeNumber, fetchTimeoutMs: maybeNumber,
    retry: { attempts: maybeNumber, baseDelayMs: maybeNumber, maxDelayMs: undefined }, refreshBackoff: { baseDelayMs: maybeNumber, maxDelayMs: undefined },
    lock: { waitMs: maybeNumber, pollMs: undefined }, storeTimeoutMs: maybeNumber, clock: undefined, random: undefined,
  });
  await tokens.getToken({ authCode: customer.authCode, refreshToken: customer.refreshToken, signal: maybeSignal });

  const api = axios.create();
  attachTokenManager(api, tokens, { customer: () => customer.refreshToken, isTokenRejected: undefined, skipUrl: undefined });
  await api.get('/balance', { kunci: { authCode: customer.refreshToken, skip: undefined, retried: undefined } });
}
`;

// Every optional property, at any depth, of every input type: \`{ p: undefined }\` must be assignable.
const EVERY_INPUT = `
import type * as kunci from '@kunci/sdk';
import type { AxiosInstance } from 'axios';

type Opaque = ((...args: never[]) => unknown) | Date | RegExp | AbortSignal | AxiosInstance | kunci.TokenStore | kunci.Logger;
// An array's own members are not options: its elements are checked instead.
type Nested<V, P extends string> = V extends readonly (infer E)[] ? Nested<E, P> : V extends Opaque ? never : V extends object ? RefusesUndefined<V, P> : never;
/** The paths of optional properties that refuse an explicit undefined. */
type RefusesUndefined<T, P extends string = ''> = {
  [K in keyof T & string]-?:
    // An index signature (a Record's keys) is not an optional property.
    | (string extends K ? never : {} extends Pick<T, K> ? ({ [Q in K]: undefined } extends Pick<T, K> ? never : \`\${P}\${K}\`) : never)
    | Nested<NonNullable<T[K]>, \`\${P}\${K}.\`>;
}[keyof T & string];
type None<T extends never> = T;

export type Checked = [
  None<RefusesUndefined<kunci.PivotSnapConfigInput>>,
  None<RefusesUndefined<kunci.PivotLegacyConfigInput>>,
  None<RefusesUndefined<kunci.KlikooConfigInput>>,
  None<RefusesUndefined<kunci.KunciConfig>>,
  None<RefusesUndefined<kunci.KunciConfigFile>>,
  None<RefusesUndefined<kunci.TokenRequest>>,
  None<RefusesUndefined<kunci.GetTokenRequest>>,
  None<RefusesUndefined<kunci.FetchOptions>>,
  None<RefusesUndefined<kunci.TokenManagerOptions>>,
  None<RefusesUndefined<kunci.RetryOptions>>,
  None<RefusesUndefined<kunci.AttachTokenManagerOptions>>,
  None<RefusesUndefined<kunci.KunciRequestOptions>>,
];
`;

describe('exactOptionalPropertyTypes', () => {
  it('compiles the documented calls with values that may be undefined', () => {
    expect(typeCheckBlocks([block('usage.ts', USAGE)], { exactOptionalPropertyTypes: true, strict: true })).toEqual([]);
  });

  it('every optional property of every input type, nested ones included, takes an explicit undefined', () => {
    expect(
      typeCheckBlocks([block('every-input.ts', EVERY_INPUT)], { exactOptionalPropertyTypes: true, strict: true }),
    ).toEqual([]);
  });

  it('the type check itself catches an optional property without | undefined', () => {
    const probe = `${EVERY_INPUT}
interface Strict { a?: string; b?: { c?: number; d?: number | undefined }; e?: string | undefined; f: string; g: Record<string, { h?: boolean }> }
type Same<X, Y> = [X] extends [Y] ? ([Y] extends [X] ? true : false) : false;
export const found: Same<RefusesUndefined<Strict>, 'a' | 'b' | 'b.c' | \`g.\${string}.h\`> = true;
`;
    expect(typeCheckBlocks([block('probe.ts', probe)], { exactOptionalPropertyTypes: true, strict: true })).toEqual([]);
  });

  describe('at run time, undefined is absence', () => {
    const { privateKeyPem } = testKeyPair();
    it.each([
      [
        'pivot-snap',
        {
          provider: 'pivot-snap',
          clientId: 'client',
          privateKey: privateKeyPem,
          privateKeyPassphrase: undefined,
          paths: { b2b: undefined },
          timestamp: { offset: undefined },
        },
      ],
      [
        'pivot-legacy',
        { provider: 'pivot-legacy', merchantId: 'merchant', merchantSecret: 'secret-value-123', path: undefined },
      ],
      [
        'klikoo',
        {
          provider: 'klikoo',
          clientId: '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02',
          clientSecret: 'k'.repeat(32),
          privateKey: privateKeyPem,
          privateKeyPassphrase: undefined,
          path: undefined,
          timestamp: undefined,
        },
      ],
    ])('%s: every optional option given as undefined is accepted', (provider, config) => {
      const common = {
        baseUrl: 'https://api.example.com',
        timeoutMs: undefined,
        maxResponseBytes: undefined,
        allowInsecureHttp: undefined,
        httpClient: undefined,
        clock: undefined,
      };
      expect(createTokenProvider({ ...common, ...config } as never).provider).toBe(provider);
      expect(Object.keys(createTokenProviders({ providers: { only: { ...common, ...config } as never } }))).toEqual([
        'only',
      ]);
    });

    it('TokenManager options and getToken requests given as undefined take the defaults', async () => {
      const provider = new FakeProvider();
      const manager = new TokenManager(provider, {
        retry: { attempts: undefined, baseDelayMs: undefined, maxDelayMs: undefined },
        refreshBackoff: { baseDelayMs: undefined },
        lock: { waitMs: undefined },
        refreshBeforeSeconds: undefined,
        logger: undefined,
        clock: undefined,
      });
      await manager.getToken({ authCode: undefined, refreshToken: undefined, signal: undefined });
      await manager.getToken({ authCode: 'customer-1', refreshToken: undefined });
      expect(provider.calls.map((call) => call.request)).toEqual([{}, { authCode: 'customer-1' }]);
      await manager.close();
    });
  });
});
