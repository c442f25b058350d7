import { createHash, createHmac, generateKeyPairSync, sign, timingSafeEqual, verify } from 'node:crypto';
import { createInbound, MemoryInboundStore } from '@kunci/inbound';
import { median, nowNs, rotate } from './lib/stats.mjs';

const NOW = Date.UTC(2026, 10, 22, 3, 15, 30);
const TIMESTAMP = '2026-11-22T10:15:30+07:00';
const PATH = '/v1.0/debit/notify';
const PARTNER_ID = 'bench-partner';
const CLIENT_SECRET = 's'.repeat(16) + '0123456789abcdef';
const WARM_UP_ROUNDS = 2;
const CALLS = { asymmetric: 1_000, symmetric: 4_000 };

/** A debit notification of a typical size (about 350 bytes), pretty-printed as some providers send it. */
const body = (i) => ({
  originalPartnerReferenceNo: `INV-2026112200000${i}`,
  originalReferenceNo: '2026112212345678',
  latestTransactionStatus: '00',
  transactionStatusDesc: 'success',
  amount: { value: '150000.00', currency: 'IDR' },
  additionalInfo: { paidTime: '2026-11-22T10:15:29+07:00', channel: 'mobilephone', note: 'bench notify' },
});

/**
 * `inbound.verify()` of a signed notification (each call a new one: the replay guard would refuse
 * a second) against the bare check of the finished string to sign (`crypto.verify` for RSA, the
 * HMAC-SHA512 and a constant-time compare for the symmetric scheme), and against the least any
 * verifier given the same request must do, written by hand: minify-free SHA-256 of the body as
 * received, the string, the check. kunci does more than that floor on purpose (headers read and
 * checked, the timestamp window, the body parsed, the replay guard's two store claims).
 */
export async function benchInboundVerify({ samples }) {
  const c = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKey = c.publicKey;
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const timestamp = TIMESTAMP;
  const results = {};
  for (const scheme of ['asymmetric', 'symmetric']) {
    const calls = CALLS[scheme];
    const makeInbound = () =>
      createInbound({
        provider: 'snap',
        scheme,
        clientId: PARTNER_ID,
        publicKey: publicKeyPem,
        clientSecret: CLIENT_SECRET,
        clock: () => NOW,
        store: new MemoryInboundStore({ clock: () => NOW, maxEntries: 1_000_000 }),
        routes: { [PATH]: { serviceCode: '56' } },
      });
    let inbound = makeInbound();
    const tokenFor = async (target) => {
      const answer = await target.issueToken({
        method: 'POST',
        url: '/v1.0/access-token/b2b',
        headers: {
          'x-client-key': PARTNER_ID,
          'x-timestamp': timestamp,
          'x-signature': sign('sha256', Buffer.from(`${PARTNER_ID}|${timestamp}`), c.privateKey).toString('base64'),
        },
        body: '{"grantType":"client_credentials"}',
      });
      return answer.body.accessToken;
    };
    let token = await tokenFor(inbound);
    let serial = 0;
    /** `calls` notifications, each new, signed by the provider's side (not measured). */
    const batch = () =>
      Array.from({ length: calls }, () => {
        serial += 1;
        const text = JSON.stringify(body(serial), null, 2);
        const hash = createHash('sha256')
          .update(JSON.stringify(body(serial)))
          .digest('hex');
        const stringToSign =
          scheme === 'asymmetric' ? `POST:${PATH}:${hash}:${timestamp}` : `POST:${PATH}:${token}:${hash}:${timestamp}`;
        const signature =
          scheme === 'asymmetric'
            ? sign('sha256', Buffer.from(stringToSign), c.privateKey)
            : createHmac('sha512', CLIENT_SECRET).update(stringToSign).digest();
        const headers = {
          'content-type': 'application/json',
          'x-timestamp': timestamp,
          'x-signature': signature.toString('base64'),
          'x-partner-id': PARTNER_ID,
          'x-external-id': String(10_000_000_000 + serial),
          'channel-id': '95221',
          ...(scheme === 'symmetric' ? { authorization: `Bearer ${token}` } : {}),
        };
        return {
          request: { method: 'POST', url: PATH, headers, body: Buffer.from(text) },
          stringToSign,
          signature,
          compact: JSON.stringify(body(serial)),
        };
      });
    const check = (stringToSign, signature) =>
      scheme === 'asymmetric'
        ? verify('sha256', Buffer.from(stringToSign), publicKey, signature)
        : timingSafeEqual(createHmac('sha512', CLIENT_SECRET).update(stringToSign).digest(), signature);
    const subjects = {
      kunci: async () => {
        const items = batch();
        const started = nowNs();
        for (const item of items) await inbound.verify(item.request);
        return (nowNs() - started) / calls;
      },
      'by hand': async () => {
        const items = batch();
        const started = nowNs();
        for (const item of items) {
          const text = item.compact;
          const hash = createHash('sha256').update(text).digest('hex');
          const prefix = scheme === 'asymmetric' ? `POST:${PATH}:` : `POST:${PATH}:${token}:`;
          if (!check(`${prefix}${hash}:${timestamp}`, Buffer.from(item.request.headers['x-signature'], 'base64')))
            throw new Error('by hand: refused');
        }
        return (nowNs() - started) / calls;
      },
      bare: async () => {
        const items = batch();
        const started = nowNs();
        for (const item of items) if (!check(item.stringToSign, item.signature)) throw new Error('bare: refused');
        return (nowNs() - started) / calls;
      },
    };
    for (let i = 0; i < WARM_UP_ROUNDS; i++) for (const run of Object.values(subjects)) await run();
    // A new inbound (and token) per measurement round keeps the store the same size in every sample.
    inbound = makeInbound();
    token = await tokenFor(inbound);
    const result = await rotate(samples, subjects, 'bare');
    result.kunci.overFloor = median(result.kunci.values.map((value, i) => value / result['by hand'].values[i]));
    results[scheme] = result;
  }
  return { samples, bodyBytes: JSON.stringify(body(0), null, 2).length, calls: CALLS, results };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchInboundVerify({ samples: Number(process.env.SAMPLES ?? 7) });
  for (const [scheme, r] of Object.entries(result.results))
    console.log(
      `${scheme}: kunci ${r.kunci.median.toFixed(0)} ns, by hand ${r['by hand'].median.toFixed(0)} ns, bare ${r.bare.median.toFixed(0)} ns; kunci/bare ${r.kunci.ratio.toFixed(2)}x, kunci/by hand ${r.kunci.overFloor.toFixed(2)}x`,
    );
}
