import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

export type PublicKeyResult = { ok: true; key: KeyObject } | { ok: false; problem: string };

const MIN_RSA_BITS = 2048;

function parse(text: string): KeyObject {
  if (text.includes('-----BEGIN')) return createPublicKey({ key: text, format: 'pem' });
  // A bare Base64 body, as dashboards show it: SPKI DER first, then PKCS#1.
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new Error('not PEM and not Base64');
  const der = Buffer.from(compact, 'base64');
  // createPublicKey derives a public key from a private one: a private key must be refused first.
  if (isPrivateDer(der)) throw new PrivateKeyGiven();
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch (spkiError) {
    try {
      return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    } catch {
      throw spkiError;
    }
  }
}

class PrivateKeyGiven extends Error {}

function isPrivateDer(der: Buffer): boolean {
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      createPrivateKey({ key: der, format: 'der', type });
      return true;
    } catch (error) {
      // An encrypted PKCS#8 key asks for its passphrase: a private key all the same.
      if ((error as { code?: unknown }).code === 'ERR_MISSING_PASSPHRASE') return true;
    }
  }
  return false;
}

/**
 * Parses a provider's public key once: SPKI or PKCS#1 PEM, a bare Base64 DER body, or PEM whose
 * newlines arrived escaped as `\n`. RSA of at least 2048 bits. A private key is refused (only the
 * provider's public half belongs in a backend's config). Problems never quote the key.
 */
export function loadPublicKey(text: string): PublicKeyResult {
  const normalized = (text.includes('\\n') ? text.replace(/\\n/g, '\n') : text).trim();
  if (/PRIVATE KEY/.test(normalized)) return { ok: false, problem: "is a private key: give the provider's public key" };
  let key: KeyObject;
  try {
    key = parse(normalized);
  } catch (error) {
    if (error instanceof PrivateKeyGiven)
      return { ok: false, problem: "is a private key: give the provider's public key" };
    return { ok: false, problem: 'is not a readable public key (SPKI or PKCS#1 PEM, or a Base64 DER body)' };
  }
  if (key.asymmetricKeyType !== 'rsa')
    return { ok: false, problem: `is a ${key.asymmetricKeyType ?? 'non-RSA'} key; an RSA key is required` };
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS)
    return { ok: false, problem: `is an RSA-${bits} key; at least RSA-${MIN_RSA_BITS} is required` };
  return { ok: true, key };
}
