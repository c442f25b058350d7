import { expect } from '@jest/globals';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { otherKeyPair, testKeyPair } from '../test-kit';
import { loadKeyFile } from '../test-kit/keys';

// The test kit's pairs are kept in a file between test files and runs; what is read from it must
// be two distinct RSA-2048 keys, whatever the file holds.

/** Hands out the given PEMs in turn, and counts the generations asked for. */
function generator(...pems: string[]): { generate: () => string; calls: () => number } {
  let calls = 0;
  return {
    generate: () => {
      const pem = pems[calls++];
      if (pem === undefined) throw new Error('no generation expected');
      return pem;
    },
    calls: () => calls,
  };
}

const pemOf = (type: 'rsa' | 'ec', modulusLength?: number): string =>
  (type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: modulusLength ?? 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  ).privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();

describe('the test kit key pairs', () => {
  const a = testKeyPair().privateKeyPem;
  const b = otherKeyPair().privateKeyPem;
  const made: string[] = [];
  const directory = (): string => {
    const path = mkdtempSync(join(tmpdir(), 'kunci-test-keys-'));
    made.push(path);
    return path;
  };
  afterEach(() => {
    for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
  });

  it('are two distinct RSA-2048 pairs, each in every form the tests use', () => {
    expect(a).not.toBe(b);
    for (const pair of [testKeyPair(), otherKeyPair()]) {
      const key = createPrivateKey(pair.privateKeyPem);
      expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
      const same = (pem: string, passphrase?: string): string =>
        createPrivateKey({ key: pem, ...(passphrase !== undefined ? { passphrase } : {}) })
          .export({ type: 'pkcs8', format: 'pem' })
          .toString();
      expect(same(pair.pkcs1Pem)).toBe(pair.privateKeyPem);
      expect(same(pair.encryptedPem, pair.passphrase)).toBe(pair.privateKeyPem);
      expect(() => createPrivateKey(pair.encryptedPem)).toThrow();
      expect(pair.privateKeyPem.replace(/-----[^-]+-----|\s/g, '')).toBe(pair.base64Body);
      expect(pair.publicKeyPem).toBe(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
      expect(pair.base64Body).toContain(pair.fingerprint);
      expect(pair.fingerprint).toHaveLength(40);
    }
  });

  it('a missing file: both keys generated and written whole; the next load reads them without generating', () => {
    const file = join(directory(), 'cache', 'keys.json');
    const first = generator(a, b);
    expect(loadKeyFile(file, first.generate)).toEqual({ primary: a, other: b });
    expect(first.calls()).toBe(2);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ primary: a, other: b });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(file, '..'))).toEqual(['keys.json']);

    const second = generator();
    expect(loadKeyFile(file, second.generate)).toEqual({ primary: a, other: b });
    expect(second.calls()).toBe(0);
  });

  it.each([
    ['not JSON', () => '{"primary": "-----BEGIN'],
    ['a key missing', () => JSON.stringify({ primary: a })],
    ['the same key twice', () => JSON.stringify({ primary: a, other: a })],
    ['text that is no key', () => JSON.stringify({ primary: a, other: 'not a key' })],
    ['a public key', () => JSON.stringify({ primary: a, other: testKeyPair().publicKeyPem })],
    ['an RSA-1024 key', () => JSON.stringify({ primary: pemOf('rsa', 1024), other: b })],
    ['an EC key', () => JSON.stringify({ primary: a, other: pemOf('ec') })],
  ])('a file holding %s is replaced by a generated pair', (_title, content) => {
    const file = join(directory(), 'keys.json');
    writeFileSync(file, content());
    const made = generator(b, a);
    expect(loadKeyFile(file, made.generate)).toEqual({ primary: b, other: a });
    expect(made.calls()).toBe(2);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ primary: b, other: a });
  });

  it('a file that cannot be written: the generated pair is used, and no partial file is left', () => {
    const parent = directory();
    // A directory where the file should be: the rename over it fails.
    const file = join(parent, 'keys.json');
    mkdirSync(file);
    const made = generator(a, b);
    expect(loadKeyFile(file, made.generate)).toEqual({ primary: a, other: b });
    expect(readdirSync(parent)).toEqual(['keys.json']);
    expect(statSync(file).isDirectory()).toBe(true);
  });
});
