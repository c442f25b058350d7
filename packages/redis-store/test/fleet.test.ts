import { createPrivateKey, randomBytes } from 'node:crypto';
import type { LoopbackServer } from '@kunci/core/emulator';
import { testKeyPair } from '#test-kit';
import { send } from '../../inbound/test/fixtures';
import { jakartaTimestamp, signAsymmetric, signSymmetric, signTokenRequest } from '../../inbound/test/signer';
import { startFleet, startSnapServer, type Fleet, type InboundUrls } from './fleet/fleet';
import { describeRedis, REDIS_URL, uniquePrefix, useRedisClient } from './redis-env';
import { startOwnRedis, type OwnRedis } from './redis-server';

const PREFIX = uniquePrefix();
const redis = useRedisClient(PREFIX);

const WORKERS = 4;
/** 870 s into a 900 s token: due (60 s before expiry) but valid. The workers' clocks jump there. */
const INTO_REFRESH_WINDOW_MS = 870_000;
/** The TokenManager leaves a failed store alone this long (STORE_COOLDOWN_MS) before trying it again. */
const STORE_COOLDOWN_MS = 5_000;

// The worker processes start once for the file; each scenario gives them fresh instances.
describeRedis(`a fleet of ${WORKERS} processes`, () => {
  let fleet: Fleet | undefined;
  beforeAll(async () => {
    fleet = await startFleet(WORKERS);
  }, 30_000);
  afterAll(async () => {
    await fleet?.close();
  });
  const running = (): Fleet => {
    if (fleet === undefined) throw new Error('the fleet starts in beforeAll');
    return fleet;
  };

  describe('on one Redis', () => {
    const CALLERS = 250;
    let server: LoopbackServer;
    beforeAll(async () => {
      server = await startSnapServer({ timestampToleranceMs: 2 * INTO_REFRESH_WINDOW_MS });
      await running().instances({ baseUrl: server.url, redisUrl: REDIS_URL, prefix: PREFIX, refreshBeforeSeconds: 60 });
    }, 30_000);
    afterAll(async () => {
      await server?.close();
    });

    it(`${WORKERS} x ${CALLERS} concurrent getToken() on a cold key: 1 upstream request, then 1 more at refresh time`, async () => {
      const fleet = running();
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

  describe('sharing one Redis on the receiving side (the inbound replay guard and issued tokens)', () => {
    const BACKENDS = 2;
    const INBOUND_PREFIX = `${PREFIX}inbound:`;
    const CLIENT_ID = 'partner-fleet-7731';
    const CLIENT_SECRET = `notify-${randomBytes(12).toString('hex')}`;
    const NOTIFY = '/v1.0/debit/notify';
    const providerKey = createPrivateKey(testKeyPair().privateKeyPem);
    let backends: InboundUrls[] = [];

    beforeAll(async () => {
      backends = await running().inbound(
        {
          redisUrl: REDIS_URL,
          prefix: INBOUND_PREFIX,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          publicKey: testKeyPair().publicKeyPem,
        },
        BACKENDS,
      );
    }, 30_000);

    const backend = (index: number): InboundUrls => {
      const found = backends[index];
      if (found === undefined) throw new Error('the backends start in beforeAll');
      return found;
    };

    let serial = 0;
    const parts = (): Parameters<typeof signAsymmetric>[1] => {
      serial += 1;
      return {
        path: NOTIFY,
        body: { originalPartnerReferenceNo: `INV-${serial}`, amount: { value: '150000.00', currency: 'IDR' } },
        timestamp: jakartaTimestamp(Date.now()),
        partnerId: CLIENT_ID,
        externalId: `${Date.now()}${serial}`,
      };
    };

    it('an asymmetric notification accepted by one instance is refused as a replay by the other', async () => {
      const notification = signAsymmetric(providerKey, parts());
      const first = await send(backend(0).asymmetric, notification);
      expect([first.status, first.json.responseCode]).toEqual([200, '2000000']);
      const copy = await send(backend(1).asymmetric, notification);
      expect([copy.status, copy.json.responseCode]).toEqual([409, '4090000']);
      // And back: the first instance refuses it too.
      expect((await send(backend(0).asymmetric, notification)).status).toBe(409);
    });

    it('a token issued by one instance verifies on the other; the copy is refused by the first', async () => {
      const tokenAnswer = await send(
        backend(0).symmetric,
        signTokenRequest(providerKey, CLIENT_ID, jakartaTimestamp(Date.now())),
      );
      expect([tokenAnswer.status, tokenAnswer.json.responseCode]).toEqual([200, '2007300']);
      const token = String(tokenAnswer.json.accessToken);

      const notification = signSymmetric(CLIENT_SECRET, token, parts());
      const accepted = await send(backend(1).symmetric, notification);
      expect([accepted.status, accepted.json.responseCode]).toEqual([200, '2000000']);
      const copy = await send(backend(0).symmetric, notification);
      expect([copy.status, copy.json.responseCode]).toEqual([409, '4090000']);

      // Redis holds the token as a hash only, under the fleet's prefix.
      const keys: string[] = [];
      for await (const batch of redis().scanIterator({ MATCH: `${INBOUND_PREFIX}*`, COUNT: 500 })) keys.push(...batch);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key.startsWith(INBOUND_PREFIX)).toBe(true);
        expect(key).not.toContain(token);
        expect(String(await redis().get(key))).not.toContain(token);
      }
    });

    it('a token the fleet did not issue is refused by every instance', async () => {
      const forged = randomBytes(32).toString('base64url');
      for (const index of [0, 1]) {
        const answer = await send(backend(index).symmetric, signSymmetric(CLIENT_SECRET, forged, parts()));
        expect([answer.status, answer.json.responseCode]).toEqual([401, '4010001']);
      }
    });
  });

  // The shared Redis is left alone: this scenario kills and restarts a redis-server of its own.
  describe('whose Redis stops and comes back', () => {
    const CALLERS = 50;
    let server: LoopbackServer;
    let ownRedis: OwnRedis | undefined;
    beforeAll(async () => {
      server = await startSnapServer();
      ownRedis = await startOwnRedis();
      await running().instances({
        baseUrl: server.url,
        redisUrl: ownRedis.url,
        prefix: uniquePrefix(),
        refreshBeforeSeconds: 60,
      });
    }, 30_000);
    afterAll(async () => {
      await ownRedis?.kill();
      await server?.close();
    });

    it('serves every getToken() while Redis is down, and coordinates again once it is back', async () => {
      const fleet = running();
      if (ownRedis === undefined) throw new Error('redis-server starts in beforeAll');
      const upstream = (): number => server.requests.length;
      const ok = Array(WORKERS).fill([CALLERS, 0]);
      const outcome = (replies: Awaited<ReturnType<Fleet['burst']>>): number[][] =>
        replies.map((reply) => [reply.ok, reply.failed]);

      const before = await fleet.burst({ callers: CALLERS, awaitRefresh: false });
      expect(outcome(before)).toEqual(ok);
      expect(upstream()).toBe(1);

      await ownRedis.kill();
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

      await ownRedis.start();
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
});
