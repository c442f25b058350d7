import { createHash, sign } from 'node:crypto';
import { testKeyPair } from '#test-kit';
import type { SNAP_PROFILES as Profiles } from '@kunci/snap';
import { createInbound, inboundProfile } from '../src';
import { debitParts, PARTNER_ID, providerKey, testClock } from './fixtures';
import { signAsymmetric } from './signer';

// A profile like DANA's whose body hash is taken over the body with every whitespace removed.
jest.mock('@kunci/snap', () => {
  const actual = jest.requireActual<{ SNAP_PROFILES: typeof Profiles }>('@kunci/snap');
  return {
    ...actual,
    SNAP_PROFILES: {
      ...actual.SNAP_PROFILES,
      stripped: { ...actual.SNAP_PROFILES.dana, name: 'stripped', minify: 'strip-all' },
    },
  };
});

/** An asymmetric notification whose body hash is SHA-256 of the body with every whitespace removed. */
function signedStripAll(): ReturnType<typeof signAsymmetric> {
  const parts = debitParts();
  const signed = signAsymmetric(providerKey(), parts);
  const hash = createHash('sha256').update(signed.body.replace(/\s/g, '')).digest('hex');
  const signature = sign('sha256', Buffer.from(`POST:${parts.path}:${hash}:${parts.timestamp}`), providerKey());
  return { ...signed, headers: { ...signed.headers, 'x-signature': signature.toString('base64') } };
}

function inbound(profile: string): ReturnType<typeof createInbound> {
  return createInbound({
    provider: 'snap',
    profile,
    clientId: PARTNER_ID,
    publicKey: testKeyPair().publicKeyPem,
    clock: testClock().now,
  });
}

describe("the inbound SNAP verifier hashes the body by the profile's minify rule", () => {
  it('the profiles read as expected', () => {
    expect(inboundProfile('stripped')?.minify).toBe('strip-all');
    expect(inboundProfile('dana')?.minify).toBe('compact');
  });

  it('a notification hashed over the whitespace-stripped body verifies for a strip-all profile, not for a compact one', async () => {
    const notification = signedStripAll();
    expect(notification.body).toMatch(/"paid at the counter"/);
    await expect(inbound('stripped').verify(notification)).resolves.toMatchObject({ scheme: 'asymmetric' });
    await expect(inbound('dana').verify(signedStripAll())).rejects.toMatchObject({ code: 'SIGNATURE_REJECTED' });
  });

  it('a notification hashed over the compact body is refused by a strip-all profile', async () => {
    await expect(inbound('stripped').verify(signAsymmetric(providerKey(), debitParts()))).rejects.toMatchObject({
      code: 'SIGNATURE_REJECTED',
    });
  });
});
