import { inspect } from 'node:util';
import { maskToken } from './redact';

export type ProviderName = 'pivot-snap' | 'pivot-legacy' | 'klikoo' | 'snap' | (string & {});

/** The one token shape every provider and flow lands on. */
export interface AccessToken {
  /** The bearer credential. */
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Seconds of validity, counted from `issuedAt`. */
  readonly expiresIn: number;
  readonly expiresAt: Date;
  /** When the response arrived. */
  readonly issuedAt: Date;
  /** B2B2C only. */
  readonly refreshToken?: string | undefined;
  readonly refreshTokenExpiresAt?: Date | undefined;
  readonly provider: ProviderName;
  /** The provider's success code: `2007300`, `2007400`, `00`, `200012000`. */
  readonly responseCode: string;
  readonly responseMessage: string;
}

export type AccessTokenFields = {
  -readonly [K in keyof AccessToken]: AccessToken[K];
};

// The fields are plain and enumerable (a user may read or spread them); only the printed forms
// are masked, so that logging a token, or an object holding one, never leaks it.
class NormalizedAccessToken implements AccessToken {
  readonly accessToken!: string;
  readonly tokenType!: 'Bearer';
  readonly expiresIn!: number;
  readonly expiresAt!: Date;
  readonly issuedAt!: Date;
  readonly refreshToken?: string | undefined;
  readonly refreshTokenExpiresAt?: Date | undefined;
  readonly provider!: ProviderName;
  readonly responseCode!: string;
  readonly responseMessage!: string;

  constructor(fields: AccessTokenFields) {
    Object.assign(this, fields);
    if (fields.refreshToken === undefined) delete (this as { refreshToken?: string }).refreshToken;
    if (fields.refreshTokenExpiresAt === undefined) {
      delete (this as { refreshTokenExpiresAt?: Date }).refreshTokenExpiresAt;
    }
    Object.freeze(this);
  }

  toJSON(): Record<string, unknown> {
    return {
      accessToken: maskToken(this.accessToken),
      tokenType: this.tokenType,
      expiresIn: this.expiresIn,
      expiresAt: this.expiresAt.toISOString(),
      issuedAt: this.issuedAt.toISOString(),
      ...(this.refreshToken !== undefined ? { refreshToken: maskToken(this.refreshToken) } : {}),
      ...(this.refreshTokenExpiresAt !== undefined
        ? { refreshTokenExpiresAt: this.refreshTokenExpiresAt.toISOString() }
        : {}),
      provider: this.provider,
      responseCode: this.responseCode,
      responseMessage: this.responseMessage,
    };
  }

  [inspect.custom](_depth: number, options: { stylize?: unknown }): string {
    return `AccessToken ${inspect(this.toJSON(), { ...options, customInspect: false } as object)}`;
  }
}

export function createAccessToken(fields: AccessTokenFields): AccessToken {
  return new NormalizedAccessToken(fields);
}

/** For stores that keep tokens outside the process (Redis): the full, unmasked token as JSON text. */
export function serializeAccessToken(token: AccessToken): string {
  return JSON.stringify({
    v: 1,
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    expiresIn: token.expiresIn,
    expiresAt: token.expiresAt.getTime(),
    issuedAt: token.issuedAt.getTime(),
    refreshToken: token.refreshToken,
    refreshTokenExpiresAt: token.refreshTokenExpiresAt?.getTime(),
    provider: token.provider,
    responseCode: token.responseCode,
    responseMessage: token.responseMessage,
  });
}

/** The inverse of serializeAccessToken; undefined for anything that is not one (a store is not trusted). */
export function deserializeAccessToken(text: string): AccessToken | undefined {
  let raw: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    raw = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const str = (v: unknown): v is string => typeof v === 'string';
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (raw.v !== 1 || !str(raw.accessToken) || raw.tokenType !== 'Bearer' || !num(raw.expiresIn)) return undefined;
  if (!num(raw.expiresAt) || !num(raw.issuedAt) || !str(raw.provider) || !str(raw.responseCode)) return undefined;
  if (!str(raw.responseMessage)) return undefined;
  if (raw.refreshToken !== undefined && !str(raw.refreshToken)) return undefined;
  if (raw.refreshTokenExpiresAt !== undefined && !num(raw.refreshTokenExpiresAt)) return undefined;
  return createAccessToken({
    accessToken: raw.accessToken,
    tokenType: 'Bearer',
    expiresIn: raw.expiresIn,
    expiresAt: new Date(raw.expiresAt),
    issuedAt: new Date(raw.issuedAt),
    refreshToken: raw.refreshToken,
    refreshTokenExpiresAt: num(raw.refreshTokenExpiresAt) ? new Date(raw.refreshTokenExpiresAt) : undefined,
    provider: raw.provider,
    responseCode: raw.responseCode,
    responseMessage: raw.responseMessage,
  });
}
