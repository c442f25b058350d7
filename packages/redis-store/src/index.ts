// The public surface of @kunci/redis-store, listed by name so that a change of API shows in a diff.
export { RedisTokenStore, DEFAULT_PREFIX, DEFAULT_COMMAND_TIMEOUT_MS } from './redis-token-store';
export type { RedisTokenStoreOptions, RedisInboundStore } from './redis-token-store';
export { fromNodeRedis, fromIoredis } from './commands';
export type { RedisCommands, NodeRedisClientLike, IoredisLike, RedisClientOption } from './commands';
export type { EncryptionKeyOption } from './encryption';
