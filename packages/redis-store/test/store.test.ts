import { randomBytes, randomInt } from 'node:crypto';
import { createAccessToken, serializeAccessToken, type AccessToken } from '@kunci/core';
import { expectNoSecrets } from '#test-kit';
import { RedisTokenStore } from '../src';
import { describeRedis, REDIS_URL, uniquePrefix, useRedisClient } from './redis-env';

const PREFIX = uniquePrefix();
const redis = useRedisClient(PREFIX);
const stores: RedisTokenStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function open(options: ConstructorParameters<typeof RedisTokenStore>[0] = {}): RedisTokenStore {
  const store = new RedisTokenStore({ url: REDIS_URL, prefix: PREFIX, ...options });
  stores.push(store);
  return store;
}

function token(lifetimeMs = 900_000, refresh = false): AccessToken {
  const now = Date.now();
  return createAccessToken({
    accessToken: randomBytes(24).toString('base64url'),
    tokenType: 'Bearer',
    expiresIn: Math.round(lifetimeMs / 1000),
    expiresAt: new Date(now + lifetimeMs),
    issuedAt: new Date(now),
    refreshToken: refresh ? randomBytes(24).toString('base64url') : undefined,
    refreshTokenExpiresAt: refresh ? new Date(now + 86_400_000) : undefined,
    provider: 'pivot-snap',
    responseCode: '2007300',
    responseMessage: 'Successful',
  });
}

const randomKey = (): string => randomBytes(32).toString('base64');

