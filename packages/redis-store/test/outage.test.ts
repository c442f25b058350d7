import type { LoopbackServer } from '@kunci/core/emulator';
import { startFleet, startSnapServer, type Fleet } from './fleet/fleet';
import { describeRedis, uniquePrefix } from './redis-env';
import { startOwnRedis, type OwnRedis } from './redis-server';

const WORKERS = 4;
const CALLERS = 50;
/** The TokenManager leaves a failed store alone this long (STORE_COOLDOWN_MS) before trying it again. */
const STORE_COOLDOWN_MS = 5_000;

// The shared Redis is left alone: this file kills and restarts a redis-server of its own.
describeRedis('a fleet whose Redis stops and comes back', () => {
  let server: LoopbackServer;
  let redis: OwnRedis | undefined;
  let fleet: Fleet | undefined;
  beforeAll(async () => {
    server = await startSnapServer();
    redis = await startOwnRedis();
    fleet = await startFleet(WORKERS, {
      baseUrl: server.url,
      redisUrl: redis.url,
      prefix: uniquePrefix(),
      refreshBeforeSeconds: 60,
    });
  }, 30_000);
  afterAll(async () => {
    await fleet?.close();
    await redis?.kill();
    await server?.close();
  });

  it('serves every getToken() while Redis is down, and coordinates again once it is back', async () => {
    if (fleet === undefined || redis === undefined) throw new Error('the fleet starts in beforeAll');
    const upstream = (): number => server.requests.length;
    const ok = Array(WORKERS).fill([CALLERS, 0]);
    const outcome = (replies: Awaited<ReturnType<Fleet['burst']>>): number[][] =>
      replies.map((reply) => [reply.ok, reply.failed]);

    const before = await fleet.burst({ callers: CALLERS, awaitRefresh: false });
    expect(outcome(before)).toEqual(ok);
    expect(upstream()).toBe(1);

    await redis.kill();
    // The B2B token is in each instance's memory; a new customer is fetched by each instance alone.
    const cached = await fleet.burst({ callers: CALLERS, awaitRefresh: false });
    expect(outcome(cached)).toEqual(ok);
    expect(upstream()).toBe(1);
    const down = await fleet.burst({ callers: CALLERS, authCode: 'BND-during-outage', awaitRefresh: false });
    expect(outcome(down)).toEqual(ok);
    expect(upstream()).toBe(1 + WORKERS);
    expect(down.every((reply) => reply.storeErrors >= 1)).toBe(true);
    process.stdout.write(
      `[redis-store] outage: ${WORKERS} processes x ${CALLERS} callers, Redis down: 0 failed getToken(), ${WORKERS} upstream requests for a new key (each instance alone)\n`,
    );

    await redis.start();
    // node-redis reconnects by itself (within a second); the managers try the store again after their cooldown.
    await fleet.storeReady();
    await fleet.advance(STORE_COOLDOWN_MS);
    const errorsBefore = down.map((reply) => reply.storeErrors);
    const back = await fleet.burst({ callers: CALLERS, authCode: 'BND-after-outage', awaitRefresh: false });
    expect(outcome(back)).toEqual(ok);
    expect(upstream()).toBe(2 + WORKERS);
    expect(new Set(back.map((reply) => reply.latest)).size).toBe(1);
    expect(back.map((reply) => reply.storeErrors)).toEqual(errorsBefore);
    process.stdout.write(
      `[redis-store] outage: Redis back: 1 upstream request for a new key across ${WORKERS} processes\n`,
    );
  });
});
