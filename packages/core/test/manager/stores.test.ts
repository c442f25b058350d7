import { expect } from '@jest/globals';
import { MemoryTokenStore, TokenManager } from '../../src/manager';
import type { TokenManagerEvents } from '../../src/manager';
import { FakeProvider, flush, makeToken } from './fake-provider';
import { FakeStore } from './fake-store';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();
const KEY = 'pivot-snap:client-1';

beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

describe('MemoryTokenStore', () => {
  it('evicts the least recently used entry beyond maxEntries', () => {
    const store = new MemoryTokenStore({ maxEntries: 4 });
    for (const key of ['a', 'b', 'c', 'd']) store.put(key, makeToken(), 60_000);
    expect(store.peek('a')).toBeDefined();
    store.put('e', makeToken(), 60_000);
    expect(store.size).toBe(4);
    expect(store.peek('b')).toBeUndefined();
    expect(['a', 'c', 'd', 'e'].every((key) => store.peek(key) !== undefined)).toBe(true);
  });

  it('stays bounded whatever is written to it', () => {
    const store = new MemoryTokenStore({ maxEntries: 1_000 });
    const token = makeToken();
    for (let i = 0; i < 50_000; i++) {
      store.put(`customer-${i}`, token, 60_000);
      if (i % 3 === 0) store.peek(`customer-${i >> 1}`);
    }
    expect(store.size).toBe(1_000);
    expect(store.peek('customer-49999')).toBe(token);
  });

  it('keeps an entry for its ttl only', async () => {
    const store = new MemoryTokenStore();
    await store.set('a', makeToken(), 1_000);
    jest.setSystemTime(T0 + 999);
    await expect(store.get('a')).resolves.toBeDefined();
    jest.setSystemTime(T0 + 1_000);
    await expect(store.get('a')).resolves.toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('refuses a maxEntries below 1', () => {
    expect(() => new MemoryTokenStore({ maxEntries: 0 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('TokenManager with a bounded memory', () => {
  it('forgets the least recently used customer beyond maxEntries', async () => {
    const provider = new FakeProvider();
    const manager = new TokenManager(provider, { maxEntries: 2 });
    await manager.getToken({ authCode: 'alice' });
    await manager.getToken({ authCode: 'bob' });
    await manager.getToken({ authCode: 'carol' });
    expect(provider.calls).toHaveLength(3);
    await manager.getToken({ authCode: 'carol' });
    await manager.getToken({ authCode: 'bob' });
    expect(provider.calls).toHaveLength(3);
    await manager.getToken({ authCode: 'alice' });
    expect(provider.calls).toHaveLength(4);
  });

  it('uses a MemoryTokenStore passed as the store directly', async () => {
    const store = new MemoryTokenStore();
    const manager = new TokenManager(new FakeProvider(), { store });
    const token = await manager.getToken();
    expect(store.peek(KEY)).toBe(token);
  });

  it('rejects invalid options in one CONFIG_INVALID error that names each', () => {
    expect(
      () => new TokenManager(new FakeProvider(), { maxEntries: 0, fetchTimeoutMs: -1, retry: { attempts: 1.5 } }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/maxEntries.*fetchTimeoutMs.*retry\.attempts/),
      }),
    );
  });
});

describe('TokenManager with a shared store', () => {
  it('writes fetched tokens to the store and reads another instance’s tokens from it', async () => {
    const store = new FakeStore();
    const provider = new FakeProvider();
    const first = new TokenManager(provider, { store });
    const token = await first.getToken();
    expect(store.tokens.get(KEY)).toBe(token);
    expect(store.locks.size).toBe(0);

    const second = new TokenManager(provider, { store });
    const hits: TokenManagerEvents['hit'][] = [];
    second.on('hit', (event) => hits.push(event));
    await expect(second.getToken()).resolves.toBe(token);
    await expect(second.getToken()).resolves.toBe(token);
    expect(provider.calls).toHaveLength(1);
    expect(hits.map((hit) => hit.source)).toEqual(['store', 'memory']);
  });

  it('fetches once for a fleet: the other instance waits for the lock holder’s token', async () => {
    const store = new FakeStore();
    const provider = new FakeProvider().script(
      () => new Promise((resolve) => setTimeout(() => resolve(makeToken()), 250)),
    );
    const a = new TokenManager(provider, { store });
    const b = new TokenManager(provider, { store });
    const both = Promise.all([a.getToken(), b.getToken()]);
    await jest.advanceTimersByTimeAsync(400);
    const [ta, tb] = await both;
    expect(ta).toBe(tb);
    expect(provider.calls).toHaveLength(1);
    // b tried the lock at once and at each look (100 and 200 ms) while a held it.
    expect(store.ops.filter((op) => op.startsWith('lock'))).toHaveLength(4);
    expect(store.ops.indexOf(`set ${KEY}`)).toBeLessThan(store.ops.indexOf(`unlock ${KEY}`));
  });

  it('reads the store once for many callers that miss the same key at once', async () => {
    const store = new FakeStore();
    const provider = new FakeProvider();
    const manager = new TokenManager(provider, { store });
    const tokens = await Promise.all(Array.from({ length: 100 }, () => manager.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(provider.calls).toHaveLength(1);
    // The callers' read, then the flight's read under the lock.
    expect(store.ops.filter((op) => op === `get ${KEY}`)).toHaveLength(2);
  });

  it('lets one waiter take over the lock of a holder that died, so the fleet still fetches once', async () => {
    const store = new FakeStore();
    store.locks.set(KEY, T0 + 350);
    const provider = new FakeProvider();
    const options = { store, lock: { waitMs: 2_000, pollMs: 100 } };
    const fleet = [
      new TokenManager(provider, options),
      new TokenManager(provider, options),
      new TokenManager(provider, options),
    ];
    const tokens = Promise.all(fleet.map((manager) => manager.getToken()));
    await jest.advanceTimersByTimeAsync(350);
    expect(provider.calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(150);
    const [first, ...others] = await tokens;
    expect(others).toEqual([first, first]);
    expect(provider.calls).toHaveLength(1);
    expect(store.locks.size).toBe(0);
  });

  it('holds the lock for fetchTimeoutMs plus storeTimeoutMs: the write after the fetch is covered', async () => {
    const store = new FakeStore();
    const acquire = jest.spyOn(store, 'acquireLock');
    await new TokenManager(new FakeProvider(), { store, fetchTimeoutMs: 7_000, storeTimeoutMs: 300 }).getToken();
    expect(acquire).toHaveBeenCalledWith(KEY, 7_300);
  });

  it('fetches itself when the lock holder writes nothing within lock.waitMs', async () => {
    const store = new FakeStore();
    store.locks.set(KEY, T0 + 60_000);
    const provider = new FakeProvider();
    const manager = new TokenManager(provider, { store, lock: { waitMs: 1_000, pollMs: 100 } });
    const result = manager.getToken();
    await jest.advanceTimersByTimeAsync(999);
    expect(provider.calls).toHaveLength(0);
    expect(store.ops.filter((op) => op === `get ${KEY}`)).toHaveLength(10);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBeDefined();
    expect(provider.calls).toHaveLength(1);
  });

  it('keeps working from memory when the store fails, and reports it', async () => {
    const store = new FakeStore();
    store.failing = 'throw';
    const provider = new FakeProvider();
    const manager = new TokenManager(provider, { store });
    const failures: TokenManagerEvents['storeError'][] = [];
    manager.on('storeError', (event) => failures.push(event));
    const token = await manager.getToken();
    await expect(manager.getToken()).resolves.toBe(token);
    expect(provider.calls).toHaveLength(1);
    expect(failures).toEqual([
      {
        key: KEY,
        operation: 'get',
        error: expect.objectContaining({ message: expect.stringMatching(/ECONNREFUSED/) }),
      },
    ]);
    // Within the cooldown the store is left alone; after it, it is tried again.
    await manager.getToken({ authCode: 'alice' });
    expect(failures).toHaveLength(1);
    jest.setSystemTime(T0 + 5_000);
    store.failing = undefined;
    await manager.getToken({ authCode: 'bob' });
    expect(store.tokens.has(`${KEY}:bob`)).toBe(true);
  });

  it('does not wait longer than storeTimeoutMs for a store that hangs', async () => {
    const store = new FakeStore();
    store.failing = 'hang';
    const provider = new FakeProvider();
    const manager = new TokenManager(provider, { store, storeTimeoutMs: 200 });
    const operations: string[] = [];
    manager.on('storeError', (event) => operations.push(event.operation));
    const result = manager.getToken();
    await jest.advanceTimersByTimeAsync(200);
    await expect(result).resolves.toBeDefined();
    expect(operations).toEqual(['get']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('invalidates in the store too: one key, or every key of this manager', async () => {
    const store = new FakeStore(false);
    const manager = new TokenManager(new FakeProvider(), { store });
    await manager.getToken();
    await manager.getToken({ authCode: 'alice' });
    store.tokens.set('klikoo:other-client', makeToken());
    await manager.invalidate({ authCode: 'alice' });
    expect([...store.tokens.keys()]).toEqual([KEY, 'klikoo:other-client']);
    await manager.getToken({ authCode: 'alice' });
    await manager.invalidate();
    expect([...store.tokens.keys()]).toEqual(['klikoo:other-client']);
    expect(store.ops.slice(-2)).toEqual([`delete ${KEY}`, `clear ${KEY}:`]);
  });

  it('refreshes in the background from the store when another instance already did', async () => {
    const store = new FakeStore();
    const provider = new FakeProvider();
    const manager = new TokenManager(provider, { store });
    const first = await manager.getToken();
    jest.setSystemTime(T0 + 850_000);
    const refreshed = makeToken();
    store.tokens.set(KEY, refreshed);
    await expect(manager.getToken()).resolves.toBe(first);
    await flush();
    await expect(manager.getToken()).resolves.toBe(refreshed);
    expect(provider.calls).toHaveLength(1);
  });
});
