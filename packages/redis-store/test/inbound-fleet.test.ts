import { fork, type ChildProcess } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { testKeyPair } from '#test-kit';
import { send } from '../../inbound/test/fixtures';
import { jakartaTimestamp, signAsymmetric, signSymmetric, signTokenRequest } from '../../inbound/test/signer';
import type { InboundWorkerMessage, InboundWorkerSetup } from './inbound-fleet/worker';
import { describeRedis, REDIS_URL, uniquePrefix, useRedisClient } from './redis-env';

const PREFIX = uniquePrefix();
const redis = useRedisClient(PREFIX);
const CLIENT_ID = 'partner-fleet-7731';
const CLIENT_SECRET = `notify-${randomBytes(12).toString('hex')}`;
const NOTIFY = '/v1.0/debit/notify';

type Ready = Extract<InboundWorkerMessage, { type: 'ready' }>;

/** Resolves with the worker's first message of `type`; rejects when it exits first. */
function message<T extends InboundWorkerMessage['type']>(child: ChildProcess, type: T): Promise<InboundWorkerMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (received: InboundWorkerMessage): void => {
      if (received.type !== type) return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve(received);
    };
    const onExit = (code: number | null): void => reject(new Error(`an inbound worker exited (${String(code)})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

let serial = 0;
const parts = (): Parameters<typeof signAsymmetric>[1] => {
  serial += 1;
  return {
    path: NOTIFY,
    body: { originalPartnerReferenceNo: `INV-${serial}`, amount: { value: '150000.00', currency: 'IDR' } },
    timestamp: jakartaTimestamp(Date.now()),
    partnerId: CLIENT_ID,
    externalId: `${Date.now()}${serial}`,
  };
};

describeRedis('two backend processes sharing one Redis (the inbound replay guard and issued tokens)', () => {
  const children: ChildProcess[] = [];
  let instances: Ready[] = [];
  const providerKey = createPrivateKey(testKeyPair().privateKeyPem);

  beforeAll(async () => {
    const setup: InboundWorkerSetup = {
      redisUrl: REDIS_URL,
      prefix: PREFIX,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      publicKey: testKeyPair().publicKeyPem,
    };
    for (let i = 0; i < 2; i++) {
      children.push(
        fork(join(__dirname, 'inbound-fleet', 'worker.ts'), [], {
          env: { ...process.env, KUNCI_INBOUND_WORKER: JSON.stringify(setup) },
          execArgv: ['-r', join(__dirname, '..', '..', '..', 'scripts', 'from-source.cjs')],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      );
    }
    instances = (await Promise.all(children.map((child) => message(child, 'ready')))) as Ready[];
  }, 30_000);

  afterAll(async () => {
    await Promise.all(
      children.map(async (child) => {
        if (!child.connected) return;
        const closed = message(child, 'closed').catch(() => undefined);
        child.send({ type: 'close' });
        await closed;
      }),
    );
  });

  const instance = (index: number): Ready => {
    const found = instances[index];
    if (found === undefined) throw new Error('the instances start in beforeAll');
    return found;
  };

  it('an asymmetric notification accepted by one instance is refused as a replay by the other', async () => {
    const notification = signAsymmetric(providerKey, parts());
    const first = await send(instance(0).asymmetric, notification);
    expect([first.status, first.json.responseCode]).toEqual([200, '2000000']);
    const copy = await send(instance(1).asymmetric, notification);
    expect([copy.status, copy.json.responseCode]).toEqual([409, '4090000']);
    // And back: the first instance refuses it too.
    expect((await send(instance(0).asymmetric, notification)).status).toBe(409);
  });

  it('a token issued by one instance verifies on the other; the copy is refused by the first', async () => {
    const tokenAnswer = await send(
      instance(0).symmetric,
      signTokenRequest(providerKey, CLIENT_ID, jakartaTimestamp(Date.now())),
    );
    expect([tokenAnswer.status, tokenAnswer.json.responseCode]).toEqual([200, '2007300']);
    const token = String(tokenAnswer.json.accessToken);

    const notification = signSymmetric(CLIENT_SECRET, token, parts());
    const accepted = await send(instance(1).symmetric, notification);
    expect([accepted.status, accepted.json.responseCode]).toEqual([200, '2000000']);
    const copy = await send(instance(0).symmetric, notification);
    expect([copy.status, copy.json.responseCode]).toEqual([409, '4090000']);

    // Redis holds the token as a hash only, under the fleet's prefix.
    const keys: string[] = [];
    for await (const batch of redis().scanIterator({ MATCH: `${PREFIX}*`, COUNT: 500 })) keys.push(...batch);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key.startsWith(PREFIX)).toBe(true);
      expect(key).not.toContain(token);
      expect(String(await redis().get(key))).not.toContain(token);
    }
  });

  it('a token the fleet did not issue is refused by every instance', async () => {
    const forged = randomBytes(32).toString('base64url');
    for (const index of [0, 1]) {
      const answer = await send(instance(index).symmetric, signSymmetric(CLIENT_SECRET, forged, parts()));
      expect([answer.status, answer.json.responseCode]).toEqual([401, '4010001']);
    }
  });
});
