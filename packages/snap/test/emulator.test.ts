import { createSnapProvider, signSnap } from '../src';
import { createSnapEmulator } from '../src/entries/emulator';
import { createPrivateKey } from 'node:crypto';
import { FIXED_NOW, otherKeyPair } from '#test-kit';
import { CHANNEL_ID, CLIENT_ID, CLIENT_SECRET, keys } from './helpers';

// The emulator's own checks, request by request (no HTTP): what the provider contract's loopback
// tests do not reach.

const privateKey = createPrivateKey(keys.privateKeyPem);
const json = (text: string): unknown => JSON.parse(text);

function tokenRequest(
  path: string,
  timestamp: { offset: string; milliseconds: boolean },
  body: unknown,
  now = FIXED_NOW,
) {
  const signed = signSnap({ clientId: CLIENT_ID, privateKey, timestamp }, now);
  return {
    method: 'POST',
    path,
    headers: {
      'content-type': 'application/json',
      'x-client-key': CLIENT_ID,
      'x-timestamp': signed.timestamp,
      'x-signature': signed.signature,
    },
    body: JSON.stringify(body),
  };
}

const emulator = (options: Partial<Parameters<typeof createSnapEmulator>[0]> = {}) =>
  createSnapEmulator({
    clients: [{ clientId: CLIENT_ID, publicKey: keys.publicKeyPem, clientSecret: CLIENT_SECRET }],
    clock: () => FIXED_NOW,
    ...options,
  });

describe('createSnapEmulator', () => {
  it("DANA's grant is AUTHORIZATION_CODE: the lower-case spelling is refused as a field format", () => {
    const dana = emulator({ profile: 'dana', customers: [{ authCode: 'binding-1' }] });
    const jakarta = { offset: '+07:00', milliseconds: false };
    const lower = dana.handle(
      tokenRequest('/v1.0/access-token/b2b2c.htm', jakarta, { grantType: 'authorization_code', authCode: 'binding-1' }),
    );
    expect([lower.status, json(lower.body)]).toEqual([
      400,
      { responseCode: '4007401', responseMessage: 'Invalid Field Format grantType' },
    ]);
    const upper = dana.handle(
      tokenRequest('/v1.0/access-token/b2b2c.htm', jakarta, { grantType: 'AUTHORIZATION_CODE', authCode: 'binding-1' }),
    );
    expect(upper.status).toBe(200);
  });

  it("a timestamp in the profile's format but outside five minutes is refused; anyTimestampFormat takes another format", () => {
    const doku = emulator({ profile: 'doku' });
    const body = { grantType: 'client_credentials' };
    const late = doku.handle(
      tokenRequest(
        '/authorization/v1/access-token/b2b',
        { offset: 'Z', milliseconds: false },
        body,
        FIXED_NOW - 301_000,
      ),
    );
    expect(json(late.body)).toMatchObject({ responseCode: '4007301' });
    const jakarta = tokenRequest('/authorization/v1/access-token/b2b', { offset: '+07:00', milliseconds: false }, body);
    expect(doku.handle(jakarta).status).toBe(400);
    expect(emulator({ profile: 'doku', anyTimestampFormat: true }).handle(jakarta).status).toBe(200);
  });

  it('a token signed by another key is an invalid signature', () => {
    const other = createPrivateKey(otherKeyPair().privateKeyPem);
    const signed = signSnap(
      { clientId: CLIENT_ID, privateKey: other, timestamp: { offset: '+07:00', milliseconds: false } },
      FIXED_NOW,
    );
    const request = tokenRequest(
      '/v1.0/access-token/b2b',
      { offset: '+07:00', milliseconds: false },
      { grantType: 'client_credentials' },
    );
    const answer = emulator().handle({ ...request, headers: { ...request.headers, 'x-signature': signed.signature } });
    expect(json(answer.body)).toEqual({ responseCode: '4017300', responseMessage: 'Unauthorized. Invalid Signature' });
  });

  it('an asymmetric call from an unknown partner, and a reused X-EXTERNAL-ID within the day', () => {
    const dana = emulator({ profile: 'dana' });
    const provider = createSnapProvider({
      provider: 'snap',
      profile: 'dana',
      baseUrl: 'https://api.sandbox.dana.id',
      clientId: CLIENT_ID,
      privateKey: keys.privateKeyPem,
      channelId: CHANNEL_ID,
      clock: () => FIXED_NOW,
    });
    const call = (partnerId?: string) => {
      const signed = provider.signRequest?.({
        method: 'POST',
        url: '/v1.0/debit/status.htm',
        body: { a: 1 },
        accessToken: 'unused',
        externalId: '42',
      });
      if (signed === undefined) throw new Error('a SNAP provider signs');
      const headers = Object.fromEntries(
        Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]),
      );
      if (partnerId !== undefined) headers['x-partner-id'] = partnerId;
      return dana.handle({ method: 'POST', path: '/v1.0/debit/status.htm', headers, body: signed.body ?? '' });
    };
    expect(json(call('someone-else').body)).toEqual({
      responseCode: '4010000',
      responseMessage: 'Unauthorized. Unknown Client',
    });
    expect(call().status).toBe(200);
    expect(json(call().body)).toEqual({ responseCode: '4090000', responseMessage: 'Conflict' });
  });
});
