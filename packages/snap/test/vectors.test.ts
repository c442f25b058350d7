import { createPrivateKey, createPublicKey } from 'node:crypto';
import nock from 'nock';
import type { ServiceRequest, TokenProvider } from '@kunci/core';
import { useStrictNock } from '#test-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSnapProvider, signSnap, snapServiceStringToSign } from '../src';
import { snapServiceSignatureValid } from '../src/entries/emulator';
import { settingsOf } from './settings-of';

/*
 * Known answers published by others. Every vector here comes from Midtrans' SNAP BI signature demo
 * (github.com/Midtrans/SNAP-BI-Signature-Demo), whose sample code prints a fixed private key, a
 * sample timestamp and the signature it gives ("Sample signatureString"). Each is reproduced through
 * kunci's own path: the config, the provider and its signer, not a re-implementation in the test.
 */
const DEMO = 'github.com/Midtrans/SNAP-BI-Signature-Demo';
const privateKeyPem = readFileSync(join(__dirname, 'fixtures', 'midtrans-demo-key.pem'), 'utf8');
const publicKey = createPublicKey(createPrivateKey(privateKeyPem));

/** The demo's timestamps are `new Date().toISOString()`: milliseconds, in Z. */
const ISO_Z_MS = { offset: 'Z', milliseconds: true };

function provider(profile: string, timestamp: string, overrides: Record<string, unknown> = {}) {
  return createSnapProvider({
    provider: 'snap',
    profile,
    baseUrl: 'https://merchants.sbx.midtrans.com',
    clientId: 'G1234325-SNAP',
    privateKey: privateKeyPem,
    clientSecret: 'myclientsecret',
    channelId: '95221',
    timestamp: ISO_Z_MS,
    clock: () => Date.parse(timestamp),
    ...overrides,
  });
}

const TOKEN_SAMPLE =
  'WzW49tYIgKIBmBi/gVBHGLAkhEaZlXM11zcZxAiyHji6TLPjPbwLu3Z45it25AIeG0XDItcdTSkds47zFEMh6IP0PXPIP1+Ey4RmX/o2fuYRF/xBHvfvKnMmANMTS1axsXBSW3EHqYpbVrkCcqNnB3u+wu63us9WIhRZaWgxgQ2PJLaiVHIwgu9u7jxkWX7Bg4rerZH3RKdQfIJAAJsSN13efR7VdSAyzU7QaKjgislxrLqmesYNJkbD03XLjHdo6YWuzAVV7xdZRpLiGkIAkW7luXTBZYBO+4oENZAPQYzrLeN1qRY1Sr7BgLONCA2QA26BB6SYW4R7qofS9+RyOQ==';

function sign(p: TokenProvider, request: ServiceRequest) {
  if (p.signRequest === undefined) throw new Error('a SNAP provider signs service calls');
  return p.signRequest(request);
}

