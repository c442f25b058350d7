import { expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisTokenStore } from '@kunci/redis-store';
import { expectNoSecrets } from '#test-kit';
import { createStoreFromConfig, createTokenProviders } from '../src';
import { legacyConfig } from './fixtures';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  delete process.env.KUNCI_TEST_REDIS_URL;
});

function configDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kunci-store-config-'));
  dirs.push(dir);
  return dir;
}

describe('createStoreFromConfig', () => {
  it('is undefined for a config that names no store', () => {
    expect(createStoreFromConfig({ providers: { legacy: legacyConfig('https://a.example') } })).toBeUndefined();
  });

  it('builds a RedisTokenStore from a config file: env: URL, prefix, a file: key next to the file', async () => {
    const dir = configDir();
    const password = randomBytes(12).toString('hex');
    const key = randomBytes(32).toString('hex');
    process.env.KUNCI_TEST_REDIS_URL = `redis://:${password}@127.0.0.1:6379`;
    writeFileSync(join(dir, 'store.key'), `${key}\n`);
    const path = join(dir, 'kunci.config.json');
    const config = {
      providers: {
        legacy: { provider: 'pivot-legacy', baseUrl: 'https://a.example', merchantId: 'm', merchantSecret: 's' },
      },
      store: { redis: 'env:KUNCI_TEST_REDIS_URL', prefix: 'app:', encryptionKey: ['file:./store.key'] },
    };
    writeFileSync(path, JSON.stringify(config));
    expect(Object.keys(createTokenProviders(path))).toEqual(['legacy']);
    const store = createStoreFromConfig(path);
    expect(store).toBeInstanceOf(RedisTokenStore);
    expect(JSON.parse(JSON.stringify(store))).toEqual({ prefix: 'app:', encrypted: true, commandTimeoutMs: 1_000 });
    expectNoSecrets(store, [password, key]);
    await store?.close();
  });

  it('reports a bad store entry as CONFIG_INVALID, from createTokenProviders too', () => {
    const providers = { legacy: legacyConfig('https://a.example') };
    const bad = { providers, store: { url: 'redis://127.0.0.1' } } as never;
    for (const create of [() => createStoreFromConfig(bad), () => createTokenProviders(bad)]) {
      expect(create).toThrow(
        expect.objectContaining({
          code: 'CONFIG_INVALID',
          message: expect.stringMatching(/store\.url is not a known option.*store\.redis must be/),
        }),
      );
    }
    expect(() => createStoreFromConfig({ providers, store: { redis: 'http://127.0.0.1' } })).toThrow(
      /url must be a redis:\/\/ or rediss:\/\/ URL/,
    );
    expect(() => createStoreFromConfig({ providers, store: 'redis://127.0.0.1' } as never)).toThrow(
      /store must be an object/,
    );
  });

  it('names the package to install when @kunci/redis-store is missing', () => {
    jest.isolateModules(() => {
      jest.doMock('@kunci/redis-store', () => {
        throw Object.assign(new Error("Cannot find module '@kunci/redis-store'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy from jest's isolated registry, where the mock applies
      const sdk = require('../src') as typeof import('../src');
      expect(() => sdk.createStoreFromConfig({ providers: {}, store: { redis: 'redis://127.0.0.1' } })).toThrow(
        expect.objectContaining({
          code: 'CONFIG_INVALID',
          message: expect.stringContaining('npm install @kunci/redis-store'),
        }),
      );
    });
    jest.dontMock('@kunci/redis-store');
  });
});
