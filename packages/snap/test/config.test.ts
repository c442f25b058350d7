import { randomBytes } from 'node:crypto';
import { catchSync, expectNoSecrets } from '#test-kit';
import { createSnapProvider, SNAP_PROFILES, snapSettings, type SnapProfileName } from '../src';
import { CLIENT_ID, keys, PROFILE_NAMES } from './helpers';

const base = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  provider: 'snap',
  baseUrl: 'https://snap.example.test',
  clientId: CLIENT_ID,
  privateKey: keys.privateKeyPem,
  ...extra,
});

describe('SnapConfig: the profile and its overrides', () => {
  it.each(PROFILE_NAMES)('profile %s: its settings, each cited', (name: SnapProfileName) => {
    const profile = SNAP_PROFILES[name];
    expect(snapSettings({ profile: name })).toEqual({
      profile: name,
      paths: profile.paths,
      timestamp: profile.timestamp,
      serviceSignature: profile.serviceSignature,
      tokenWithAsymmetric: profile.tokenWithAsymmetric,
      customerGrantType: profile.customerGrantType,
      signing: { includeQuery: true, emptyBody: '', methodCase: 'upper', minify: profile.minify },
    });
    for (const source of Object.values(profile.sources))
      expect(source).toMatch(/https:\/\/|github\.com|protocols\.md|documents no/);
  });

  it("no profile is the standard's own: 'aspi'", () => {
    expect(snapSettings({})).toEqual(snapSettings({ profile: 'aspi' }));
    expect(createSnapProvider(base()).tokenPaths).toEqual(['/v1.0/access-token/b2b', '/v1.0/access-token/b2b2c']);
  });

  it('every setting given in config takes the profile’s place, one by one', () => {
    const settings = snapSettings({
      profile: 'bri',
      paths: { b2b2c: '/snap/v2.0/access-token/b2b2c' },
      timestamp: { offset: 'Z' },
      serviceSignature: 'asymmetric',
      tokenWithAsymmetric: true,
      customerGrantType: 'AUTHORIZATION_CODE',
      signing: { minify: 'strip-all', includeQuery: false },
    });
    expect(settings).toEqual({
      profile: 'bri',
      paths: { b2b: '/snap/v1.0/access-token/b2b', b2b2c: '/snap/v2.0/access-token/b2b2c' },
      timestamp: { offset: 'Z', milliseconds: true },
      serviceSignature: 'asymmetric',
      tokenWithAsymmetric: true,
      customerGrantType: 'AUTHORIZATION_CODE',
      signing: { includeQuery: false, emptyBody: '', methodCase: 'upper', minify: 'strip-all' },
    });
  });

  it('a bad profile name is one CONFIG_INVALID naming profile and the names it takes, not the value', () => {
    const secret = `sk_${randomBytes(12).toString('hex')}`;
    const error = catchSync(() => createSnapProvider(base({ profile: secret })));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain("profile must be one of 'aspi', 'pivot', 'bri', 'doku', 'midtrans', 'dana'");
    expectNoSecrets(error, [secret]);
  });

  it('bad overrides are one CONFIG_INVALID naming each, values never echoed', () => {
    const secret = `sk_${randomBytes(12).toString('hex')}`;
    const error = catchSync(() =>
      createSnapProvider(
        base({
          profile: 'dana',
          serviceSignature: secret,
          tokenWithAsymmetric: 'yes',
          customerGrantType: secret,
          paths: { b2b: secret },
          timestamp: { offset: secret, milliseconds: 'no' },
          signing: { minify: secret, methodCase: 'UPPER' },
          headers: { 'X-LATITUDE': '-6.1088410000001', ORIGIN: `www.${secret}\r\n`, 'X-UNKNOWN': secret },
        }),
      ),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    for (const field of [
      "serviceSignature must be 'symmetric' or 'asymmetric'",
      'tokenWithAsymmetric',
      "customerGrantType must be one of 'authorization_code', 'AUTHORIZATION_CODE'",
      'paths.b2b must be a path starting with /',
      'timestamp.offset',
      'timestamp.milliseconds',
      "signing.minify must be 'compact' or 'strip-all'",
      'signing.methodCase',
      'headers.X-LATITUDE must be at most 10 characters',
      'headers.ORIGIN',
      'headers.X-UNKNOWN is not a known option',
    ])
      expect(error.message).toContain(field);
    expect(error.message).toMatch(/^The snap config has 11 problems: /);
    expectNoSecrets(error, [secret]);
  });

  it('a config entry names itself', () => {
    const error = catchSync(() => createSnapProvider(base({ profile: 'bca' }), { entry: 'payments' }));
    expect(error.message).toMatch(/^The config entry "payments" \(snap\) has a problem: profile must be one of/);
  });

  it("another provider's name is refused", () => {
    const error = catchSync(() => createSnapProvider(base({ provider: 'pivot-snap' })));
    expect(error.message).toContain("provider must be 'snap' for a SNAP config");
  });

  it('signing a service call without what it needs names the missing fields', () => {
    const symmetric = createSnapProvider(base({ profile: 'bri' }));
    const request = { method: 'POST', url: '/v1.0/x', body: {}, accessToken: 'token-1' };
    const error = catchSync(() => symmetric.signRequest?.(request));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('clientSecret is required to sign SNAP (bri) service calls (X-SIGNATURE)');
    expect(error.message).toContain('channelId is required to sign SNAP (bri) service calls (CHANNEL-ID)');
    // An asymmetric profile signs with the private key: no client secret needed.
    const asymmetric = createSnapProvider(base({ profile: 'dana', channelId: '95221' }));
    expect(asymmetric.signRequest?.(request).headers['X-SIGNATURE']).toMatch(/==$/);
  });
});
