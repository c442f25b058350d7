import { createPrivateKey, randomBytes } from 'node:crypto';
import { testKeyPair } from '#test-kit';
import { createInbound } from '@kunci/inbound';
import { RedisTokenStore } from '../src';
import { jakartaTimestamp, signAsymmetric, signTokenRequest } from '../../inbound/test/signer';
import { describeRedis, REDIS_URL, uniquePrefix, useRedisClient } from './redis-env';
import { freePort } from './redis-server';

const PREFIX = uniquePrefix();
const redis = useRedisClient(PREFIX);
const CLIENT_ID = 'partner-store-4410';

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of redis().scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
  return keys;
}

describeRedis('RedisTokenStore.inboundStore(): the InboundStore on Redis', () => {
  const opened: RedisTokenStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  const open = (options: ConstructorParameters<typeof RedisTokenStore>[0]): RedisTokenStore => {
    const store = new RedisTokenStore({ url: REDIS_URL, ...options });
    opened.push(store);
    return store;
  };

  it('claim is first-sighting only (SET NX PX), put/get/delete round-trip, every key under the prefix', async () => {
    const prefix = `${PREFIX}plain:`;
    const store = open({ prefix }).inboundStore();
    const key = `kunci:inbound:test:external-id:${randomBytes(4).toString('hex')}`;
    expect(await store.claim(key, 60_000)).toBe(true);
    expect(await store.claim(key, 60_000)).toBe(false);
    expect(await redis().pTTL(`${prefix}${key}`)).toBeGreaterThan(59_000);
    await store.delete(key);
    expect(await store.claim(key, 60_000)).toBe(true);
    await store.put('k:v', '{"a":1}', 30_000);
    expect(await store.get('k:v')).toBe('{"a":1}');
    expect(await store.get('k:absent')).toBeUndefined();
    expect((await keysUnder(prefix)).sort()).toEqual([`${prefix}${key}`, `${prefix}k:v`].sort());
  });

  it('with encryptionKey: key parts are HMACs and values sealed; an issued token is in Redis as neither', async () => {
    const prefix = `${PREFIX}sealed:`;
    const store = open({ prefix, encryptionKey: randomBytes(32).toString('hex') });
    const inbound = createInbound({
      provider: 'snap',
      scheme: 'symmetric',
      clientId: CLIENT_ID,
      publicKey: testKeyPair().publicKeyPem,
      clientSecret: randomBytes(16).toString('hex'),
      store: store.inboundStore(),
    });
    const request = signTokenRequest(
      createPrivateKey(testKeyPair().privateKeyPem),
      CLIENT_ID,
      jakartaTimestamp(Date.now()),
    );
    const answer = await inbound.issueToken(request);
    expect(answer.status).toBe(200);
    const token = String(answer.body.accessToken);
    const keys = await keysUnder(prefix);
    expect(keys).toHaveLength(1);
    const [key] = keys as [string];
    expect(key).not.toMatch(/inbound|token|external-id/);
    expect(key.slice(prefix.length)).toMatch(/^[0-9a-f]{32}(:[0-9a-f]{32})+$/);
    const value = String(await redis().get(key));
    expect(JSON.parse(value)).toMatchObject({ kunci: 'aes-256-gcm' });
    expect(value).not.toContain(CLIENT_ID);
    expect(`${key}${value}`).not.toContain(token);
  });

  it('an entry sealed under another key reads as absent', async () => {
    const prefix = `${PREFIX}rotated:`;
    await open({ prefix, encryptionKey: randomBytes(32).toString('hex') })
      .inboundStore()
      .put('a:b', 'x', 30_000);
    // The names come from the last key of the list: a store whose only key differs finds other names.
    const stranger = open({ prefix, encryptionKey: randomBytes(32).toString('hex') }).inboundStore();
    expect(await stranger.get('a:b')).toBeUndefined();
  });
});

describe('RedisTokenStore.inboundStore() with Redis down', () => {
  it('verify refuses with 500 General Error at once (nothing accepted, no hang)', async () => {
    const port = await freePort();
    const store = new RedisTokenStore({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 20_000 });
    try {
      const inbound = createInbound({
        provider: 'snap',
        scheme: 'asymmetric',
        clientId: CLIENT_ID,
        publicKey: testKeyPair().publicKeyPem,
        store: store.inboundStore(),
      });
      const notification = signAsymmetric(createPrivateKey(testKeyPair().privateKeyPem), {
        path: '/v1.0/debit/notify',
        body: { amount: { value: '1.00', currency: 'IDR' } },
        timestamp: jakartaTimestamp(Date.now()),
        partnerId: CLIENT_ID,
        externalId: '1001',
      });
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await inbound.verify(notification).then(
          () => undefined,
          (refused: unknown) => refused,
        );
        expect(error).toMatchObject({ name: 'AuthError', code: 'PROVIDER_UNAVAILABLE' });
        const answer = inbound.reply(error);
        expect([answer.status, answer.body.responseCode, answer.body.responseMessage]).toEqual([
          500,
          '5000000',
          'General Error',
        ]);
        expect(JSON.stringify(answer)).not.toContain(String(port));
      }
      const symmetric = createInbound({
        provider: 'snap',
        scheme: 'symmetric',
        clientId: CLIENT_ID,
        publicKey: testKeyPair().publicKeyPem,
        clientSecret: randomBytes(16).toString('hex'),
        store: store.inboundStore(),
      });
      const tokenAnswer = await symmetric.issueToken(
        signTokenRequest(createPrivateKey(testKeyPair().privateKeyPem), CLIENT_ID, jakartaTimestamp(Date.now())),
      );
      expect([tokenAnswer.status, tokenAnswer.body.responseCode, tokenAnswer.body.accessToken]).toEqual([
        500,
        '5007300',
        undefined,
      ]);
    } finally {
      await store.close();
    }
  });
});
