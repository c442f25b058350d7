import { randomBytes, randomUUID } from 'node:crypto';
import { createAccessToken } from '@kunci/core';

const PROVIDER = 'pivot-snap';
// Shaped like a Pivot client id: the cache key of every customer starts with it.
const CLIENT_ID = '0b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e';

const TOKEN_BYTES = 32;
let pool = Buffer.alloc(0);
let used = 0;

/**
 * 32 random bytes as base64url: 43 characters, what the emulators issue. Drawn from a pool: one
 * randomBytes call per token would make the bench measure the random source more than the cache.
 */
export function randomToken() {
  if (used + TOKEN_BYTES > pool.length) {
    pool = randomBytes(TOKEN_BYTES * 4096);
    used = 0;
  }
  used += TOKEN_BYTES;
  return pool.toString('base64url', used - TOKEN_BYTES, used);
}

/**
 * A binding id (what Pivot sends as the auth code) as it reaches an application: one flat string
 * parsed from a request. randomUUID() builds its text by concatenation, a rope of a dozen or more
 * strings in V8, and a Map keyed by it would keep the whole rope: copy it flat.
 */
export const bindingId = () => Buffer.from(randomUUID(), 'latin1').toString('latin1');

/**
 * A token as pivot-snap's normalizer returns it: 15 minutes; a customer's (B2B2C) also carries a
 * day-long refresh token.
 */
export function snapToken({ customer, now = Date.now() }) {
  const refresh = customer ? { refreshToken: randomToken(), refreshTokenExpiresAt: new Date(now + 86_400_000) } : {};
  return createAccessToken({
    accessToken: randomToken(),
    tokenType: 'Bearer',
    expiresIn: 900,
    expiresAt: new Date(now + 900_000),
    issuedAt: new Date(now),
    ...refresh,
    provider: PROVIDER,
    responseCode: customer ? '2007400' : '2007300',
    responseMessage: 'Successful',
  });
}

/**
 * A TokenProvider in the process: no I/O, so that what is measured is the manager. It answers a
 * customer request with a customer token and counts its calls.
 */
export function fakeProvider() {
  return {
    provider: PROVIDER,
    clientId: CLIENT_ID,
    supportsCustomerTokens: true,
    calls: 0,
    async fetchToken(request) {
      this.calls++;
      return snapToken({ customer: request?.authCode !== undefined });
    },
  };
}
