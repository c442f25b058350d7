import nock from 'nock';
import { verifyRsaSha256 } from '@kunci/core/provider';
import { FIXED_NOW, testKeyPair } from '#test-kit';
import { createPivotSnapProvider } from '../src';
import b2bSuccess from './fixtures/b2b-success.json';

export const BASE_URL = 'https://api-stg.pivot-payment.com';
export const CLIENT_ID = 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b';
export const B2B_PATH = '/open-api/v1/access-token/b2b';
export const B2B2C_PATH = '/open-api/v1/access-token/b2b2c';
/** FIXED_NOW as Pivot's default X-TIMESTAMP, written out so that tests do not trust the formatter. */
export const SIGNED_AT = '2025-11-26T10:31:03+07:00';
export const keys = testKeyPair();

export function makeProvider(overrides: Record<string, unknown> = {}) {
  return createPivotSnapProvider({
    provider: 'pivot-snap',
    baseUrl: BASE_URL,
    clientId: CLIENT_ID,
    privateKey: keys.privateKeyPem,
    clock: () => FIXED_NOW,
    ...overrides,
  });
}

export interface SentRequest {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** One strict nock interceptor that records what was sent (into `into`, to share a list) and answers as told. */
export function capture(
  path: string,
  reply: { status?: number; body?: unknown; baseUrl?: string; into?: SentRequest[] } = {},
): SentRequest[] {
  const sent: SentRequest[] = reply.into ?? [];
  nock(reply.baseUrl ?? BASE_URL)
    .post(path)
    .reply(function record(uri, body) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(this.req.headers)) headers[name.toLowerCase()] = String(value);
      sent.push({
        path: uri,
        headers,
        body: (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>,
      });
      return [reply.status ?? 200, JSON.stringify(reply.body ?? b2bSuccess), { 'content-type': 'application/json' }];
    });
  return sent;
}

export function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

/** Whether a request carried this X-TIMESTAMP and a signature over `clientId|X-TIMESTAMP` by the test key. */
export function signedBy(sent: SentRequest, timestamp = SIGNED_AT): boolean {
  return (
    sent.headers['x-timestamp'] === timestamp &&
    verifyRsaSha256(keys.publicKey, `${CLIENT_ID}|${timestamp}`, sent.headers['x-signature'] ?? '')
  );
}
