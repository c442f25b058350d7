import nock from 'nock';
import { createPivotSnapProvider } from '@kunci/pivot-snap';
import { FIXED_NOW, useStrictNock } from '#test-kit';
import { createPrivateKey } from 'node:crypto';
import { catchSync } from '#test-kit';
import { createSnapProvider, snapSettings, snapTokenProvider } from '../src';
import { CHANNEL_ID, CLIENT_ID, CLIENT_SECRET, keys } from './helpers';

// The `pivot` profile is Pivot SNAP: for the same clock, `provider: 'pivot-snap'` and
// `provider: 'snap', profile: 'pivot'` send the same bytes (headers, their order, and body).

const BASE = 'https://api-stg.pivot-payment.com';
const common = {
  baseUrl: BASE,
  clientId: CLIENT_ID,
  privateKey: keys.privateKeyPem,
  clientSecret: CLIENT_SECRET,
  channelId: CHANNEL_ID,
  clock: () => FIXED_NOW,
};
const pivotSnap = () => createPivotSnapProvider({ provider: 'pivot-snap', ...common });
const snapPivot = () => createSnapProvider({ provider: 'snap', profile: 'pivot', ...common });

interface Wire {
  path: string;
  headers: Array<[string, string]>;
  body: string;
}

function record(path: string, answer: unknown, into: Wire[]): void {
  nock(BASE)
    .post(path)
    .reply(function reply(uri, body) {
      const raw = this.req.headers;
      into.push({
        path: uri,
        headers: Object.entries(raw).map(([name, value]) => [name, String(value)]),
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return [200, answer];
    });
}

describe("profile 'pivot' and @kunci/pivot-snap send byte-identical requests", () => {
  useStrictNock();

  it('the B2B token request', async () => {
    const sent: Wire[] = [];
    const answer = {
      responseCode: '2007300',
      responseMessage: 'Successful',
      accessToken: 'at-12345678',
      tokenType: 'Bearer',
      expiresIn: '900',
    };
    record('/open-api/v1/access-token/b2b', answer, sent);
    record('/open-api/v1/access-token/b2b', answer, sent);
    await pivotSnap().fetchToken();
    await snapPivot().fetchToken();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
  });

  it('the B2B2C token request, with and without a refresh token', async () => {
    const sent: Wire[] = [];
    const answer = {
      responseCode: '2007400',
      responseMessage: 'Successful',
      accessToken: 'at-12345678',
      tokenType: 'Bearer',
      accessTokenExpiryTime: '2025-11-27T10:46:03+07:00',
    };
    for (let i = 0; i < 4; i++) record('/open-api/v1/access-token/b2b2c', answer, sent);
    for (const request of [{ authCode: 'binding-1', refreshToken: 'rt-123456789' }, { authCode: 'binding-1' }]) {
      await pivotSnap().fetchToken(request);
      await snapPivot().fetchToken(request);
    }
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[3]).toEqual(sent[2]);
    expect(sent[0]).not.toEqual(sent[2]);
  });

  it('a signed service call (customer, body with spaces and unicode, query)', () => {
    const request = {
      method: 'POST',
      url: `${BASE}/wallet-backend/snap/v1.0/balance-inquiry?lang=id`,
      body: { partnerReferenceNo: 'INV 1', additionalInfo: { note: 'Rp 10.000 — lunas ✓' } },
      accessToken: 'b2b-token-1',
      customerToken: 'customer-token-1',
      externalId: '123456789012345678',
    };
    const a = pivotSnap().signRequest?.(request);
    const b = snapPivot().signRequest?.(request);
    expect(a).toBeDefined();
    expect(Object.entries(b?.headers ?? {})).toEqual(Object.entries(a?.headers ?? {}));
    expect(b?.body).toBe(a?.body);
  });
});

describe('snapTokenProvider under another name: what @kunci/pivot-snap can delegate to', () => {
  const delegated = (clientSecret: string | undefined) =>
    snapTokenProvider({
      provider: 'pivot-snap',
      label: 'Pivot SNAP',
      clientId: CLIENT_ID,
      privateKey: createPrivateKey(keys.privateKeyPem),
      clientSecret,
      partnerId: CLIENT_ID,
      channelId: undefined,
      headers: {},
      settings: snapSettings({ profile: 'pivot' }),
      secrets: [],
      http: { baseUrl: BASE, timeoutMs: 10_000, maxResponseBytes: 65_536, clock: () => FIXED_NOW },
    });

  it('carries the name and paths, and signs as pivot-snap does', () => {
    const provider = delegated(CLIENT_SECRET);
    expect([provider.provider, provider.tokenPaths]).toEqual([pivotSnap().provider, pivotSnap().tokenPaths]);
    const request = { method: 'POST', url: '/v1.0/x?a=1', body: { a: 'b c' }, accessToken: 'token-1', externalId: '1' };
    const withChannel = snapTokenProvider({
      provider: 'pivot-snap',
      label: 'Pivot SNAP',
      clientId: CLIENT_ID,
      privateKey: createPrivateKey(keys.privateKeyPem),
      clientSecret: CLIENT_SECRET,
      partnerId: CLIENT_ID,
      channelId: CHANNEL_ID,
      headers: {},
      settings: snapSettings({ profile: 'pivot' }),
      secrets: [],
      http: { baseUrl: BASE, timeoutMs: 10_000, maxResponseBytes: 65_536, clock: () => FIXED_NOW },
    });
    expect(withChannel.signRequest?.(request)).toEqual(pivotSnap().signRequest?.(request));
  });

  it('names a missing field in the same words', () => {
    const request = { method: 'GET', url: '/x', accessToken: 'token-1' };
    const ours = catchSync(() => delegated(undefined).signRequest?.(request));
    const theirs = catchSync(() =>
      createPivotSnapProvider({
        provider: 'pivot-snap',
        ...common,
        clientSecret: undefined,
        channelId: undefined,
      }).signRequest?.(request),
    );
    expect([ours.code, ours.provider, ours.message]).toEqual([theirs.code, theirs.provider, theirs.message]);
  });
});
