import { expectNoSecrets, testKeyPair } from '#test-kit';
import { SeededRandom } from '../../core/test-kit/hostile-bodies';
import { createInbound, type InboundAnswer, type InboundRequest } from '../src';
import { debitParts, NOW, PARTNER_ID, providerKey, snapInbound } from './fixtures';
import { jakartaTimestamp, signSymmetric, signTokenRequest } from './signer';

const random = SeededRandom.fromEnv();
const TRIALS = 60;
const LOCATIONS = [
  'x-partner-id',
  'x-client-key',
  'x-signature',
  'x-external-id',
  'x-timestamp',
  'authorization',
  'body',
  'query',
] as const;

describe(`no secret, issued token or private key in an error, a log line or a reply (KUNCI_TEST_SEED=${random.seed})`, () => {
  it('random secrets at random places of notifications and token requests', async () => {
    const clientSecret = random.string(24 + random.int(16));
    process.env.INBOUND_REDACTION_SECRET = clientSecret;
    const inbound = snapInbound({ scheme: 'symmetric', clientSecret: 'env:INBOUND_REDACTION_SECRET' });
    delete process.env.INBOUND_REDACTION_SECRET;
    const issued = await inbound.issueToken(signTokenRequest(providerKey(), PARTNER_ID, jakartaTimestamp(NOW)));
    const token = issued.body.accessToken as string;
    const printed: unknown[] = [inbound];
    const planted: string[] = [];
    let refused = 0;
    for (let i = 0; i < TRIALS; i++) {
      const secret = random.pick([clientSecret, token, random.string(20 + random.int(20))]);
      planted.push(secret);
      const notification = signSymmetric(clientSecret, token, debitParts());
      const request: InboundRequest & { headers: Record<string, string>; body: string } = {
        ...notification,
        headers: { ...notification.headers },
      };
      const where = random.pick(LOCATIONS);
      if (where === 'body') request.body = request.body.replace('paid at the counter', secret);
      else if (where === 'query') request.url = `${request.url}?k=${secret}`;
      else if (where === 'authorization') request.headers.authorization = `Bearer ${secret}`;
      else request.headers[where] = where === 'x-signature' ? Buffer.from(secret).toString('base64') : secret;
      const outcome = await inbound.verify(request).then(
        (accepted) => inbound.reply(accepted),
        (error: unknown) => {
          refused += 1;
          printed.push(error);
          return inbound.reply(error);
        },
      );
      const tokenAnswer = await inbound.issueToken({ ...request, url: '/v1.0/access-token/b2b' });
      printed.push(...answerParts(outcome), ...answerParts(tokenAnswer));
    }
    // Most were refused (a planted value changed what was signed); an unsigned header (X-CLIENT-KEY,
    // X-EXTERNAL-ID) or the issued token in its own place leaves a valid notification: acknowledged.
    expect(refused).toBeGreaterThan(TRIALS / 3);
    expectNoSecrets(printed, [clientSecret, token, ...planted, testKeyPair().fingerprint]);
  });

  it('a config with a private key where the public one goes, or a missing secret, names the field, never the value', () => {
    const clientSecret = random.string(32);
    const errors: unknown[] = [];
    for (const config of [
      { publicKey: testKeyPair().privateKeyPem },
      { publicKey: [testKeyPair().publicKeyPem, testKeyPair().base64Body] },
      { clientSecret: 'env:INBOUND_NOT_SET_ANYWHERE' },
      { clientSecret: { value: clientSecret } },
      { callbackApiKey: clientSecret },
    ]) {
      try {
        createInbound({
          provider: 'snap',
          scheme: 'symmetric',
          clientId: PARTNER_ID,
          publicKey: testKeyPair().publicKeyPem,
          clientSecret,
          ...config,
        } as never);
      } catch (error) {
        errors.push(error);
      }
    }
    expect(errors).toHaveLength(5);
    expect(errors.map((e) => (e as { code: string }).code)).toEqual(Array(5).fill('CONFIG_INVALID'));
    expectNoSecrets(errors, [clientSecret, testKeyPair().fingerprint, testKeyPair().base64Body.slice(100, 140)]);
  });
});

/** What leaves in an answer: the body sent, and the error kept for the log. */
function answerParts(answer: InboundAnswer): unknown[] {
  return [answer.body, answer.headers, answer.error];
}
