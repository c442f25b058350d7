import { SNAP_PROFILES } from '@kunci/snap';
import { testKeyPair } from '#test-kit';
import { createInbound, inboundProfile } from '../src';
import { DEBIT_NOTIFY, debitParts, PARTNER_ID, providerKey, testClock } from './fixtures';
import { signAsymmetric } from './signer';

// The profiles are @kunci/snap's: inbound reads their notification settings, never a copy.
describe('inboundProfile reads SNAP_PROFILES', () => {
  it.each(Object.values(SNAP_PROFILES).filter((profile) => profile.notification !== 'unsigned'))(
    '$name: its scheme, its body-hash rule and its routes',
    (profile) => {
      const read = inboundProfile(profile.name);
      expect(read).toEqual({
        scheme: profile.notification,
        minify: profile.minify,
        ...(profile.notificationRoutes !== undefined ? { routes: profile.notificationRoutes } : {}),
      });
    },
  );

  it("a profile whose notifications are not SNAP-signed (Pivot's carry an API key) and an unknown name give none", () => {
    expect(SNAP_PROFILES.pivot.notification).toBe('unsigned');
    expect(inboundProfile('pivot')).toBeUndefined();
    expect(inboundProfile('nonesuch')).toBeUndefined();
    expect(inboundProfile('__proto__')).toBeUndefined();
  });

  it("DANA's: asymmetric, the direct-debit notify acknowledged with 2005600", () => {
    expect(inboundProfile('dana')).toMatchObject({
      scheme: 'asymmetric',
      routes: { [DEBIT_NOTIFY]: { serviceCode: '56', ackCode: '2005600' } },
    });
  });

  it("createInbound({ provider: 'snap', profile: 'dana' }) needs no scheme and no routes: DANA's notify is verified and acknowledged", async () => {
    const inbound = createInbound({
      provider: 'snap',
      profile: 'dana',
      clientId: PARTNER_ID,
      publicKey: testKeyPair().publicKeyPem,
      clock: testClock().now,
    });
    const notification = await inbound.verify(signAsymmetric(providerKey(), debitParts()));
    expect(notification).toMatchObject({ scheme: 'asymmetric', path: DEBIT_NOTIFY });
    expect(inbound.reply(notification).body).toEqual({ responseCode: '2005600', responseMessage: 'Successful' });
  });

  it('an explicit scheme wins over the profile', () => {
    expect(() =>
      createInbound({
        provider: 'snap',
        profile: 'doku',
        scheme: 'asymmetric',
        clientId: PARTNER_ID,
        publicKey: testKeyPair().publicKeyPem,
      }),
    ).not.toThrow();
    expect(inboundProfile('doku')?.scheme).toBe('symmetric');
  });
});
