import nock from 'nock';
import { verifyRsaSha256 } from '@kunci/core/provider';
import { FIXED_NOW, testKeyPair } from '#test-kit';
import { createSnapProvider, SNAP_PROFILES, type SnapProfileName } from '../src';

export const BASE_URL = 'https://snap.example.test';
export const CLIENT_ID = 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b';
export const CLIENT_SECRET = 'snap-test-client-secret-0123456789abcdef';
export const CHANNEL_ID = '95221';
export const keys = testKeyPair();

export const PROFILE_NAMES = Object.keys(SNAP_PROFILES) as SnapProfileName[];

/**
 * FIXED_NOW (2025-11-26T10:31:03+07:00) as each profile writes X-TIMESTAMP, written out so that
 * tests do not trust the formatter.
 */
export const SIGNED_AT: Readonly<Record<SnapProfileName, string>> = {
  aspi: '2025-11-26T10:31:03+07:00',
  pivot: '2025-11-26T10:31:03+07:00',
  bri: '2025-11-26T10:31:03.000+07:00',
  doku: '2025-11-26T03:31:03Z',
  midtrans: '2025-11-26T10:31:03+07:00',
  dana: '2025-11-26T10:31:03+07:00',
};

export function makeProvider(profile: SnapProfileName, overrides: Record<string, unknown> = {}) {
  return createSnapProvider({
    provider: 'snap',
    profile,
    baseUrl: BASE_URL,
    clientId: CLIENT_ID,
    privateKey: keys.privateKeyPem,
    clientSecret: CLIENT_SECRET,
    channelId: CHANNEL_ID,
    clock: () => FIXED_NOW,
    ...overrides,
  });
}

export interface SentRequest {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** One strict nock interceptor that records what was sent and answers as told. */
export function capture(path: string, reply: { status?: number; body?: unknown } = {}): SentRequest[] {
  const sent: SentRequest[] = [];
  nock(BASE_URL)
    .post(path)
    .reply(function record(uri, body) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(this.req.headers)) headers[name.toLowerCase()] = String(value);
      sent.push({
        path: uri,
        headers,
        body: (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>,
      });
      return [reply.status ?? 200, JSON.stringify(reply.body ?? {}), { 'content-type': 'application/json' }];
    });
  return sent;
}

/** Whether X-SIGNATURE verifies with the test key over `clientId|X-TIMESTAMP`. */
export function signedBy(headers: Record<string, string>): boolean {
  return verifyRsaSha256(keys.publicKey, `${CLIENT_ID}|${headers['x-timestamp'] ?? ''}`, headers['x-signature'] ?? '');
}
