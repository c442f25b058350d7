import { createHash, createHmac } from 'node:crypto';
import type { TokenProvider } from '@kunci/core';
import { expectNoSecrets, FIXED_NOW, testKeyPair } from '#test-kit';
import { createKlikooProvider } from '../src';

// Each expectation is computed here with node:crypto from Klikoo's recipe, not with kunci's helpers.
const SECRET = 'klikoo-golden-secret-0123456789a';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.e30.sig';
const TIMESTAMP = new Date(FIXED_NOW + 7 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+07:00');

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (text: string, secret = SECRET): string =>
  createHmac('sha512', secret).update(text, 'utf8').digest('base64');

function provider(extra: Record<string, unknown> = {}): TokenProvider {
  return createKlikooProvider({
    baseUrl: 'https://b2b.klikoo.example',
    clientId: '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02',
    clientSecret: SECRET,
    privateKey: testKeyPair().privateKeyPem,
    clock: () => FIXED_NOW,
    ...extra,
  });
}

const sign = (p: TokenProvider, request: Parameters<NonNullable<TokenProvider['signRequest']>>[0]) => {
  if (p.signRequest === undefined) throw new Error('klikoo signs');
  return p.signRequest(request);
};

describe('Klikoo service signature: golden vectors', () => {
  it('a body with whitespace and unicode inside its strings: Open-Api-Timestamp and Open-Api-Signature over the minified body', () => {
    const written = '{ "account_number" : "0812 3456",\n\t"name": "Budi  Śantoso 🙂" }';
    const sent = '{"account_number":"0812 3456","name":"Budi  Śantoso 🙂"}';
    const signed = sign(provider(), {
      method: 'POST',
      url: 'https://b2b.klikoo.example/v1/open-api/account/inquiry',
      body: written,
      accessToken: TOKEN,
    });
    expect(signed).toEqual({
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        'Content-Type': 'application/json',
        'Open-Api-Timestamp': TIMESTAMP,
        'Open-Api-Signature': hmac(`POST:/v1/open-api/account/inquiry:${TOKEN}:${sha256Hex(sent)}:${TIMESTAMP}`),
      },
      body: sent,
    });
  });

  it("a GET hashes the empty string; methodCase 'lower' writes the method as Klikoo's one table prints it", () => {
    const url = '/v1/open-api/product/list?category=pulsa';
    const get = sign(provider(), { method: 'GET', url, accessToken: TOKEN });
    expect(get.body).toBeUndefined();
    expect(get.headers['Open-Api-Signature']).toBe(hmac(`GET:${url}:${TOKEN}:${sha256Hex('')}:${TIMESTAMP}`));
    const lower = sign(provider({ signing: { methodCase: 'lower' } }), {
      method: 'POST',
      url: '/v1/x',
      body: { a: 1 },
      accessToken: TOKEN,
    });
    expect(lower.headers['Open-Api-Signature']).toBe(hmac(`post:/v1/x:${TOKEN}:${sha256Hex('{"a":1}')}:${TIMESTAMP}`));
  });

  it('no X-EXTERNAL-ID or SNAP headers, and the secret never shows', () => {
    const secret = `${Math.random().toString(36).slice(2)}${'k'.repeat(32)}`.slice(0, 32);
    const p = provider({ clientSecret: secret });
    const signed = sign(p, { method: 'POST', url: '/v1/x', body: {}, accessToken: TOKEN });
    expect(Object.keys(signed.headers).sort()).toEqual([
      'Authorization',
      'Content-Type',
      'Open-Api-Signature',
      'Open-Api-Timestamp',
    ]);
    expectNoSecrets(p, [secret]);
    expectNoSecrets(signed, [secret]);
  });
});
