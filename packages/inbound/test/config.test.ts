import { testKeyPair } from '#test-kit';
import { createInbound, MemoryInboundStore, type InboundConfig } from '../src';

const base = { provider: 'snap', clientId: 'partner-1', publicKey: testKeyPair().publicKeyPem } as const;

function problemOf(config: unknown): string {
  try {
    createInbound(config as InboundConfig);
  } catch (error) {
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    return (error as Error).message;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('createInbound config', () => {
  it.each([
    [null, /must be an object/],
    [{ provider: 'stripe' }, /provider must be one of snap, pivot, klikoo/],
    [{ provider: 'toString' }, /provider must be one of/],
    [{ ...base }, /scheme is required/],
    [{ ...base, profile: 'pivot' }, /scheme is required: the profile 'pivot' names no notification scheme here/],
    [{ ...base, scheme: 'symmetric' }, /clientSecret is required/],
    [{ ...base, scheme: 'hmac' }, /scheme must be 'asymmetric' or 'symmetric'/],
    [{ ...base, scheme: 'asymmetric', publicKey: [] }, /publicKey must name at least one key/],
    [{ ...base, scheme: 'asymmetric', publicKey: 'not a key' }, /publicKey is not a readable public key/],
    [{ ...base, scheme: 'asymmetric', maxSkewSeconds: 0 }, /maxSkewSeconds must be a whole number from 1 to 3600/],
    [
      { ...base, scheme: 'asymmetric', routes: { '/a': { serviceCode: '5' } } },
      /routes\.\/a\.serviceCode must be two digits/,
    ],
    [
      { ...base, scheme: 'asymmetric', routes: { '/a': { ackCode: '4005600' } } },
      /ackCode must be seven digits starting with 2/,
    ],
    [{ ...base, scheme: 'asymmetric', store: {} }, /store must have the methods claim, put, get, delete/],
    [{ ...base, scheme: 'asymmetric', secret: 'x' }, /secret is not a known option/],
    [{ ...base, scheme: 'asymmetric', clientId: 'has space' }, /clientId must be visible ASCII/],
    [{ provider: 'pivot' }, /callbackApiKey is required/],
  ])('refuses %j', (config, message) => {
    expect(problemOf(config)).toMatch(message);
  });

  it('reports every problem in one error', () => {
    expect(problemOf({ provider: 'snap', scheme: 'symmetric', maxSkewSeconds: -1 })).toMatch(
      /4 problems: clientId is required; publicKey is required; clientSecret is required; maxSkewSeconds/,
    );
  });

  it('takes the keys from env: references (newlines escaped), and an ack code per route', () => {
    process.env.INBOUND_CONFIG_TEST_KEY = testKeyPair().publicKeyPem.replace(/\n/g, '\\n');
    try {
      const inbound = createInbound({
        ...base,
        scheme: 'asymmetric',
        publicKey: ['env:INBOUND_CONFIG_TEST_KEY'],
        routes: { '/v1.0/transfer-va/notify-payment-intrabank': { ackCode: '2002700' } },
      });
      expect(inbound.provider).toBe('snap');
    } finally {
      delete process.env.INBOUND_CONFIG_TEST_KEY;
    }
  });
});

describe('MemoryInboundStore', () => {
  it('claims a key once until it expires, by the clock given', async () => {
    let now = 0;
    const store = new MemoryInboundStore({ clock: () => now });
    expect(await store.claim('a', 1000)).toBe(true);
    expect(await store.claim('a', 1000)).toBe(false);
    now = 1000;
    expect(await store.claim('a', 1000)).toBe(true);
    await store.put('t', 'v', 10);
    expect(await store.get('t')).toBe('v');
    now = 1010;
    expect(await store.get('t')).toBeUndefined();
    await store.delete('a');
    expect(await store.claim('a', 1000)).toBe(true);
  });

  it('stays within maxEntries, dropping the oldest first', async () => {
    const store = new MemoryInboundStore({ maxEntries: 3, clock: () => 0 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) await store.claim(key, 60_000);
    expect(store.size).toBe(3);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('e')).toBe('1');
  });
});
