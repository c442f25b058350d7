import { expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPrivateKey } from '../src/keys';
import { MAX_SECRET_FILE_BYTES, resolveSecret } from '../src/secrets';
import { testKeyPair } from '../test-kit';

describe('loadPrivateKey', () => {
  const pair = testKeyPair();

  it.each([
    ['PKCS#8 PEM', () => pair.privateKeyPem],
    ['PKCS#1 PEM', () => pair.pkcs1Pem],
    ['a bare Base64 PKCS#8 body', () => pair.base64Body],
    ['a bare Base64 body with line breaks', () => pair.base64Body.replace(/(.{64})/g, '$1\n')],
    ['a PKCS#1 body without armour', () => pair.pkcs1Pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')],
    ['PEM with escaped newlines (one env var line)', () => pair.privateKeyPem.replace(/\n/g, '\\n')],
  ])('reads %s', (_title, text) => {
    const result = loadPrivateKey(text());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('reads an encrypted PEM with its passphrase, and says what is wrong without it', () => {
    expect(loadPrivateKey(pair.encryptedPem, pair.passphrase).ok).toBe(true);
    expect(loadPrivateKey(pair.encryptedPem)).toEqual({ ok: false, problem: 'is encrypted: set privateKeyPassphrase' });
    expect(loadPrivateKey(pair.encryptedPem, 'wrong passphrase')).toEqual({
      ok: false,
      problem: 'cannot be decrypted with privateKeyPassphrase',
    });
  });

  it.each([
    ['garbage', 'hello world'],
    ['a truncated PEM', pair.privateKeyPem.slice(0, 300)],
    ['a public key', pair.publicKeyPem],
    ['Base64 that is no key', Buffer.from('not a key at all').toString('base64')],
  ])('refuses %s without quoting it', (_title, text) => {
    const result = loadPrivateKey(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).not.toContain(pair.fingerprint);
      expect(result.problem.length).toBeLessThan(200);
    }
  });

  describe('PEM with blank lines between its lines', () => {
    const encryptedPkcs1 = (): string =>
      createPrivateKey(pair.privateKeyPem)
        .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: pair.passphrase })
        .toString();
    // Every line followed by one to three blank lines, some with spaces or a CR.
    const spread = (pem: string): string =>
      pem
        .trimEnd()
        .split('\n')
        .map((line, i) => `${line}\n${['', ' ', '\r', '\t '].slice(0, 1 + (i % 3)).join('\n')}`)
        .join('\n');

    it.each([
      ['PKCS#8', () => pair.privateKeyPem, undefined],
      ['PKCS#1', () => pair.pkcs1Pem, undefined],
      ['encrypted PKCS#8', () => pair.encryptedPem, pair.passphrase],
      ['encrypted PKCS#1 (with its Proc-Type and DEK-Info headers)', encryptedPkcs1, pair.passphrase],
    ])('reads %s', (_title, pem, passphrase) => {
      const text = spread(pem());
      expect(text).toMatch(/\n\s*\n/);
      const result = loadPrivateKey(text, passphrase);
      expect(result.ok ? result.key.asymmetricKeyDetails?.modulusLength : result.problem).toBe(2048);
      if (passphrase !== undefined) expect(loadPrivateKey(text, 'wrong passphrase').ok).toBe(false);
    });
  });

  it('refuses non-RSA and short RSA keys', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(loadPrivateKey(ec)).toEqual({ ok: false, problem: 'is a ec key; an RSA key is required' });
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(loadPrivateKey(short)).toEqual({ ok: false, problem: 'is an RSA-1024 key; at least RSA-2048 is required' });
  });
});

describe('resolveSecret', () => {
  it('takes the value itself', () => {
    expect(resolveSecret('s3cr3t')).toEqual({ ok: true, value: 's3cr3t' });
  });
  it('reads env:NAME and names a missing variable, not a value', () => {
    expect(resolveSecret('env:KUNCI_TEST_SECRET', { KUNCI_TEST_SECRET: 'from-env' })).toEqual({
      ok: true,
      value: 'from-env',
    });
    expect(resolveSecret('env:KUNCI_MISSING', {})).toEqual({
      ok: false,
      problem: 'refers to environment variable KUNCI_MISSING, which is not set or empty',
    });
    expect(resolveSecret('env:not valid', {})).toEqual({ ok: false, problem: 'names an invalid environment variable' });
  });
  it('reads file:PATH and names an unreadable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kunci-'));
    const path = join(dir, 'secret.txt');
    writeFileSync(path, 'from-file\n');
    expect(resolveSecret(`file:${path}`)).toEqual({ ok: true, value: 'from-file\n' });
    const missing = resolveSecret(`file:${join(dir, 'nope.pem')}`);
    expect(missing).toEqual({ ok: false, problem: expect.stringContaining('cannot be read (ENOENT)') as unknown });
    writeFileSync(join(dir, 'empty'), '  \n');
    expect(resolveSecret(`file:${join(dir, 'empty')}`).ok).toBe(false);
  });

  it('reads a file with a bound: a file over 1 MiB, a device or a FIFO is a problem, not a hang or a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kunci-'));
    writeFileSync(join(dir, 'exact'), 'k'.repeat(MAX_SECRET_FILE_BYTES));
    expect(resolveSecret(`file:${join(dir, 'exact')}`)).toEqual({ ok: true, value: 'k'.repeat(MAX_SECRET_FILE_BYTES) });
    writeFileSync(join(dir, 'big'), 'k'.repeat(MAX_SECRET_FILE_BYTES + 1));
    expect(resolveSecret(`file:${join(dir, 'big')}`)).toEqual({
      ok: false,
      problem: `refers to file ${join(dir, 'big')}, which is larger than 1 MiB`,
    });
    expect(resolveSecret('file:/dev/zero')).toEqual({
      ok: false,
      problem: 'refers to file /dev/zero, which is not a regular file (a device, FIFO or socket)',
    });
    // A FIFO nobody writes to: opening or reading it would wait forever.
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(resolveSecret(`file:${fifo}`)).toEqual({
      ok: false,
      problem: `refers to file ${fifo}, which is not a regular file (a device, FIFO or socket)`,
    });
    expect(resolveSecret(`file:${dir}`)).toEqual({
      ok: false,
      problem: `refers to file ${dir}, which cannot be read (EISDIR)`,
    });
  });
});
