import { isAuthError, type AuthError } from '@kunci/core';
import { createInbound, type Inbound, type InboundRequest } from '../src';
import { send } from './fixtures';
import { startNodeServer } from './node-server';

const API_KEY = 'pivot-callback-key-3f1e9a0c2b';
const PAID = JSON.stringify({
  event: 'PAYMENT.PAID',
  data: { id: 'pay_01', amount: { value: 150000, currency: 'IDR' } },
});

/** Klikoo's documented purchase callback body. */
const KLIKOO_CALLBACK = {
  response_code: '2000200',
  response_message: 'Success',
  partner_reference_id: '9d37f9ad-a7d0-41c7-92a6-285e2c8f845f',
  transaction_id: '14430374',
  amount: '15000',
  transaction_time: '2024-10-11T09:02:57.241732Z',
  transaction_status: 'SUCCESS',
  reason: '',
  product_name: 'Tsel 10.000',
  sn: '02617700018017005627',
  value: '081000000002',
  customer_name: '',
  current_balance: 1890248,
  beginning_balance: 1905248,
  product_code: 'S10',
};

async function refusal(inbound: Inbound, request: InboundRequest): Promise<AuthError> {
  const error = await inbound.verify(request).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAuthError(error)) throw new Error('expected a refusal');
  return error;
}

describe("Pivot's payment callbacks (a static X-API-Key, compared in constant time)", () => {
  const pivot = createInbound({ provider: 'pivot', callbackApiKey: API_KEY });
  const callback = (headers: Record<string, string>, body = PAID): InboundRequest => ({
    method: 'POST',
    url: '/callbacks/pivot',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

  it('accepts the callback carrying the key, on loopback, and answers HTTP 200', async () => {
    const server = await startNodeServer(pivot);
    try {
      const answer = await send(server.url, {
        method: 'POST',
        url: '/callbacks/pivot',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: PAID,
      });
      expect(answer).toMatchObject({ status: 200, json: { code: '00', message: 'Success' } });
      expect(server.accepted[0]).toMatchObject({ scheme: 'api-key', body: { event: 'PAYMENT.PAID' } });
    } finally {
      await server.close();
    }
  });

  it.each([
    ['no key', {}, 'CREDENTIALS_REJECTED', 401],
    ['another key', { 'x-api-key': `${API_KEY}x` }, 'CREDENTIALS_REJECTED', 401],
    ['a key of another case', { 'x-api-key': API_KEY.toUpperCase() }, 'CREDENTIALS_REJECTED', 401],
  ])('refuses %s', async (_name, headers, code, status) => {
    const error = await refusal(pivot, callback(headers));
    expect(error).toMatchObject({ code, status, providerCode: 'credentials_invalid' });
    expect(pivot.reply(error)).toMatchObject({ status, body: { code: 'credentials_invalid' } });
    expect(JSON.stringify(pivot.reply(error).body) + error.message).not.toContain(API_KEY);
  });

  it('refuses a body that is not a JSON object', async () => {
    expect(await refusal(pivot, callback({ 'x-api-key': API_KEY }, '[1,2]'))).toMatchObject({
      code: 'REQUEST_REJECTED',
      providerCode: 'api_validation_error',
    });
  });

  it('has no token endpoint', async () => {
    expect(await pivot.issueToken(callback({ 'x-api-key': API_KEY }))).toMatchObject({ status: 400 });
  });
});

describe("Klikoo's purchase callback (unsigned: a shape check and a source allow-list, nothing more)", () => {
  const request = (body: unknown, remoteAddress?: string): InboundRequest => ({
    method: 'POST',
    url: '/callbacks/klikoo',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    remoteAddress,
  });

  it('accepts the documented body; the notification says it was not signed', async () => {
    const klikoo = createInbound({ provider: 'klikoo' });
    const accepted = await klikoo.verify(request(KLIKOO_CALLBACK));
    expect(accepted).toMatchObject({ scheme: 'unsigned', body: { transaction_status: 'SUCCESS' } });
    expect(klikoo.reply(accepted)).toMatchObject({ status: 200 });
  });

  it.each(['response_code', 'partner_reference_id', 'transaction_id', 'transaction_status'])(
    'refuses a body without a string %s',
    async (field) => {
      const klikoo = createInbound({ provider: 'klikoo' });
      const error = await refusal(klikoo, request({ ...KLIKOO_CALLBACK, [field]: 1 }));
      expect(error).toMatchObject({ code: 'REQUEST_REJECTED', status: 400 });
      expect(error.message).toContain(field);
    },
  );

  it('with allowedAddresses, accepts the listed senders (IPv4-mapped too) and refuses others with 403', async () => {
    const klikoo = createInbound({ provider: 'klikoo', allowedAddresses: ['203.0.113.7', '2001:db8::1'] });
    await expect(klikoo.verify(request(KLIKOO_CALLBACK, '::ffff:203.0.113.7'))).resolves.toMatchObject({
      scheme: 'unsigned',
    });
    await expect(klikoo.verify(request(KLIKOO_CALLBACK, '2001:db8::1'))).resolves.toMatchObject({ scheme: 'unsigned' });
    for (const from of ['203.0.113.8', undefined]) {
      const error = await refusal(klikoo, request(KLIKOO_CALLBACK, from));
      expect(error).toMatchObject({ code: 'ACCESS_DENIED', status: 403 });
      expect(klikoo.reply(error)).toMatchObject({
        status: 403,
        body: { response_code: '403', response_message: 'Forbidden' },
      });
    }
  });

  it('refuses an allow-list that is not a list of addresses, at start-up', () => {
    expect(() => createInbound({ provider: 'klikoo', allowedAddresses: ['klikoo.example'] })).toThrow(
      /allowedAddresses must be a list of IP addresses/,
    );
  });
});