describe('known-answer vectors', () => {
  useStrictNock();

  it(`token signature, as the provider sends it: ${DEMO} sample-code/b2b-access-token/xSignatureGenerationNode.js`, async () => {
    const timestamp = '2024-03-01T08:27:49.024Z';
    let sent: Record<string, unknown> = {};
    nock('https://merchants.sbx.midtrans.com')
      .post('/v1.0/access-token/b2b')
      .reply(function reply() {
        sent = { ...this.req.headers };
        return [
          200,
          {
            responseCode: '2007300',
            responseMessage: 'Successful',
            accessToken: 'at-12345678',
            tokenType: 'Bearer',
            expiresIn: '900',
          },
        ];
      });
    await provider('midtrans', timestamp).fetchToken();
    expect(sent).toMatchObject({
      'x-timestamp': timestamp,
      'x-client-key': 'G1234325-SNAP',
      'x-signature': TOKEN_SAMPLE,
    });
  });

  it(`token signature: ${DEMO} sample-code/b2b-access-token/xSignatureGenerationNode.js`, () => {
    const timestamp = '2024-03-01T08:27:49.024Z';
    const signed = signSnap(
      { clientId: 'G1234325-SNAP', privateKey: createPrivateKey(privateKeyPem), timestamp: ISO_Z_MS },
      Date.parse(timestamp),
    );
    expect(signed).toEqual({
      timestamp,
      stringToSign: `G1234325-SNAP|${timestamp}`,
      signature: TOKEN_SAMPLE,
    });
  });

  it(`symmetric service signature: ${DEMO} sample-code/symmetricSignature/xSignatureGenerationNode.js`, () => {
    const timestamp = '2024-03-05T10:37:16.196Z';
    // The demo's body as printed (indented); the signer minifies a JSON string before hashing it.
    const body = `{
  "partnerReferenceNo": "2020102900000000000001",
  "amount": {
    "value": "12345678.00",
    "currency": "IDR"
  },
  "feeAmount": {
    "value": "12345678.00",
    "currency": "IDR"
  },
  "merchantId": "00007100010926",
  "terminalId": "213141251124",
  "validityPeriod": "2009-07-03T12:08:56-07:00"
}`;
    const signed = sign(provider('midtrans', timestamp), {
      method: 'POST',
      url: '/v1.0/qr/qr-mpm-generate',
      body,
      accessToken: 'myaccesstoken',
      externalId: '1',
    });
    expect(signed.headers['X-TIMESTAMP']).toBe(timestamp);
    expect(signed.headers['X-SIGNATURE']).toBe(
      'wmzT7yjg1SxxCsxNsFgCR9SYXiZGGbceF6fV8xe97sAMHxZ+7OEBMIBmvb6Sj6GcksGp3iv77DiomgSbcST3XQ==',
    );
    expect(signed.headers.Authorization).toBe('Bearer myaccesstoken');
  });

  // The demo signs a notification with the merchant's key; a client's asymmetric service call is
  // the same string (`METHOD:path:bodyHash:timestamp`, ASPI "Keamanan" X-SIGNATURE type 2).
  const notifyBody = `{
    "createdTime": "2020-01-01T00:00:00+07:00",
    "latestTransactionStatus": "00",
    "originalReferenceNo": "gopayOrderId",
    "finishedTime": "2020-01-02T00:00:00+07:00",
    "originalPartnerReferenceNo": "merchant-order-id",
    "transactionStatusDesc": "desc",
    "originalExternalId": "merchant-order-id",
    "additionalInfo": {
        "payOptionDetails": [{
            "payMethod": "GOPAY",
            "payOption": "GOPAY_WALLET"
        }],
        "fraudStatus": "accept",
        "refundHistory": [{
            "refundNo": "96194816941239812",
            "partnerReferenceNo": "239850918204981205970",
            "refundAmount": {
                "value": "12345678.00",
                "currency": "IDR"
            },
            "refundStatus": "00",
            "refundDate": "2020-12-23T07:44:16+07:00",
            "reason": "Customer Complain"
        }],
        "validUpTo": "2021-01-01T00:00:00+07:00"
    }
}`;
  const asymmetricSample =
    'eUGsomFLNsjWzehgGsa317MqcVOgscay/Hml8yNmOsFhmoBM7pso+UPDgSe34anXvecSQkf5NOr0fbr8k9qdyyoWiYX7DTq/Wnz8XC0cRCCbNZfyLIyF33HO9cnvxOcRQq9DuWlQtld+uEluuivVdN2TiaWLpUTmfB/H7noZnXWWDj6FYa4n5kSo4o3aTeFYAF9EmLp0Tcsl8CiHSQCrQnIbB8M2+puLwyJ1l2OocvZ5qgjf5f2DqlCbemsSMzYzjN+YMrb0kiDx0TiW5UTk+WZass43xIfb3vdrlX+U2JSk5YsJ8lFpp9F+7FId4cyncElNFEbt3zWuP4iDzXteCg==';

  it(`asymmetric service signature: ${DEMO} sample-code/asymmetricSignatureNotificationGeneration/xSignatureGenerationNode.js`, () => {
    const timestamp = '2024-03-05T10:37:16.196Z';
    const signed = sign(provider('dana', timestamp), {
      method: 'POST',
      url: '/v1.0/debit/notify',
      body: notifyBody,
      accessToken: 'not-signed-and-not-sent',
      externalId: '1',
    });
    expect(signed.headers['X-SIGNATURE']).toBe(asymmetricSample);
    expect(signed.headers.Authorization).toBeUndefined();
  });

  it(`asymmetric verification: ${DEMO} sample-code/asymmetricSignatureNotificationVerification/xSignatureVerificationNode.js`, () => {
    const body =
      '{"originalPartnerReferenceNo":"GP24043015193402809","originalReferenceNo":"A120240430081940S9vu8gSjaRID","merchantId":"G099333790","amount":{"value":"102800.00","currency":"IDR"},"latestTransactionStatus":"00","transactionStatusDesc":"SUCCESS","additionalInfo":{"refundHistory":[]}}';
    const timestamp = '2024-05-02T14:43:08+07:00';
    const signature =
      'RoJnP2tH/YiOhHM/lMVBMSAuzRmS8VrWdIy04Qqyb56daV7oWFMFoMMzqnjQ+q0MIUalYgU094GWQnCx2c29xb1kkqHhv2+iJ9xl6NjGmFGYqyvcKvUDAV83Y1Mw9JnsEcjcupdGw9/MRv/mm2GMrQ+BCZGfc4a46JDyPZbcY294vDGqs5rFBN6iYer5ro4cAQGo9hET2G82Y+j50vCyO/79GFE4vB1rvtu6PK2Bxi+vTYV8k7P7PS8tOPWM2O+kjiVWjwvLR99Botou+a8sxlQqZaihfWMKcByzV+Lgkr9cptpjys+1NIRWT1ad/sJBSLHyldzC3q2oRn5z5oZmyg==';
    const options = settingsOf('midtrans').signing;
    // The demo prints the string it verifies: kunci's string to sign is that string.
    expect(
      snapServiceStringToSign('asymmetric', { method: 'POST', path: '/v1.0/debit/notify', body, timestamp }, options),
    ).toBe(
      'POST:/v1.0/debit/notify:79ebbe6a6b695262dd686d0dedafc57c94e3b3dededf8d63971f8a95699ace85:2024-05-02T14:43:08+07:00',
    );
    const request = { method: 'POST', path: '/v1.0/debit/notify', headers: {}, body };
    const parts = { accessToken: undefined, timestamp, signature };
    expect(snapServiceSignatureValid('asymmetric', { publicKey }, request, parts, options)).toBe(true);
    // One byte of the body changed, and the same signature no longer verifies.
    const tampered = { ...request, body: body.replace('102800.00', '102800.01') };
    expect(snapServiceSignatureValid('asymmetric', { publicKey }, tampered, parts, options)).toBe(false);
  });
});
