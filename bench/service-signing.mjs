import { createHmac, hash } from 'node:crypto';
import { createKlikooProvider } from '@kunci/klikoo';
import { createPivotSnapProvider } from '@kunci/pivot-snap';
import { jakartaTimestamp } from './lib/hand-clients.mjs';
import { median, rotate, syncLoop } from './lib/stats.mjs';
import { benchCredentials } from './lib/token-endpoints.mjs';
import { randomToken } from './lib/tokens.mjs';

const CALLS = 4_000;
const WARM_UP_ROUNDS = 3;
const NOW = Date.UTC(2026, 10, 22, 3, 15, 30);

/** A transfer-inquiry sized body: about 300 bytes of JSON, as a service call carries. */
const BODY = {
  partnerReferenceNo: '2026112200000000000001',
  beneficiaryAccountNo: '888801000157508',
  beneficiaryBankCode: '002',
  amount: { value: '150000.00', currency: 'IDR' },
  additionalInfo: { deviceId: '12345679237', channel: 'mobilephone', note: 'bench service call of a typical size' },
};

/**
 * `provider.signRequest()` for a POST with a JSON body (fixed instant and external id, so that
 * every call signs the same string) against the bare HMAC-SHA512 of that string with the same
 * secret, and against the least a signer given the same request can do, written by hand: serialize
 * the body, hash it (one-shot SHA-256), build the string, HMAC it. The target compares kunci with
 * that floor (same input, same output); the bare HMAC starts from the finished string, so no signer
 * can come near it: the protocol's SHA-256 of the body and the serialization come first.
 */
export async function benchServiceSigning({ samples }) {
  const c = benchCredentials();
  const clientSecret = 's'.repeat(16) + '0123456789abcdef';
  const accessToken = randomToken();
  const url = 'https://api.example.test/v1.0/transfer-intrabank?channel=app';
  const path = '/v1.0/transfer-intrabank?channel=app';
  const providers = {
    'pivot-snap': createPivotSnapProvider({
      provider: 'pivot-snap',
      baseUrl: 'https://api.example.test',
      clientId: c.snapClientId,
      privateKey: c.privateKeyPem,
      clientSecret,
      channelId: '95221',
    }),
    klikoo: createKlikooProvider({
      provider: 'klikoo',
      baseUrl: 'https://api.example.test',
      clientId: c.klikooClientId,
      clientSecret: c.klikooClientSecret,
      privateKey: c.privateKeyPem,
    }),
  };
  const secrets = { 'pivot-snap': clientSecret, klikoo: c.klikooClientSecret };
  const signatureHeader = { 'pivot-snap': 'X-SIGNATURE', klikoo: 'Open-Api-Signature' };
  const results = {};
  for (const [name, provider] of Object.entries(providers)) {
    const secret = secrets[name];
    const request = { method: 'POST', url, body: BODY, accessToken, now: NOW, externalId: '000000000000000001' };
    const expected = provider.signRequest(request).headers[signatureHeader[name]];
    const timestamp = jakartaTimestamp(NOW);
    const byHand = () => {
      const digest = hash('sha256', JSON.stringify(BODY), 'hex');
      return createHmac('sha512', secret)
        .update(`POST:${path}:${accessToken}:${digest}:${timestamp}`, 'utf8')
        .digest('base64');
    };
    const stringToSign = `POST:${path}:${accessToken}:${hash('sha256', JSON.stringify(BODY), 'hex')}:${timestamp}`;
    const bare = () => createHmac('sha512', secret).update(stringToSign, 'utf8').digest('base64');
    if (bare() !== expected || byHand() !== expected)
      throw new Error(`${name}: the hand-written signature differs from signRequest()'s`);
    const subjects = {
      kunci: syncLoop(() => provider.signRequest(request), CALLS),
      hmac: syncLoop(bare, CALLS),
      'by hand': syncLoop(byHand, CALLS),
    };
    const runs = Object.fromEntries(
      Object.entries(subjects).map(([key, loop]) => [
        key,
        async () => {
          const { ns, last } = loop();
          const signature = typeof last === 'string' ? last : last.headers[signatureHeader[name]];
          if (signature !== expected) throw new Error(`${name} ${key}: another signature`);
          return ns;
        },
      ]),
    );
    for (let i = 0; i < WARM_UP_ROUNDS; i++) for (const run of Object.values(runs)) await run();
    const result = await rotate(samples, runs, 'hmac');
    // kunci against the floor: the median of the per-sample ratios, as for every other ratio.
    result.kunci.overFloor = median(result.kunci.values.map((value, i) => value / result['by hand'].values[i]));
    results[name] = result;
  }
  return { calls: CALLS, bodyBytes: JSON.stringify(BODY).length, samples, results };
}
