import { createPrivateKey, type KeyObject } from 'node:crypto';

export type KeyResult = { ok: true; key: KeyObject } | { ok: false; problem: string };

const MIN_RSA_BITS = 2048;

/**
 * PEM as OpenSSL reads it: the blank lines that some editors and pastes put between the lines
 * removed (and trailing spaces or CRs), keeping the one blank line that ends an encrypted PKCS#1
 * key's `Proc-Type:`/`DEK-Info:` headers.
 */
function tidyPem(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const header = (line: string | undefined): boolean => line !== undefined && /^[A-Za-z-]+:/.test(line);
  return `${lines.flatMap((line, i) => (header(line) && !header(lines[i + 1]) ? [line, ''] : [line])).join('\n')}\n`;
}

function parse(text: string, passphrase: string | undefined): KeyObject {
  if (text.includes('-----BEGIN')) {
    return createPrivateKey({ key: tidyPem(text), format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) });
  }
  // A bare Base64 body, as dashboards and env vars often carry it: DER, PKCS#8 first, then PKCS#1.
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new Error('not PEM and not Base64');
  const der = Buffer.from(compact, 'base64');
  try {
    return createPrivateKey({
      key: der,
      format: 'der',
      type: 'pkcs8',
      ...(passphrase !== undefined ? { passphrase } : {}),
    });
  } catch (pkcs8Error) {
    try {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
    } catch {
      throw pkcs8Error;
    }
  }
}

/**
 * Parses a private key once (parsing PEM costs several times the signature itself). Accepts
 * PKCS#8 or PKCS#1 PEM, a bare Base64 DER body, encrypted with a passphrase or not, and PEM whose
 * newlines arrived escaped as `\n` (a common way to put a key in one environment variable).
 * Problems never quote the key; they name the passphrase as `passphraseName` (the config field, or
 * a command's flag).
 */
export function loadPrivateKey(text: string, passphrase?: string, passphraseName = 'privateKeyPassphrase'): KeyResult {
  const normalized = text.includes('\\n') ? text.replace(/\\n/g, '\n') : text;
  let key: KeyObject;
  try {
    key = parse(normalized.trim(), passphrase);
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const reason = typeof message === 'string' ? message : '';
    const encrypted = /ENCRYPTED/.test(normalized);
    if (passphrase === undefined && (encrypted || code === 'ERR_MISSING_PASSPHRASE' || /passphrase/i.test(reason))) {
      return { ok: false, problem: `is encrypted: set ${passphraseName}` };
    }
    if (passphrase !== undefined && (encrypted || /decrypt/i.test(reason))) {
      return { ok: false, problem: `cannot be decrypted with ${passphraseName}` };
    }
    return { ok: false, problem: 'is not a readable private key (PKCS#8 or PKCS#1 PEM, or a Base64 DER body)' };
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return { ok: false, problem: `is a ${key.asymmetricKeyType ?? 'non-RSA'} key; an RSA key is required` };
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS)
    return { ok: false, problem: `is an RSA-${bits} key; at least RSA-${MIN_RSA_BITS} is required` };
  return { ok: true, key };
}