describeRedis('RedisTokenStore on a real Redis', () => {
  it('stores the AccessToken fields as JSON under the prefix, with a TTL of the given lifetime', async () => {
    const store = open();
    const stored = token(60_000, true);
    const extra = { ...stored, clientSecret: 'not-a-token-field' } as AccessToken;
    await store.set('pivot-snap:client-1', extra, 60_000);
    const raw = await redis().get(`${PREFIX}token:pivot-snap:client-1`);
    expect(JSON.parse(raw ?? '{}')).toEqual({
      v: 1,
      accessToken: stored.accessToken,
      tokenType: 'Bearer',
      expiresIn: 60,
      expiresAt: stored.expiresAt.getTime(),
      issuedAt: stored.issuedAt.getTime(),
      refreshToken: stored.refreshToken,
      refreshTokenExpiresAt: stored.refreshTokenExpiresAt?.getTime(),
      provider: 'pivot-snap',
      responseCode: '2007300',
      responseMessage: 'Successful',
    });
    const ttl = await redis().pTTL(`${PREFIX}token:pivot-snap:client-1`);
    expect(ttl).toBeGreaterThan(58_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await expect(store.get('pivot-snap:client-1')).resolves.toEqual(stored);
  });

  it('reads a missing key, an expired entry and a garbage entry as a miss', async () => {
    const store = open();
    await expect(store.get('nobody')).resolves.toBeUndefined();
    await store.set('short', token(), 30);
    // The entry lives 30 ms in Redis; its end is Redis's to decide, here brought forward (a past
    // expiry deletes it) instead of waited for.
    const pttl = await redis().pTTL(`${PREFIX}token:short`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(30);
    await redis().pExpireAt(`${PREFIX}token:short`, Date.now() - 1_000);
    await expect(store.get('short')).resolves.toBeUndefined();
    await redis().set(`${PREFIX}token:garbage`, '{"v":1,"accessToken":42}');
    await expect(store.get('garbage')).resolves.toBeUndefined();
  });

  it('deletes instead of writing an entry with no life left', async () => {
    const store = open();
    await store.set('k', token(), 60_000);
    await store.set('k', token(), 0);
    expect(await redis().exists(`${PREFIX}token:k`)).toBe(0);
  });

  it('keeps stores with different prefixes apart', async () => {
    const a = open({ prefix: `${PREFIX}a:` });
    const b = open({ prefix: `${PREFIX}b:` });
    const t = token();
    await a.set('key', t, 60_000);
    await expect(a.get('key')).resolves.toEqual(t);
    await expect(b.get('key')).resolves.toBeUndefined();
  });

  it('deletes one key, and clears the keys under a prefix only (glob characters taken literally)', async () => {
    const store = open({ prefix: `${PREFIX}clear:` });
    for (const key of ['p:c', 'p:c:alice', 'p:c:bob', 'p:c*x', 'p:other', 'q:c:alice'])
      await store.set(key, token(), 60_000);
    await store.delete('p:c:bob');
    await expect(store.get('p:c:bob')).resolves.toBeUndefined();
    await store.clear('p:c:');
    await expect(store.get('p:c:alice')).resolves.toBeUndefined();
    for (const key of ['p:c', 'p:c*x', 'p:other', 'q:c:alice']) await expect(store.get(key)).resolves.toBeDefined();
    await store.clear('p:c*');
    await expect(store.get('p:c*x')).resolves.toBeUndefined();
    await expect(store.get('p:other')).resolves.toBeDefined();
    await store.clear();
    await expect(store.get('q:c:alice')).resolves.toBeUndefined();
  });

  describe('the lock', () => {
    it('is taken by one caller at a time and released by its holder only', async () => {
      const store = open();
      const release = await store.acquireLock('lk', 10_000);
      expect(release).toBeInstanceOf(Function);
      await expect(store.acquireLock('lk', 10_000)).resolves.toBeUndefined();
      const pttl = await redis().pTTL(`${PREFIX}lock:lk`);
      expect(pttl).toBeGreaterThan(9_000);
      await release?.();
      const again = await store.acquireLock('lk', 10_000);
      expect(again).toBeInstanceOf(Function);
      await again?.();
    });

    it('expires after its ttl, and a late release does not remove the next holder’s lock', async () => {
      const first = open();
      const second = open();
      const late = await first.acquireLock('lk2', 50);
      const pttl = await redis().pTTL(`${PREFIX}lock:lk2`);
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(50);
      // Past its 50 ms, brought forward instead of waited for.
      await redis().pExpireAt(`${PREFIX}lock:lk2`, Date.now() - 1_000);
      const current = await second.acquireLock('lk2', 10_000);
      expect(current).toBeInstanceOf(Function);
      await late?.();
      expect(await redis().exists(`${PREFIX}lock:lk2`)).toBe(1);
      await expect(first.acquireLock('lk2', 10_000)).resolves.toBeUndefined();
      await current?.();
      expect(await redis().exists(`${PREFIX}lock:lk2`)).toBe(0);
    });

    it('of a holder that died (never released) frees the key after its ttl', async () => {
      const store = open();
      await redis().set(`${PREFIX}lock:dead`, 'a-holder-that-crashed', { PX: 60_000 });
      await expect(store.acquireLock('dead', 5_000)).resolves.toBeUndefined();
      // Past the dead holder's ttl, brought forward instead of waited for.
      await redis().pExpireAt(`${PREFIX}lock:dead`, Date.now() - 1_000);
      const release = await store.acquireLock('dead', 5_000);
      expect(release).toBeInstanceOf(Function);
      await release?.();
    });
  });

  describe('encryption at rest', () => {
    it('writes no usable token to Redis, and reads it back with the key', async () => {
      const key = randomKey();
      const store = open({ encryptionKey: key });
      const t = token(60_000, true);
      await store.set('enc', t, 60_000);
      const raw = (await redis().get(store.tokenKey('enc'))) ?? '';
      expect(raw).toMatch(/"kunci":"aes-256-gcm"/);
      expect(raw).not.toContain(t.accessToken);
      expect(raw).not.toContain(t.refreshToken);
      await expect(store.get('enc')).resolves.toEqual(t);
    });

    it('takes the key as hex, Base64 or an env: reference', async () => {
      const bytes = randomBytes(32);
      process.env.KUNCI_TEST_STORE_KEY = bytes.toString('base64url');
      const writer = open({ encryptionKey: bytes.toString('hex') });
      const t = token();
      await writer.set('forms', t, 60_000);
      await expect(open({ encryptionKey: bytes.toString('base64') }).get('forms')).resolves.toEqual(t);
      await expect(open({ encryptionKey: 'env:KUNCI_TEST_STORE_KEY' }).get('forms')).resolves.toEqual(t);
      delete process.env.KUNCI_TEST_STORE_KEY;
    });

    it('rotates: old entries are read with the old key, new ones written with the new', async () => {
      const oldKey = randomKey();
      const newKey = randomKey();
      const before = open({ encryptionKey: oldKey });
      const old = token();
      await before.set('rot-old', old, 60_000);
      const rotated = open({ encryptionKey: [newKey, oldKey] });
      await expect(rotated.get('rot-old')).resolves.toEqual(old);
      const fresh = token();
      await rotated.set('rot-new', fresh, 60_000);
      await expect(open({ encryptionKey: [newKey, oldKey] }).get('rot-new')).resolves.toEqual(fresh);
      await expect(before.get('rot-new')).resolves.toBeUndefined();
      // The last key of the list names the entries: once the old key is dropped, each is a miss (one fetch).
      const after = open({ encryptionKey: newKey });
      await expect(after.get('rot-new')).resolves.toBeUndefined();
      await after.set('rot-new', fresh, 60_000);
      await expect(after.get('rot-new')).resolves.toEqual(fresh);
    });

    it('reads as a miss, never a crash: a wrong key, a plain entry, a tampered or moved entry', async () => {
      const key = randomKey();
      const store = open({ encryptionKey: key });
      await store.set('sealed', token(), 60_000);
      await expect(open({ encryptionKey: randomKey() }).get('sealed')).resolves.toBeUndefined();
      await expect(open().get('sealed')).resolves.toBeUndefined();
      await redis().set(store.tokenKey('plain'), serializeAccessToken(token()));
      await expect(store.get('plain')).resolves.toBeUndefined();
      const raw = JSON.parse((await redis().get(store.tokenKey('sealed'))) ?? '{}') as Record<string, string>;
      const data = Buffer.from(raw.data ?? '', 'base64');
      data[0] = (data[0] ?? 0) ^ 1;
      await redis().set(store.tokenKey('tampered'), JSON.stringify({ ...raw, data: data.toString('base64') }));
      await expect(store.get('tampered')).resolves.toBeUndefined();
      await redis().set(
        store.tokenKey('short-tag'),
        JSON.stringify({
          ...raw,
          tag: Buffer.from(raw.tag ?? '', 'base64')
            .subarray(0, 4)
            .toString('base64'),
        }),
      );
      await expect(store.get('short-tag')).resolves.toBeUndefined();
      await redis().set(store.tokenKey('moved'), JSON.stringify(raw));
      await expect(store.get('moved')).resolves.toBeUndefined();
    });
  });

  describe('key names with encryption', () => {
    /** Random parts, with the characters a cache key escapes and a glob would read. */
    const part = (): string =>
      `${randomBytes(randomInt(4, 16)).toString('base64url')}${['', '%3A', '*', '?', '['][randomInt(5)]}`;

    it('hold no client id and no auth code, in any key or value, locks included', async () => {
      const store = open({ prefix: `${PREFIX}named:`, encryptionKey: randomKey() });
      const plain: string[] = [];
      for (let round = 0; round < 10; round++) {
        const clientId = part();
        const authCode = part();
        plain.push(clientId, authCode);
        await store.set(`pivot-snap:${clientId}`, token(), 60_000);
        await store.set(`pivot-snap:${clientId}:${authCode}`, token(60_000, true), 60_000);
        await store.acquireLock(`pivot-snap:${clientId}:${authCode}`, 60_000);
        await expect(store.get(`pivot-snap:${clientId}:${authCode}`)).resolves.toBeDefined();
      }
      const keys: string[] = [];
      for await (const batch of redis().scanIterator({ MATCH: `${PREFIX}named:*`, COUNT: 500 })) keys.push(...batch);
      expect(keys).toHaveLength(30);
      const everything = [...keys, ...(await Promise.all(keys.map((key) => redis().get(key))))].join('\n');
      for (const text of plain) expect(everything).not.toContain(text);
      expect(keys.every((key) => /^[^:]+:[^:]+:[^:]+:(token|lock):[0-9a-f]{32}(:[0-9a-f]{32}){1,2}$/.test(key))).toBe(
        true,
      );
    });

    it('are the same in every instance with the same keys, also when a new key is put first', async () => {
      const oldKey = randomKey();
      const clientId = part();
      const writer = open({ encryptionKey: oldKey });
      const t = token();
      await writer.set(`klikoo:${clientId}`, t, 60_000);
      expect(open({ encryptionKey: oldKey }).tokenKey(`klikoo:${clientId}`)).toBe(
        writer.tokenKey(`klikoo:${clientId}`),
      );
      await expect(open({ encryptionKey: [randomKey(), oldKey] }).get(`klikoo:${clientId}`)).resolves.toEqual(t);
      expect(open({ encryptionKey: randomKey() }).tokenKey(`klikoo:${clientId}`)).not.toBe(
        writer.tokenKey(`klikoo:${clientId}`),
      );
    });

    it('clear a prefix of whole parts exactly, and widen a prefix that ends inside a part', async () => {
      const store = open({ prefix: `${PREFIX}named-clear:`, encryptionKey: randomKey() });
      const [client, other] = [part(), part()];
      const keys = [`p:${client}`, `p:${client}:alice`, `p:${client}:bob`, `p:${other}:alice`, `q:${client}:alice`];
      for (const key of keys) await store.set(key, token(), 60_000);
      await store.clear(`p:${client}:`);
      const left = async (): Promise<string[]> => {
        const found: string[] = [];
        for (const key of keys) if ((await store.get(key)) !== undefined) found.push(key);
        return found;
      };
      expect(await left()).toEqual([`p:${client}`, `p:${other}:alice`, `q:${client}:alice`]);
      await store.clear(`p:${client.slice(0, 2)}`);
      expect(await left()).toEqual([`q:${client}:alice`]);
      await store.clear();
      expect(await left()).toEqual([]);
    });
  });

  it('closes the client it created, and leaves a client passed in open', async () => {
    const own = new RedisTokenStore({ url: REDIS_URL, prefix: PREFIX });
    await own.set('close', token(), 60_000);
    await own.close();
    await expect(own.get('close')).rejects.toThrow(/closed/);
    const borrowed = new RedisTokenStore({ client: redis(), prefix: PREFIX });
    await expect(borrowed.get('close')).resolves.toBeDefined();
    await borrowed.close();
    await expect(redis().ping()).resolves.toBe('PONG');
  });
});

describe('RedisTokenStore options', () => {
  it('prints no key and no URL password', () => {
    const key = randomKey();
    const password = randomBytes(12).toString('hex');
    const store = new RedisTokenStore({ url: `redis://:${password}@127.0.0.1:1`, encryptionKey: [key, randomKey()] });
    expectNoSecrets(store, [key, password, Buffer.from(key, 'base64').toString('hex')]);
    expect(JSON.parse(JSON.stringify(store))).toEqual({ prefix: 'kunci:', encrypted: true, commandTimeoutMs: 1_000 });
    return store.close();
  });

  it('reports every bad option in one CONFIG_INVALID that echoes no value', () => {
    const password = randomBytes(12).toString('hex');
    const shortKey = randomBytes(16).toString('hex');
    let error: unknown;
    try {
      new RedisTokenStore({
        url: `http://:${password}@x`,
        encryptionKey: [shortKey, 'env:KUNCI_TEST_UNSET_KEY'],
        commandTimeoutMs: 0,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    const message = (error as Error).message;
    expect(message).toMatch(/commandTimeoutMs/);
    expect(message).toMatch(/url must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(message).toMatch(/encryptionKey\[0\] must be 32 bytes/);
    expect(message).toMatch(/encryptionKey\[1\] refers to environment variable KUNCI_TEST_UNSET_KEY/);
    expectNoSecrets(error, [password, shortKey]);
  });

  it('refuses url and client together, an unknown client, and an empty key list', () => {
    expect(() => new RedisTokenStore({ url: 'redis://127.0.0.1', client: { isOpen: true } as never })).toThrow(
      /url or client, not both/,
    );
    expect(() => new RedisTokenStore({ client: {} as never })).toThrow(/client must be/);
    expect(() => new RedisTokenStore({ client: { isOpen: true } as never, encryptionKey: [] })).toThrow(
      /non-empty list/,
    );
  });
});
