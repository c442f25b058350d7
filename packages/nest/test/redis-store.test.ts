import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RedisTokenStore } from '@kunci/redis-store';
import { getTokenManagerToken, KunciModule, KunciService } from '../src';
import type { TokenManager } from '@kunci/core';
import { describeRedis, REDIS_URL, uniquePrefix, useRedisClient } from '../../redis-store/test/redis-env';
import { useOpened, useStandIn } from './harness';

const PREFIX = uniquePrefix();
const redis = useRedisClient(PREFIX);
const server = useStandIn();
const opened = useOpened();

async function context(prefix: string): Promise<Awaited<ReturnType<typeof NestFactory.createApplicationContext>>> {
  @Module({
    imports: [KunciModule.forRoot({ config: { ...server().config(), store: { redis: REDIS_URL, prefix } } })],
  })
  class AppModule {}
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  opened.push(app);
  return app;
}

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of redis().scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
  return keys;
}

describeRedis('KunciModule with "store": { "redis": … } in the config', () => {
  it('two application contexts share one token: 1 upstream request, the same token, the entry in Redis', async () => {
    const prefix = `${PREFIX}fleet:`;
    const [first, second] = [await context(prefix), await context(prefix)];
    const before = server().requests.length;
    const tokens = await Promise.all(
      [first, second].map((app) => app.get<TokenManager>(getTokenManagerToken('pivot')).getToken()),
    );
    const fetched = server()
      .requests.slice(before)
      .filter((request) => request.path.includes('access-token'));
    expect(fetched).toHaveLength(1);
    expect(tokens[1]?.accessToken).toBe(tokens[0]?.accessToken);
    expect(await keysUnder(`${prefix}token:`)).toHaveLength(1);
  });

  it('closes the store it built when the application closes, after the managers', async () => {
    const close = jest.spyOn(RedisTokenStore.prototype, 'close');
    try {
      const app = await context(`${PREFIX}close:`);
      const manager = app.get(KunciService).manager('legacy');
      await manager.getToken();
      expect(close).not.toHaveBeenCalled();
      await app.close();
      expect(close).toHaveBeenCalledTimes(1);
      await expect(manager.getToken()).rejects.toMatchObject({ name: 'TokenManagerClosedError' });
    } finally {
      close.mockRestore();
    }
  });

  it('a store the config names but cannot be built fails the bootstrap with CONFIG_INVALID', async () => {
    @Module({
      imports: [
        KunciModule.forRootAsync({
          useFactory: () => ({ config: { ...server().config(), store: { redis: REDIS_URL, commandTimeoutMs: 3e9 } } }),
        }),
      ],
    })
    class AppModule {}
    await expect(
      NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('commandTimeoutMs must be a whole number from 1 to 2147483647') as unknown,
    });
  });
});
