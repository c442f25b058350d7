import type { LoopbackServer } from '@kunci/core/emulator';
import { startFleet, startSnapServer, type Fleet } from './fleet/fleet';
import { describeRedis, REDIS_URL, uniquePrefix, useRedisClient } from './redis-env';

const PREFIX = uniquePrefix();
useRedisClient(PREFIX);

const WORKERS = 4;
const CALLERS = 250;
/** 870 s into a 900 s token: due (60 s before expiry) but valid. The workers' clocks jump there. */
const INTO_REFRESH_WINDOW_MS = 870_000;

describeRedis('a fleet of 4 processes on one Redis', () => {
  let server: LoopbackServer;
  let fleet: Fleet | undefined;
  beforeAll(async () => {
    server = await startSnapServer({ timestampToleranceMs: 2 * INTO_REFRESH_WINDOW_MS });
    fleet = await startFleet(WORKERS, {
      baseUrl: server.url,
      redisUrl: REDIS_URL,
      prefix: PREFIX,
      refreshBeforeSeconds: 60,
    });
  }, 30_000);
  afterAll(async () => {
    await fleet?.close();
    await server?.close();
  });

  it(`${WORKERS} x ${CALLERS} concurrent getToken() on a cold key: 1 upstream request, then 1 more at refresh time`, async () => {
    if (fleet === undefined) throw new Error('the fleet starts in beforeAll');
    const cold = await fleet.burst({ callers: CALLERS, awaitRefresh: false });
    const coldRequests = server.requests.length;
    const token = cold[0]?.latest;
    process.stdout.write(
      `[redis-store] fleet: ${WORKERS} processes x ${CALLERS} callers, cold key: ${coldRequests} upstream request(s), slowest process ${Math.max(...cold.map((r) => r.ms)).toFixed(0)} ms\n`,
    );
    expect(cold.map((reply) => [reply.ok, reply.failed, reply.distinct])).toEqual(
      Array(WORKERS).fill([CALLERS, 0, [token]]),
    );
    expect(coldRequests).toBe(1);

    // Due but valid: every instance serves it and starts a background refresh.
    await fleet.advance(INTO_REFRESH_WINDOW_MS);
    const due = await fleet.burst({ callers: CALLERS, awaitRefresh: true });
    const refreshRequests = server.requests.length - coldRequests;
    process.stdout.write(
      `[redis-store] fleet: ${WORKERS} processes x ${CALLERS} callers, at refresh time: ${refreshRequests} more upstream request(s)\n`,
    );
    expect(due.map((reply) => [reply.ok, reply.failed, reply.distinct])).toEqual(
      Array(WORKERS).fill([CALLERS, 0, [token]]),
    );
    const refreshed = due[0]?.latest;
    expect(refreshed).not.toBe(token);
    expect(due.map((reply) => reply.latest)).toEqual(Array(WORKERS).fill(refreshed));
    expect(refreshRequests).toBe(1);
    expect(due.map((reply) => reply.storeErrors)).toEqual(Array(WORKERS).fill(0));
  });
});
