import { IsOptional } from 'class-validator';
import {
  buildAccessToken,
  codeFields,
  invalidTokenBody,
  IsBearer,
  IsExpiresIn,
  IsOffsetDateTime,
  IsTokenString,
  providerError,
  normalizeResponse,
  rawAnswer,
  validateBody,
  type ProviderAnswer,
  type CodeInfo,
  type EnvelopeSpec,
  type RawResponse,
} from '@kunci/core/provider';
import type { AccessToken, AuthError } from '@kunci/core';
import { isSnapTokenSuccess, SNAP, SNAP_SUCCESS, snapErrorCode, type SnapFlow } from './codes';

class SnapB2bBody {
  @IsTokenString() accessToken!: string;
  @IsBearer() tokenType!: string;
  // A string at ASPI and Pivot ("900"), a number at others: both are read.
  @IsExpiresIn() expiresIn!: string | number;
}

// Absolute times, no expiresIn. Pivot's example has the refresh token expiring first: each expiry
// is taken as sent, never compared with the other.
class SnapB2b2cBody {
  @IsTokenString() accessToken!: string;
  @IsBearer() tokenType!: string;
  @IsOffsetDateTime() accessTokenExpiryTime!: string;
  @IsOptional() @IsTokenString() refreshToken?: string | null;
  @IsOptional() @IsOffsetDateTime() refreshTokenExpiryTime?: string | null;
}

const FLOW_TOKEN: Record<SnapFlow, string> = { b2b: 'B2B token', b2b2c: 'customer (B2B2C) token' };

/**
 * A success code of the other flow is not a token of this one: a B2B token must never be used as a
 * customer's. It usually means a path points at the other endpoint.
 */
function wrongFlow(provider: string, raw: RawResponse, info: CodeInfo, flow: SnapFlow): AuthError {
  const other: SnapFlow = flow === 'b2b' ? 'b2b2c' : 'b2b';
  return providerError('RESPONSE_INVALID', provider, raw, {
    providerCode: info.code,
    ...(info.message !== undefined ? { providerMessage: info.message } : {}),
    detail: `answered a ${FLOW_TOKEN[flow]} request with the ${other.toUpperCase()} success code, which is not a ${FLOW_TOKEN[flow]} (is paths.${flow} the ${flow.toUpperCase()} endpoint?)`,
  });
}

/**
 * SNAP's flat camelCase bodies, `{responseCode, responseMessage, ...token fields}`, for a provider
 * of that name (errors and tokens carry it).
 */
export function createSnapEnvelope(provider: string): EnvelopeSpec<SnapFlow> {
  return {
    provider,
    readCode: codeFields('responseCode', 'responseMessage'),
    isSuccess: (code) => isSnapTokenSuccess(code),
    mapCode: (code, message, flow) => snapErrorCode(code, message, flow),
    readToken(body, raw, info, flow) {
      if (info.code !== SNAP_SUCCESS[flow]) return wrongFlow(provider, raw, info, flow);
      const common = { provider, raw, responseCode: info.code, responseMessage: info.message ?? '' };
      if (flow === 'b2b') {
        const checked = validateBody(SnapB2bBody, body);
        if (!checked.ok) return invalidTokenBody(provider, raw, info, checked.problems);
        return buildAccessToken({
          ...common,
          accessToken: checked.value.accessToken,
          expiresIn: checked.value.expiresIn,
        });
      }
      const checked = validateBody(SnapB2b2cBody, body);
      if (!checked.ok) return invalidTokenBody(provider, raw, info, checked.problems);
      const value = checked.value;
      return buildAccessToken({
        ...common,
        accessToken: value.accessToken,
        expiresAt: value.accessTokenExpiryTime,
        // A refresh token is optional in the request, so a body without one still carries a usable token.
        ...(typeof value.refreshToken === 'string' ? { refreshToken: value.refreshToken } : {}),
        ...(typeof value.refreshToken === 'string' && typeof value.refreshTokenExpiryTime === 'string'
          ? { refreshTokenExpiresAt: value.refreshTokenExpiryTime }
          : {}),
      });
    },
  };
}

export const snapEnvelope: EnvelopeSpec<SnapFlow> = createSnapEnvelope(SNAP);

/** Pure: a token endpoint's answer (any status), received at `now`, to the token or the error it means. */
export function normalizeSnapResponse(answer: ProviderAnswer, flow: SnapFlow, now: number): AccessToken | AuthError {
  return normalizeResponse(rawAnswer(answer, now), snapEnvelope, flow);
}
