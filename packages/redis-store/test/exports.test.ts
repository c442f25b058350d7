import { expect } from '@jest/globals';
import { join } from 'node:path';
import { entryNames } from '../../core/test/entry-names';
import * as store from '../src';

// Each entry point's public names: a change of API shows in this file's diff.
describe('@kunci/redis-store entry point', () => {
  it('@kunci/redis-store: exactly these names (an API change must show here)', () => {
    expect(entryNames(join(__dirname, '..', 'src', 'index.ts'), store)).toEqual({
      values: ['DEFAULT_COMMAND_TIMEOUT_MS', 'DEFAULT_PREFIX', 'RedisTokenStore', 'fromIoredis', 'fromNodeRedis'],
      types: [
        'EncryptionKeyOption',
        'IoredisLike',
        'NodeRedisClientLike',
        'RedisClientOption',
        'RedisCommands',
        'RedisInboundStore',
        'RedisTokenStoreOptions',
      ],
    });
  });
});
