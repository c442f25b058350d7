import { expect } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import { isAuthError, type TokenProvider } from '@kunci/core';
import { expectNoSecrets, FIXED_NOW, testKeyPair } from '#test-kit';
import { createExternalIdGenerator } from '@kunci/core/provider';
import { createPivotSnapProvider } from '../src';

// Each expectation is computed here with node:crypto from the documented recipe, not with kunci's helpers.
const SECRET = 'snap-golden-secret-0123456789';
const TOKEN = 'b2b-token-gKq9w8Xz';
const CUSTOMER = 'customer-token-Zp0qL2';
// FIXED_NOW in Jakarta time, as X-TIMESTAMP carries it.
const jakarta = (ms: number): string => new Date(ms + 7 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+07:00');
const TIMESTAMP = jakarta(FIXED_NOW);

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (text: string, secret = SECRET): string =>
  createHmac('sha512', secret).update(text, 'utf8').digest('base64');

function provider(extra: Record<string, unknown> = {}): TokenProvider {
  return createPivotSnapProvider({
    baseUrl: 'https://api-stg.pivot-payment.com',
    clientId: 'snap-client-1',
    privateKey: testKeyPair().privateKeyPem,
    clientSecret: SECRET,
    channelId: '95221',
    clock: () => FIXED_NOW,
    ...extra,
  });
}

const sign = (p: TokenProvider, request: Parameters<NonNullable<TokenProvider['signRequest']>>[0]) => {
  if (p.signRequest === undefined) throw new Error('pivot-snap signs');
  return p.signRequest(request);
};

describe('Pivot SNAP service signature: golden vectors', () => {
  it('a body with whitespace and unicode inside its strings: minified outside strings only, lower-case hex, upper-case method', () => {
    const written =
      '{\n  "partnerReferenceNo" : "INV 1",\n  "additionalInfo": { "note": "Rp 10.000 — lunas ✓", "tags": [ "a b" , null ] }\n}';
    const sent = '{"partnerReferenceNo":"INV 1","additionalInfo":{"note":"Rp 10.000 — lunas ✓","tags":["a b",null]}}';
    const stringToSign = `POST:/wallet-backend/snap/v1.0/balance-inquiry:${TOKEN}:${sha256Hex(sent)}:${TIMESTAMP}`;
    const signed = sign(provider(), {
      method: 'post',
      url: 'https://api-stg.pivot-payment.com/wallet-backend/snap/v1.0/balance-inquiry',
      body: written,
      accessToken: TOKEN,
      externalId: '123456789012345678',
    });
    expect(signed.body).toBe(sent);
    expect(signed.headers).toEqual({
      Authorization: `Bearer ${TOKEN}`,
      'Content-Type': 'application/json',
      'X-TIMESTAMP': TIMESTAMP,
      'X-SIGNATURE': hmac(stringToSign),
      'X-PARTNER-ID': 'snap-client-1',
      'X-EXTERNAL-ID': '123456789012345678',
      'CHANNEL-ID': '95221',
    });
    expect(TIMESTAMP).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
  });

  it('an object body is serialized once with JSON.stringify: that string is signed and returned', () => {
    const body = { amount: { value: '10000.00', currency: 'IDR' }, note: 'é  ü' };
    const signed = sign(provider({ partnerId: 'partner-7' }), {
      method: 'POST',
      url: '/v1.0/debit/payment-host-to-host',
      body,
      accessToken: TOKEN,
      customerToken: CUSTOMER,
      externalId: '1',
    });
    expect(signed.body).toBe(JSON.stringify(body));
    expect(signed.headers['X-SIGNATURE']).toBe(
      hmac(`POST:/v1.0/debit/payment-host-to-host:${TOKEN}:${sha256Hex(JSON.stringify(body))}:${TIMESTAMP}`),
    );
    expect(signed.headers['Authorization-Customer']).toBe(`Bearer ${CUSTOMER}`);
    expect(signed.headers['X-PARTNER-ID']).toBe('partner-7');
  });

  it("a GET without a body hashes the empty string (or '{}' when configured), with its query string unless includeQuery is false", () => {
    const url = 'https://api-stg.pivot-payment.com/wallet-backend/snap/v1.0/history?from=2026-11-01&page=2#frag';
    const get = sign(provider(), { method: 'GET', url, accessToken: TOKEN, externalId: '2' });
    expect(get.body).toBeUndefined();
    expect(get.headers['Content-Type']).toBeUndefined();
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(get.headers['X-SIGNATURE']).toBe(
      hmac(`GET:/wallet-backend/snap/v1.0/history?from=2026-11-01&page=2:${TOKEN}:${sha256Hex('')}:${TIMESTAMP}`),
    );
    const pathOnly = sign(provider({ signing: { includeQuery: false, emptyBody: '{}' } }), {
      method: 'GET',
      url,
      accessToken: TOKEN,
      externalId: '2',
    });
    expect(pathOnly.headers['X-SIGNATURE']).toBe(
      hmac(`GET:/wallet-backend/snap/v1.0/history:${TOKEN}:${sha256Hex('{}')}:${TIMESTAMP}`),
    );
  });

  it('is pure for a given clock and external id; the clock offset and the timestamp format apply', () => {
    const request = { method: 'POST', url: '/x', body: { a: 1 }, accessToken: TOKEN, externalId: '3' };
    expect(sign(provider(), request)).toEqual(sign(provider(), request));
    const skewed = sign(provider(), { ...request, clockOffsetMs: 65_000 });
    expect(skewed.headers['X-TIMESTAMP']).toBe(jakarta(FIXED_NOW + 65_000));
    const utc = sign(provider({ timestamp: { offset: 'Z', milliseconds: true } }), request);
    expect(utc.headers['X-TIMESTAMP']).toBe(new Date(FIXED_NOW).toISOString());
  });

  it('the default X-EXTERNAL-ID is numeric and new on every call', () => {
    const p = provider();
    const ids = Array.from(
      { length: 2_000 },
      () => sign(p, { method: 'POST', url: '/x', body: {}, accessToken: TOKEN }).headers['X-EXTERNAL-ID'],
    );
    for (const id of ids) expect(id).toMatch(/^\d{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('one generator never repeats an id: a standing clock, a clock stepping back, a fixed random part', () => {
    const next = createExternalIdGenerator(() => 7);
    const ids = [
      ...Array.from({ length: 2_500 }, () => next(FIXED_NOW)),
      next(FIXED_NOW - 60_000),
      next(FIXED_NOW + 1),
    ];
    for (const id of ids) expect(id).toMatch(/^\d{16}00007$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]?.slice(0, 13)).toBe(String(FIXED_NOW));
  });

  it('refuses a body it cannot sign before anything is sent', () => {
    for (const body of ['not json', Buffer.from('{}'), new URLSearchParams('a=1')]) {
      expect(() => sign(provider(), { method: 'POST', url: '/x', body, accessToken: TOKEN })).toThrow(
        expect.objectContaining({ code: 'REQUEST_REJECTED' }),
      );
    }
  });
});

describe('Pivot SNAP service-call config', () => {
  it('a config without clientSecret or channelId fetches tokens; signing names the missing fields', () => {
    const tokenOnly = createPivotSnapProvider({
      baseUrl: 'https://api-stg.pivot-payment.com',
      clientId: 'c',
      privateKey: testKeyPair().privateKeyPem,
    });
    expect(typeof tokenOnly.fetchToken).toBe('function');
    let caught: unknown;
    try {
      sign(tokenOnly, { method: 'POST', url: '/x', body: {}, accessToken: TOKEN });
    } catch (error) {
      caught = error;
    }
    expect(isAuthError(caught) && caught.code).toBe('CONFIG_INVALID');
    expect((caught as Error).message).toMatch(/clientSecret is required.*channelId is required/);
  });

  it('header-bound fields are visible ASCII of bounded length; the message names the field, never a value', () => {
    const secret = `s3cr3t-${Math.random().toString(36).slice(2)}`;
    let caught: unknown;
    try {
      provider({
        clientSecret: secret,
        partnerId: 'has space',
        channelId: 'x'.repeat(65),
        signing: { methodCase: 'title' },
      });
    } catch (error) {
      caught = error;
    }
    expect(isAuthError(caught) && caught.code).toBe('CONFIG_INVALID');
    expect((caught as Error).message).toMatch(/partnerId must be visible ASCII/);
    expect((caught as Error).message).toMatch(
      /channelId must be at most 64 characters \(it is sent in the CHANNEL-ID header\)/,
    );
    expect((caught as Error).message).toMatch(/signing\.methodCase must be 'upper' or 'lower'/);
    expectNoSecrets(caught, [secret, 'has space']);
  });

  it('the client secret is read from env: like the other secrets, and never printed', () => {
    const secret = `env-secret-${Math.random().toString(36).slice(2)}`;
    process.env.KUNCI_TEST_SNAP_SECRET = secret;
    try {
      const p = provider({ clientSecret: 'env:KUNCI_TEST_SNAP_SECRET' });
      const signed = sign(p, { method: 'POST', url: '/x', body: {}, accessToken: TOKEN, externalId: '4' });
      expect(signed.headers['X-SIGNATURE']).toBe(hmac(`POST:/x:${TOKEN}:${sha256Hex('{}')}:${TIMESTAMP}`, secret));
      expectNoSecrets(p, [secret]);
      expectNoSecrets(signed, [secret]);
      expect(() => provider({ clientSecret: 'env:KUNCI_TEST_SNAP_SECRET_UNSET' })).toThrow(
        /clientSecret refers to environment variable KUNCI_TEST_SNAP_SECRET_UNSET/,
      );
    } finally {
      delete process.env.KUNCI_TEST_SNAP_SECRET;
    }
  });
});
