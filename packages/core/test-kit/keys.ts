import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

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

function make(): TestKeyPair {
  const passphrase = 'correct horse battery staple';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const base64Body = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  return {
    privateKeyPem,
    pkcs1Pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    base64Body,
    encryptedPem: privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString(),
    passphrase,
    publicKey: createPublicKey(privateKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: base64Body.slice(200, 240),
  };
}

let primary: TestKeyPair | undefined;
let other: TestKeyPair | undefined;

/** One RSA-2048 pair per test process (generating one takes tens of milliseconds). */
export function testKeyPair(): TestKeyPair {
  return (primary ??= make());
}

/** A second pair, for "signed with the wrong key" cases. */
export function otherKeyPair(): TestKeyPair {
  return (other ??= make());
}
