import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catchSync, expectNoSecrets, useStrictNock } from '#test-kit';
import { B2B_PATH, capture, keys, makeProvider, only, signedBy, type SentRequest } from './helpers';

const armour = (text: string): string => text.replace(/\n/g, '');

describe('pivot-snap: private key formats', () => {
  useStrictNock();
  const envName = 'KUNCI_PIVOT_SNAP_TEST_KEY';
  let dir: string | undefined;
  afterEach(() => {
    delete process.env[envName];
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it.each([
    ['PKCS#8 PEM', () => keys.privateKeyPem],
    ['PKCS#1 PEM', () => keys.pkcs1Pem],
    ['a bare Base64 body', () => keys.base64Body],
    ['PEM whose newlines arrived escaped as \\n', () => keys.privateKeyPem.replace(/\n/g, '\\n')],
  ])('signs with %s', async (_title, key) => {
    const sent = capture(B2B_PATH);
    await makeProvider({ privateKey: key() }).fetchToken();
    expect(signedBy(only(sent))).toBe(true);
  });

  it('signs with an encrypted PEM and its passphrase, both given as references', async () => {
    process.env[envName] = keys.passphrase;
    const sent = capture(B2B_PATH);
    await makeProvider({ privateKey: keys.encryptedPem, privateKeyPassphrase: `env:${envName}` }).fetchToken();
    expect(signedBy(only(sent))).toBe(true);
  });

  it('reads the key from env: and from file:', async () => {
    process.env[envName] = keys.privateKeyPem;
    dir = mkdtempSync(join(tmpdir(), 'kunci-snap-'));
    const file = join(dir, 'pivot.pem');
    writeFileSync(file, keys.pkcs1Pem);
    const sent: SentRequest[] = [];
    capture(B2B_PATH, { into: sent });
    capture(B2B_PATH, { into: sent });
    await makeProvider({ privateKey: `env:${envName}` }).fetchToken();
    await makeProvider({ privateKey: `file:${file}` }).fetchToken();
    expect(sent.map((s) => signedBy(s))).toEqual([true, true]);
  });

  it('names a missing variable or file without printing anything else', () => {
    const fromEnv = catchSync(() => makeProvider({ privateKey: `env:${envName}` }));
    const fromFile = catchSync(() => makeProvider({ privateKey: 'file:/nonexistent/kunci/pivot.pem' }));
    expect(fromEnv.message).toContain(`environment variable ${envName}`);
    expect(fromFile.message).toContain('/nonexistent/kunci/pivot.pem');
    expect([fromEnv.code, fromFile.code]).toEqual(['CONFIG_INVALID', 'CONFIG_INVALID']);
  });

  it('an encrypted key without its passphrase, or with a wrong one → CONFIG_INVALID naming privateKeyPassphrase', () => {
    const missing = catchSync(() => makeProvider({ privateKey: keys.encryptedPem }));
    const wrong = catchSync(() =>
      makeProvider({ privateKey: keys.encryptedPem, privateKeyPassphrase: 'Tr0ub4dor&3-wrong' }),
    );
    for (const error of [missing, wrong]) {
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain('privateKeyPassphrase');
      expectNoSecrets(error, [
        keys.fingerprint,
        armour(keys.encryptedPem).slice(120, 160),
        keys.passphrase,
        'Tr0ub4dor&3-wrong',
      ]);
    }
  });

  it.each([
    ['Base64 that is no key', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDsecretmaterialXYZ0123456789'],
    [
      'a PEM with a broken body',
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANsecretmaterialXYZ0123456789AAAA\n-----END PRIVATE KEY-----',
    ],
    ['text that is neither', 'my private key is hunter2-secretmaterialXYZ'],
    ['only spaces', '    '],
  ])('a malformed key (%s) → CONFIG_INVALID that never echoes it', (_title, privateKey) => {
    const error = catchSync(() => makeProvider({ privateKey }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('privateKey');
    expectNoSecrets(error, ['secretmaterialXYZ']);
  });

  it('an EC key → CONFIG_INVALID: SNAP signs with RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const error = catchSync(() => makeProvider({ privateKey: ec }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/privateKey is a ec key; an RSA key is required/);
    expectNoSecrets(error, [armour(ec).slice(60, 100)]);
  });

  it('an RSA-1024 key → CONFIG_INVALID', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const error = catchSync(() => makeProvider({ privateKey: weak }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('RSA-1024');
    expectNoSecrets(error, [armour(weak).slice(100, 140)]);
  });
});
