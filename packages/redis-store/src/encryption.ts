import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { resolveSecret } from '@kunci/core/provider';

/** One key or several: the first encrypts, every one decrypts (the older ones during a rotation). */
export type EncryptionKeyOption = string | readonly string[];

export interface EncryptionKey {
  /** Derived from the key (an HMAC, not the key): names the key in each entry without revealing it. */
  readonly id: string;
  readonly bytes: Buffer;
}

/** An encrypted entry as Redis holds it: nothing in it is a usable token. */
interface SealedEntry {
  kunci: 'aes-256-gcm';
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}={0,1}$/;

function decodeKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (HEX_KEY.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!BASE64_KEY.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/**
 * Reads each key reference (`env:NAME`, `file:PATH` or the value) as 32 bytes in hex or Base64.
 * Returns the keys, current first, or the problems (naming the option, never a value).
 */
export function readEncryptionKeys(option: EncryptionKeyOption): { keys: EncryptionKey[] } | { problems: string[] } {
  const references: readonly unknown[] = typeof option === 'string' ? [option] : option;
  const problems: string[] = [];
  const keys: EncryptionKey[] = [];
  if (!Array.isArray(references) || references.length === 0)
    return { problems: ['encryptionKey must be a key or a non-empty list of keys'] };
  references.forEach((reference, index) => {
    const path = typeof option === 'string' ? 'encryptionKey' : `encryptionKey[${index}]`;
    if (typeof reference !== 'string' || reference.trim() === '')
      return problems.push(`${path} must be a non-empty string`);
    const secret = resolveSecret(reference);
    if (!secret.ok) return problems.push(`${path} ${secret.problem}`);
    const bytes = decodeKey(secret.value);
    if (bytes === undefined) return problems.push(`${path} must be 32 bytes written as 64 hex digits or Base64`);
    const id = createHmac('sha256', bytes).update('kunci redis-store key id').digest('hex').slice(0, 16);
    if (keys.some((key) => key.id === id)) return problems.push(`${path} repeats an earlier key`);
    return keys.push({ id, bytes });
  });
  return problems.length > 0 ? { problems } : { keys };
}

/**
 * Names a cache key in Redis without revealing it: each `:`-separated part (the provider, the
 * client id, a customer's auth code) becomes an HMAC under a key derived from the last encryption
 * key of the list, so that putting a new key first (a rotation's first step) keeps the names.
 * The parts stay apart so that every key under a prefix of whole parts still shares a prefix.
 */
export class KeyNamer {
  readonly #key: Buffer;

  constructor(keys: readonly EncryptionKey[]) {
    const naming = keys[keys.length - 1];
    if (naming === undefined) throw new RangeError('KeyNamer needs at least one key');
    this.#key = createHmac('sha256', naming.bytes).update('kunci redis-store key names').digest();
  }

  part(text: string): string {
    return createHmac('sha256', this.#key).update(text, 'utf8').digest('hex').slice(0, 32);
  }

  name(key: string): string {
    return key
      .split(':')
      .map((part) => this.part(part))
      .join(':');
  }

  /**
   * The named form of a prefix: its whole parts named, and a trailing `:`. A prefix that ends inside
   * a part cannot be matched through an HMAC: it widens to the whole parts before it.
   */
  prefix(prefix: string): string {
    const parts = prefix.split(':');
    parts.pop();
    return parts.map((part) => `${this.part(part)}:`).join('');
  }
}

/**
 * AES-256-GCM with a random 96-bit IV. The Redis key is the additional data: an entry copied
 * under another key (another client's, another customer's) does not decrypt.
 */
export function seal(plain: string, key: EncryptionKey, redisKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(Buffer.from(redisKey, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const entry: SealedEntry = {
    kunci: 'aes-256-gcm',
    kid: key.id,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  return JSON.stringify(entry);
}

/** The plain text of a sealed entry, or undefined: not sealed, an unknown key, or tampered with. */
export function unseal(text: string, keys: readonly EncryptionKey[], redisKey: string): string | undefined {
  let entry: Partial<SealedEntry>;
  try {
    entry = JSON.parse(text) as Partial<SealedEntry>;
  } catch {
    return undefined;
  }
  if (
    entry?.kunci !== 'aes-256-gcm' ||
    typeof entry.iv !== 'string' ||
    typeof entry.tag !== 'string' ||
    typeof entry.data !== 'string'
  ) {
    return undefined;
  }
  const key = keys.find((candidate) => candidate.id === entry.kid);
  if (key === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(entry.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(redisKey, 'utf8'));
    decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
