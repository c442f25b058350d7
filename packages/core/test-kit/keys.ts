import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TestKeyPair {
  /** PKCS#8 PEM */
  privateKeyPem: string;
  pkcs1Pem: string;
  /** The PKCS#8 DER body in Base64, no armour */
  base64Body: string;
  encryptedPem: string;
  passphrase: string;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** A run of the key's Base64 that must never appear in any output. */
  fingerprint: string;
}

/**
 * Where the two private keys are kept between test files and between runs: an RSA-2048
 * generation costs ~150 ms of CPU, and jest loads this module afresh for every test file. These
 * are throwaway test keys, nobody's secret. The name carries the format's version; a file that is
 * missing or holds anything but two distinct RSA-2048 private keys is replaced, so a stale or
 * damaged one costs a generation, never a wrong key.
 */
const CACHE_FILE = join(__dirname, '..', '..', '..', 'node_modules', '.cache', 'kunci', 'test-keys-v1.json');

/** The two private keys (PKCS#8 PEM) the pairs are made of. */
export interface KeyFileContent {
  primary: string;
  other: string;
}

function isRsa2048(pem: unknown): pem is string {
  if (typeof pem !== 'string') return false;
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'rsa' && key.asymmetricKeyDetails?.modulusLength === 2048;
  } catch {
    return false;
  }
}

function readKeyFile(file: string): KeyFileContent | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeyFileContent>;
    return isRsa2048(value.primary) && isRsa2048(value.other) && value.primary !== value.other
      ? { primary: value.primary, other: value.other }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Writes to a file of its own, then renames it over `file`: a reader (another jest worker) sees all or nothing. */
function writeKeyFile(file: string, content: KeyFileContent): void {
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(partial, JSON.stringify(content), { mode: 0o600 });
    renameSync(partial, file);
  } catch {
    // Not kept (a read-only tree): the next test file generates again.
    rmSync(partial, { force: true });
  }
}

const generatePem = (): string =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/**
 * The two keys `file` holds; when it holds no valid pair, two keys from `generate`, written there.
 * Two workers that both miss each generate and write: each uses its own pair, and the file ends up
 * holding one whole pair.
 */
export function loadKeyFile(file: string, generate: () => string = generatePem): KeyFileContent {
  const kept = readKeyFile(file);
  if (kept !== undefined) return kept;
  const made = { primary: generate(), other: generate() };
  writeKeyFile(file, made);
  return made;
}

let keys: KeyFileContent | undefined;
const cachedKeys = (): KeyFileContent => (keys ??= loadKeyFile(CACHE_FILE));

function make(pem: string): TestKeyPair {
  const passphrase = 'correct horse battery staple';
  const privateKey = createPrivateKey(pem);
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const base64Body = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  const publicKey = createPublicKey(privateKey);
  return {
    privateKeyPem,
    pkcs1Pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    base64Body,
    encryptedPem: privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString(),
    passphrase,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: base64Body.slice(200, 240),
  };
}

let primary: TestKeyPair | undefined;
let other: TestKeyPair | undefined;

/** One RSA-2048 pair for every test file (kept on disk: see CACHE_FILE). */
export function testKeyPair(): TestKeyPair {
  return (primary ??= make(cachedKeys().primary));
}

/** A second pair, distinct from the first, for "signed with the wrong key" cases. */
export function otherKeyPair(): TestKeyPair {
  return (other ??= make(cachedKeys().other));
}
