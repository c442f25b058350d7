import { createAccessToken } from '@kunci/core';
import { RedisTokenStore, type IoredisLike } from '../src';

/** ioredis's signatures (`set(key, value, 'PX', ms, 'NX')`, `eval(script, numKeys, ...)`, `scan(cursor, …)`) over a Map. */
class FakeIoredis implements IoredisLike {
  readonly status = 'ready';
  readonly calls: unknown[][] = [];
  readonly data = new Map<string, string>();

  get(key: string): Promise<string | null> {
    this.calls.push(['get', key]);
    return Promise.resolve(this.data.get(key) ?? null);
  }

  set(key: string, value: string, px: 'PX', ttlMs: number, nx?: 'NX'): Promise<'OK' | null> {
    this.calls.push(['set', key, px, ttlMs, ...(nx !== undefined ? [nx] : [])]);
    if (nx === 'NX' && this.data.has(key)) return Promise.resolve(null);
    this.data.set(key, value);
    return Promise.resolve('OK');
  }

  del(key: string): Promise<number> {
    this.calls.push(['del', key]);
    return Promise.resolve(this.data.delete(key) ? 1 : 0);
  }

  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<number> {
    this.calls.push(['eval', numKeys, ...keysAndArgs]);
    const [key = '', owner] = keysAndArgs;
    if (!script.includes("redis.call('get', KEYS[1]) == ARGV[1]")) return Promise.reject(new Error('unknown script'));
    return Promise.resolve(this.data.get(key) === owner && this.data.delete(key) ? 1 : 0);
  }

  scan(cursor: string, _match: 'MATCH', pattern: string, _count: 'COUNT', n: number): Promise<[string, string[]]> {
    this.calls.push(['scan', cursor, pattern, n]);
    const prefix = pattern.replace(/\*$/, '').replace(/\\(.)/g, '$1');
    const keys = [...this.data.keys()].filter((key) => key.startsWith(prefix));
    // Two pages, as a real SCAN may return.
    return Promise.resolve(cursor === '0' ? ['7', keys.slice(0, 1)] : ['0', keys.slice(1)]);
  }
}

const token = createAccessToken({
  accessToken: 'ioredis-test-access-token',
  tokenType: 'Bearer',
  expiresIn: 900,
  expiresAt: new Date(Date.now() + 900_000),
  issuedAt: new Date(),
  provider: 'klikoo',
  responseCode: '200012000',
  responseMessage: 'Success',
});

describe('RedisTokenStore over an ioredis client', () => {
  it('stores, reads, locks, releases and clears with ioredis’s command signatures', async () => {
    const client = new FakeIoredis();
    const store = new RedisTokenStore({ client, prefix: 'app:' });
    await store.set('klikoo:c', token, 60_000.4);
    await expect(store.get('klikoo:c')).resolves.toEqual(token);
    expect(client.calls.slice(0, 2)).toEqual([
      ['set', 'app:token:klikoo:c', 'PX', 60_001],
      ['get', 'app:token:klikoo:c'],
    ]);

    const release = await store.acquireLock('klikoo:c', 31_000);
    await expect(store.acquireLock('klikoo:c', 31_000)).resolves.toBeUndefined();
    const owner = client.data.get('app:lock:klikoo:c');
    expect(client.calls).toContainEqual(['set', 'app:lock:klikoo:c', 'PX', 31_000, 'NX']);
    await release?.();
    expect(client.calls.at(-1)).toEqual(['eval', 1, 'app:lock:klikoo:c', owner]);
    expect(client.data.has('app:lock:klikoo:c')).toBe(false);

    await store.set('klikoo:c:a', token, 60_000);
    await store.set('klikoo:c:b', token, 60_000);
    await store.clear('klikoo:c:');
    expect([...client.data.keys()]).toEqual(['app:token:klikoo:c']);
    await store.close();
    expect(client.status).toBe('ready');
  });

  it('fails a command that does not answer within commandTimeoutMs', async () => {
    const client = new FakeIoredis();
    client.get = () => new Promise(() => undefined);
    const store = new RedisTokenStore({ client, commandTimeoutMs: 30 });
    await expect(store.get('k')).rejects.toThrow('Redis did not answer within 30 ms');
  });
});
