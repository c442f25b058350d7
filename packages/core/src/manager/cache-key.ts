import type { TokenProvider, TokenRequest } from '../provider';
import { maskToken } from '../redact';

/** Whose token a key names: the provider and the client id are the B2B part of every key. */
export type CacheKeyOwner = Pick<TokenProvider, 'provider' | 'clientId'>;

// A client id or auth code holding the separator would otherwise produce another customer's key.
function escapePart(part: string): string {
  return part.includes(':') || part.includes('%') ? part.replace(/%/g, '%25').replace(/:/g, '%3A') : part;
}

/** `provider:clientId` for the B2B token, `provider:clientId:authCode` for a B2B2C customer's token. */
export function cacheKey(owner: CacheKeyOwner, request?: TokenRequest): string {
  const base = baseCacheKey(owner);
  return request?.authCode === undefined ? base : customerCacheKey(base, request.authCode);
}

export function baseCacheKey(owner: CacheKeyOwner): string {
  return `${escapePart(owner.provider)}:${escapePart(owner.clientId)}`;
}

export function customerCacheKey(base: string, authCode: string): string {
  return `${base}:${escapePart(authCode)}`;
}

/** The auth code identifies a customer: logs get its first characters only. */
export function maskCacheKey(key: string, base: string): string {
  return key.length > base.length && key.startsWith(`${base}:`)
    ? `${base}:${maskToken(key.slice(base.length + 1)) ?? ''}`
    : key;
}
