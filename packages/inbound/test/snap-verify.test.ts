import { isAuthError, type AuthError } from '@kunci/core';
import { otherKeyPair, testKeyPair } from '#test-kit';
import { createInbound, MemoryInboundStore, type Inbound } from '../src';
import { STORE_TIMEOUT_MS } from '../src/store-calls';
import {
  CLIENT_SECRET,
  DEBIT_NOTIFY,
  debitParts,
  NOW,
  otherKey,
  PARTNER_ID,
  providerKey,
  send,
  snapInbound,
  stallingRequest,
  testClock,
} from './fixtures';
import { startNodeServer, type NodeServer } from './node-server';
import { jakartaTimestamp, signAsymmetric, signSymmetric, signTokenRequest, type SignedNotification } from './signer';

async function refusal(inbound: Inbound, request: Parameters<Inbound['verify']>[0]): Promise<AuthError> {
  const error = await inbound.verify(request).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

describe('SNAP asymmetric notifications through the framework-free API on loopback', () => {
  let clock: ReturnType<typeof testClock>;
  let server: NodeServer;
  beforeEach(async () => {
    clock = testClock();
    server = await startNodeServer(snapInbound({}, clock));
  });
  afterEach(() => server.close());

  it('accepts a signed notification and acknowledges it with the route code (2005600)', async () => {
    const answer = await send(server.url, signAsymmetric(providerKey(), debitParts()));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ responseCode: '2005600', responseMessage: 'Successful' });
    expect(server.accepted).toHaveLength(1);
    expect(server.accepted[0]).toMatchObject({
      scheme: 'asymmetric',
      clientId: PARTNER_ID,
      path: DEBIT_NOTIFY,
      body: { latestTransactionStatus: '00' },
    });
  });

  it('accepts a pretty-printed body signed over its minified form', async () => {
    const answer = await send(server.url, signAsymmetric(providerKey(), debitParts({ indent: 2 })));
    expect(answer.status).toBe(200);
  });

  it.each([
    [
      'a changed body',
      (n: SignedNotification) => ({ ...n, body: n.body.replace('150000.00', '950000.00') }),
      401,
      '4015600',
      'SIGNATURE_REJECTED',
    ],
    [
      'a changed path',
      (n: SignedNotification) => ({ ...n, url: '/v1.0/debit/notify?x=1' }),
      401,
      '4015600',
      'SIGNATURE_REJECTED',
    ],
    [
      'a lower-cased signature',
      (n: SignedNotification) => ({
        ...n,
        headers: { ...n.headers, 'x-signature': n.headers['x-signature']!.toLowerCase() },
      }),
      401,
      '4015600',
      'SIGNATURE_REJECTED',
    ],
    [
      'a signature that is not Base64',
      (n: SignedNotification) => ({
        ...n,
        headers: { ...n.headers, 'x-signature': `${n.headers['x-signature']!.slice(1)}!` },
      }),
      401,
      '4015600',
      'SIGNATURE_REJECTED',
    ],
    [
      'an unknown partner',
      (n: SignedNotification) => ({ ...n, headers: { ...n.headers, 'x-partner-id': 'someone-else' } }),
      401,
      '4015600',
      'CREDENTIALS_REJECTED',
    ],
    [
      'no X-TIMESTAMP',
      (n: SignedNotification) => ({ ...n, headers: { ...n.headers, 'x-timestamp': '' } }),
      400,
      '4005602',
      'TIMESTAMP_REJECTED',
    ],
    [
      'a malformed X-TIMESTAMP',
      (n: SignedNotification) => ({ ...n, headers: { ...n.headers, 'x-timestamp': '2026-11-22 10:15:30' } }),
      400,
      '4005601',
      'TIMESTAMP_REJECTED',
    ],
    [
      'no X-SIGNATURE',
      (n: SignedNotification) => ({ ...n, headers: { ...n.headers, 'x-signature': '' } }),
      400,
      '4005602',
      'SIGNATURE_REJECTED',
    ],
    [
      'no X-PARTNER-ID',
      (n: SignedNotification) => ({ ...n, headers: { ...n.headers, 'x-partner-id': '' } }),
      400,
      '4005602',
      'REQUEST_REJECTED',
    ],
  ])('refuses %s', async (_name, tamper, status, responseCode, code) => {
    const answer = await send(server.url, tamper(signAsymmetric(providerKey(), debitParts())));
    expect({ status: answer.status, responseCode: answer.json.responseCode }).toEqual({ status, responseCode });
    expect(server.accepted).toHaveLength(0);
    expect(server.refused).toEqual([expect.objectContaining({ code })]);
  });

  it('refuses a signature of another key (4015600 Invalid Signature)', async () => {
    const answer = await send(server.url, signAsymmetric(otherKey(), debitParts()));
    expect(answer).toMatchObject({
      status: 401,
      json: { responseCode: '4015600', responseMessage: 'Unauthorized. Invalid Signature' },
    });
  });

  it('refuses a notification whose timestamp left the window, either side, and accepts one at its edge', async () => {
    const stale = await send(
      server.url,
      signAsymmetric(providerKey(), debitParts({ timestamp: jakartaTimestamp(NOW - 301_000) })),
    );
    const early = await send(
      server.url,
      signAsymmetric(providerKey(), debitParts({ timestamp: jakartaTimestamp(NOW + 301_000) })),
    );
    const edge = await send(
      server.url,
      signAsymmetric(providerKey(), debitParts({ timestamp: jakartaTimestamp(NOW - 300_000) })),
    );
    expect([stale.status, early.status, edge.status]).toEqual([401, 401, 200]);
    expect(stale.json).toEqual({ responseCode: '4015600', responseMessage: 'Unauthorized. Invalid Timestamp' });
    expect(server.refused).toEqual([
      expect.objectContaining({ code: 'TIMESTAMP_REJECTED' }),
      expect.objectContaining({ code: 'TIMESTAMP_REJECTED' }),
    ]);
  });

  it('refuses the same notification sent twice (409 Conflict, REPLAY_REJECTED)', async () => {
    const notification = signAsymmetric(providerKey(), debitParts());
    const first = await send(server.url, notification);
    const second = await send(server.url, notification);
    expect([first.status, second.status]).toEqual([200, 409]);
    expect(second.json).toEqual({ responseCode: '4095600', responseMessage: 'Conflict' });
    expect(server.refused).toEqual([expect.objectContaining({ code: 'REPLAY_REJECTED' })]);
  });

  it('refuses a captured notification sent again under a new X-EXTERNAL-ID (the signature is claimed too)', async () => {
    const notification = signAsymmetric(providerKey(), debitParts());
    await send(server.url, notification);
    const again = await send(server.url, {
      ...notification,
      headers: { ...notification.headers, 'x-external-id': '99999999' },
    });
    expect(again.status).toBe(409);
    expect(server.refused[0]).toMatchObject({ code: 'REPLAY_REJECTED' });
    expect((server.refused[0] as Error).message).toMatch(/another X-EXTERNAL-ID/);
  });

  it('refuses a body that is not JSON, even correctly signed, with 400 Bad Request', async () => {
    const notification = signAsymmetric(providerKey(), debitParts());
    const text = 'status=paid&amount=1';
    const { sign } = await import('node:crypto');
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(text).digest('hex');
    const signature = sign(
      'sha256',
      Buffer.from(`POST:${DEBIT_NOTIFY}:${hash}:${notification.headers['x-timestamp']}`),
      providerKey(),
    ).toString('base64');
    const answer = await send(server.url, {
      ...notification,
      body: text,
      headers: { ...notification.headers, 'x-signature': signature },
    });
    expect(answer).toMatchObject({ status: 400, json: { responseCode: '4005600', responseMessage: 'Bad Request' } });
    expect(server.refused).toEqual([
      expect.objectContaining({ code: 'REQUEST_REJECTED', message: 'test inbound: the body is not JSON.' }),
    ]);
  });

  it('refuses a body over the limit with 413, before reading it whole', async () => {
    const small = await startNodeServer(snapInbound({}, clock), { maxBodyBytes: 1024 });
    try {
      const answer = await send(
        small.url,
        signAsymmetric(providerKey(), debitParts({ body: { pad: 'x'.repeat(4096) } })),
      );
      expect(answer).toMatchObject({ status: 413, json: { responseCode: '4130000' } });
      expect(small.refused).toEqual([expect.objectContaining({ code: 'REQUEST_REJECTED' })]);
    } finally {
      await small.close();
    }
  });

  it('answers a sender that stops mid-body with 408 once the body timeout passes, and closes the connection', async () => {
    const slow = await startNodeServer(snapInbound({}, clock), { timeoutMs: 50 });
    try {
      const reply = await stallingRequest(slow.url, DEBIT_NOTIFY);
      expect(reply).toMatch(/^HTTP\/1\.1 408 /);
      expect(reply).toMatch(/connection: close/i);
      expect(reply).toContain('"responseCode":"4080000"');
      expect(slow.refused).toEqual([expect.objectContaining({ code: 'TIMEOUT' })]);
    } finally {
      await slow.close();
    }
  });
});

