import axios from 'axios';
import {
  attachTokenManager,
  createTokenProviders,
  TokenManager,
  type AuthError,
  type ProviderConfig,
} from '@kunci/sdk';
import { SNAP_PROFILES } from '@kunci/snap';
import { failure, useSandbox } from './helpers';

// The sandbox plays every SNAP profile on one emulator: each client is held to its own profile's
// token paths, X-TIMESTAMP format and service-signature scheme.
const sandbox = useSandbox();

/** A config file's providers: two SNAP profiles beside every other provider the sandbox plays. */
function twoProfiles(): Record<string, ProviderConfig> {
  const { providers } = sandbox().config();
  return {
    ...providers,
    bri: sandbox().config({ snap: 'bri' }).providers.snap,
    dana: sandbox().config({ snap: 'dana' }).providers.snap,
  };
}

describe('the sandbox plays SNAP profiles', () => {
  it("config({ snap: profile }) gives that profile's entry; config() the standard's (aspi)", () => {
    expect(sandbox().config().providers.snap).toMatchObject({ provider: 'snap', profile: 'aspi' });
    for (const profile of ['bri', 'dana'] as const) {
      const entry = sandbox().config({ snap: profile }).providers.snap;
      expect(entry).toMatchObject({ provider: 'snap', profile, baseUrl: sandbox().baseUrl('snap') });
      expect(entry.clientId).not.toBe(sandbox().config().providers.snap.clientId);
    }
  });

  it('a config naming bri and dana with the other providers: every entry fetches its tokens through createTokenProviders', async () => {
    const providers = createTokenProviders({ providers: twoProfiles() });
    for (const provider of Object.values(providers)) await provider.fetchToken();
    for (const name of ['bri', 'dana'] as const) {
      const token = await providers[name]?.fetchToken({ authCode: `customer-${name}` });
      expect(token?.provider).toBe('snap');
    }
    const paths = sandbox()
      .requests.filter((request) => request.provider === 'snap' && request.verdict === 'accepted')
      .map((request) => request.path);
    for (const profile of ['bri', 'dana'] as const) {
      expect(paths).toContain(`/snap${SNAP_PROFILES[profile].paths.b2b}`);
      expect(paths).toContain(`/snap${SNAP_PROFILES[profile].paths.b2b2c}`);
    }
  });

  it.each([
    ['bri', 'symmetric', 2],
    ['dana', 'asymmetric', 1],
  ] as const)(
    '%s signs its API calls (%s) through the interceptor and the sandbox accepts them',
    async (name, scheme, requests) => {
      expect(SNAP_PROFILES[name].serviceSignature).toBe(scheme);
      const provider = createTokenProviders({ providers: twoProfiles() })[name];
      if (provider === undefined) throw new Error('no provider');
      const tokens = new TokenManager(provider);
      const api = axios.create({ baseURL: provider.baseUrl ?? '' });
      attachTokenManager(api, tokens);
      const before = sandbox().requests.length;
      try {
        const answer = await api.post('/v1.0/debit/status', { originalPartnerReferenceNo: 'INV-1' });
        expect(answer.data).toEqual({ responseCode: '2000000', responseMessage: 'Successful' });
      } finally {
        await tokens.close();
      }
      // DANA's asymmetric calls carry no B2B token: no token request precedes the call.
      expect(sandbox().requests.length - before).toBe(requests);
    },
  );

  it("each profile's client is held to its profile: a bri client writing dana's timestamp is refused", async () => {
    const bri = sandbox().config({ snap: 'bri' }).providers.snap;
    const providers = createTokenProviders({
      providers: { bri: { ...bri, timestamp: { offset: '+07:00', milliseconds: false } } },
    });
    const error = (await failure(providers.bri?.fetchToken() ?? Promise.resolve())) as AuthError;
    expect(error.code).toBe('TIMESTAMP_REJECTED');
    expect(sandbox().requests.at(-1)?.verdict).toMatch(/X-TIMESTAMP.*yyyy-MM-ddTHH:mm:ss\.SSS\+07:00/);
  });

  it("a dana client signing symmetrically is refused: the sandbox checks the profile's scheme", async () => {
    const dana = sandbox().config({ snap: 'dana' }).providers.snap;
    const provider = createTokenProviders({ providers: { dana: { ...dana, serviceSignature: 'symmetric' } } }).dana;
    if (provider === undefined) throw new Error('no provider');
    const tokens = new TokenManager(provider);
    const api = axios.create({ baseURL: provider.baseUrl ?? '' });
    attachTokenManager(api, tokens);
    try {
      const error = (await failure(api.post('/v1.0/debit/status', { originalPartnerReferenceNo: 'INV-2' }))) as {
        response?: { status: number; data: unknown };
      };
      expect(error.response?.status).toBe(401);
      expect(error.response?.data).toEqual({
        responseCode: '4010000',
        responseMessage: 'Unauthorized. Invalid Signature',
      });
    } finally {
      await tokens.close();
    }
  });
});