describe('SNAP asymmetric notifications: key rotation and direct calls', () => {
  it('accepts either of two public keys during a rotation, and refuses a third', async () => {
    const inbound = snapInbound({ publicKey: [otherKeyPair().publicKeyPem, testKeyPair().publicKeyPem] });
    await expect(inbound.verify(signAsymmetric(providerKey(), debitParts()))).resolves.toMatchObject({
      scheme: 'asymmetric',
    });
    await expect(inbound.verify(signAsymmetric(otherKey(), debitParts()))).resolves.toMatchObject({
      scheme: 'asymmetric',
    });
    const { generateKeyPairSync } = await import('node:crypto');
    const third = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(await refusal(inbound, signAsymmetric(third, debitParts()))).toMatchObject({ code: 'SIGNATURE_REJECTED' });
  });

  it('takes the body as a Buffer or a string, the same bytes either way', async () => {
    const inbound = snapInbound();
    const notification = signAsymmetric(
      providerKey(),
      debitParts({ body: { name: 'Dédé 🙂 café', note: '  two  spaces  ' } }),
    );
    await expect(
      inbound.verify({ ...notification, body: Buffer.from(notification.body, 'utf8') }),
    ).resolves.toMatchObject({
      body: { name: 'Dédé 🙂 café' },
    });
    const again = signAsymmetric(providerKey(), debitParts({ body: { name: 'Dédé 🙂 café' } }));
    await expect(inbound.verify(again)).resolves.toMatchObject({ rawBody: again.body });
  });

  it.each([
    ['not an object', 'nope', /request object/],
    ['a parsed body', { method: 'POST', url: '/', headers: {}, body: { a: 1 } }, /raw body/],
    ['no headers', { method: 'POST', url: '/', body: '{}' }, /headers/],
    ['no method', { url: '/', headers: {}, body: '{}' }, /method/],
    ['invalid UTF-8', { method: 'POST', url: '/', headers: {}, body: Buffer.from([0x7b, 0xff, 0x7d]) }, /UTF-8/],
  ])('refuses %s with REQUEST_REJECTED (never a TypeError)', async (_name, request, message) => {
    const error = await refusal(snapInbound(), request as never);
    expect(error).toMatchObject({ code: 'REQUEST_REJECTED', status: 400 });
    expect(error.message).toMatch(message);
    expect(snapInbound().reply(error)).toMatchObject({
      status: 400,
      body: { responseCode: '4000000', responseMessage: 'Bad Request' },
    });
  });

  it('refuses a header sent twice (an array) as a malformed field', async () => {
    const notification = signAsymmetric(providerKey(), debitParts());
    const error = await refusal(snapInbound(), {
      ...notification,
      headers: {
        ...notification.headers,
        'x-timestamp': [notification.headers['x-timestamp']!, jakartaTimestamp(NOW)],
      },
    });
    expect(error).toMatchObject({
      code: 'REQUEST_REJECTED',
      providerCode: '4005601',
      providerMessage: 'Invalid Field Format X-TIMESTAMP',
    });
  });

  it('reads headers in any case', async () => {
    const notification = signAsymmetric(providerKey(), debitParts());
    const upper = Object.fromEntries(Object.entries(notification.headers).map(([k, v]) => [k.toUpperCase(), v]));
    await expect(snapInbound().verify({ ...notification, headers: upper })).resolves.toMatchObject({
      clientId: PARTNER_ID,
    });
  });

  it('lets a released notification through again (a retry after the backend failed to process it)', async () => {
    const inbound = snapInbound();
    const notification = signAsymmetric(providerKey(), debitParts());
    const accepted = await inbound.verify(notification);
    expect(await refusal(inbound, notification)).toMatchObject({ code: 'REPLAY_REJECTED' });
    await inbound.release(accepted);
    await expect(inbound.verify(notification)).resolves.toMatchObject({ externalId: accepted.externalId });
  });

  it('answers any other error with a General Error (500), another service 401 included', () => {
    const inbound = snapInbound();
    expect(inbound.reply(new TypeError('x is undefined'))).toMatchObject({
      status: 500,
      body: { responseCode: '5000000', responseMessage: 'General Error' },
    });
    const foreign = createInbound({ provider: 'pivot', callbackApiKey: 'k'.repeat(20) });
    expect(foreign.reply({ ack: {} })).toMatchObject({ status: 500 });
  });

  it('refuses with 500 a store that never answers, once STORE_TIMEOUT_MS passed (no hang)', async () => {
    jest.useFakeTimers();
    try {
      const silent = {
        claim: () => new Promise<boolean>(() => undefined),
        put: () => Promise.resolve(),
        get: () => Promise.resolve(undefined),
        delete: () => Promise.resolve(),
      };
      const pending = snapInbound({ store: silent }).verify(signAsymmetric(providerKey(), debitParts()));
      const outcome = pending.then(
        () => 'accepted',
        (error: AuthError) => `${error.code} ${error.status}`,
      );
      await jest.advanceTimersByTimeAsync(STORE_TIMEOUT_MS);
      expect(await outcome).toBe('PROVIDER_UNAVAILABLE 500');
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses everything with 500 when the store fails, and says nothing of the store', async () => {
    const broken = new MemoryInboundStore();
    broken.claim = () => Promise.reject(new Error('redis://:hunter2@10.0.0.5 is down'));
    const error = await refusal(snapInbound({ store: broken }), signAsymmetric(providerKey(), debitParts()));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', status: 500, providerCode: '5005600' });
    expect(JSON.stringify(error) + String(error.stack)).not.toContain('hunter2');
  });
});

describe('SNAP symmetric notifications and the token endpoint on loopback', () => {
  let clock: ReturnType<typeof testClock>;
  let server: NodeServer;
  beforeEach(async () => {
    clock = testClock();
    server = await startNodeServer(snapInbound({ scheme: 'symmetric' }, clock));
  });
  afterEach(() => server.close());

  async function token(): Promise<string> {
    const answer = await send(server.url, signTokenRequest(providerKey(), PARTNER_ID, jakartaTimestamp(NOW)));
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.json).toMatchObject({
      responseCode: '2007300',
      responseMessage: 'Successful',
      tokenType: 'Bearer',
      expiresIn: '900',
    });
    return answer.json.accessToken as string;
  }

  it('issues a token, then accepts a notification signed with it and the client secret', async () => {
    const accessToken = await token();
    expect(accessToken).toMatch(/^[\w-]{43}$/);
    const answer = await send(server.url, signSymmetric(CLIENT_SECRET, accessToken, debitParts()));
    expect(answer).toMatchObject({ status: 200, json: { responseCode: '2005600' } });
    expect(server.accepted[0]).toMatchObject({ scheme: 'symmetric' });
  });

  it.each([
    [
      'a token it never issued',
      () => signSymmetric(CLIENT_SECRET, 'made-up-token', debitParts()),
      401,
      '4015601',
      'CREDENTIALS_REJECTED',
    ],
    [
      'no Authorization header',
      (t: string) => {
        const n = signSymmetric(CLIENT_SECRET, t, debitParts());
        delete n.headers.authorization;
        return n;
      },
      401,
      '4015603',
      'CREDENTIALS_REJECTED',
    ],
    [
      'another secret',
      (t: string) => signSymmetric('another-secret-entirely-000000', t, debitParts()),
      401,
      '4015600',
      'SIGNATURE_REJECTED',
    ],
    [
      'a changed body',
      (t: string) => {
        const n = signSymmetric(CLIENT_SECRET, t, debitParts());
        return { ...n, body: n.body.replace('INV-', 'INX-') };
      },
      401,
      '4015600',
      'SIGNATURE_REJECTED',
    ],
  ])('refuses %s', async (_name, build, status, responseCode, code) => {
    const accessToken = await token();
    const answer = await send(server.url, build(accessToken));
    expect({ status: answer.status, responseCode: answer.json.responseCode }).toEqual({ status, responseCode });
    expect(server.refused).toEqual([expect.objectContaining({ code })]);
  });

  it('refuses a token once it expired (the clock moved past its 900 s)', async () => {
    const accessToken = await token();
    clock.advance(901_000);
    const answer = await send(
      server.url,
      signSymmetric(CLIENT_SECRET, accessToken, debitParts({ timestamp: jakartaTimestamp(NOW + 901_000) })),
    );
    expect(answer).toMatchObject({
      status: 401,
      json: { responseCode: '4015601', responseMessage: 'Invalid Token (B2B)' },
    });
  });

  it.each([
    [
      'another key',
      () => signTokenRequest(otherKey(), PARTNER_ID, jakartaTimestamp(NOW)),
      401,
      '4017300',
      'SIGNATURE_REJECTED',
    ],
    [
      'an unknown client',
      () => signTokenRequest(providerKey(), 'stranger', jakartaTimestamp(NOW)),
      401,
      '4017300',
      'CREDENTIALS_REJECTED',
    ],
    [
      'a stale timestamp',
      () => signTokenRequest(providerKey(), PARTNER_ID, jakartaTimestamp(NOW - 3_600_000)),
      401,
      '4017300',
      'TIMESTAMP_REJECTED',
    ],
    [
      'a malformed timestamp',
      () => signTokenRequest(providerKey(), PARTNER_ID, 'yesterday'),
      400,
      '4007301',
      'TIMESTAMP_REJECTED',
    ],
    [
      'another grant type',
      () => ({
        ...signTokenRequest(providerKey(), PARTNER_ID, jakartaTimestamp(NOW)),
        body: '{"grantType":"password"}',
      }),
      400,
      '4007301',
      'REQUEST_REJECTED',
    ],
    [
      'no grant type',
      () => ({ ...signTokenRequest(providerKey(), PARTNER_ID, jakartaTimestamp(NOW)), body: '{}' }),
      400,
      '4007302',
      'REQUEST_REJECTED',
    ],
    [
      'a body that is not JSON',
      () => ({
        ...signTokenRequest(providerKey(), PARTNER_ID, jakartaTimestamp(NOW)),
        body: 'grantType=client_credentials',
      }),
      400,
      '4007300',
      'REQUEST_REJECTED',
    ],
  ])('the token endpoint refuses %s', async (_name, build, status, responseCode, code) => {
    const answer = await send(server.url, build());
    expect({ status: answer.status, responseCode: answer.json.responseCode }).toEqual({ status, responseCode });
    expect(answer.json.accessToken).toBeUndefined();
    expect(server.refused).toEqual([expect.objectContaining({ code })]);
  });

  it('keeps issued tokens hashed in the store, never in clear', async () => {
    const store = new MemoryInboundStore({ clock: clock.now });
    const puts: string[] = [];
    const put = store.put.bind(store);
    store.put = (key, value, ttl) => {
      puts.push(key, value);
      return put(key, value, ttl);
    };
    const inbound = createInbound({
      provider: 'snap',
      scheme: 'symmetric',
      clientId: PARTNER_ID,
      publicKey: testKeyPair().publicKeyPem,
      clientSecret: CLIENT_SECRET,
      store,
      clock: clock.now,
    });
    const answer = await inbound.issueToken(signTokenRequest(providerKey(), PARTNER_ID, jakartaTimestamp(NOW)));
    const accessToken = answer.body.accessToken as string;
    expect(puts).toHaveLength(2);
    expect(puts.join(' ')).not.toContain(accessToken);
    expect(puts[0]).toMatch(/:token:[0-9a-f]{64}$/);
  });
});
