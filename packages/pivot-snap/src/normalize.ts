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
import { isPivotSnapSuccess, PIVOT_SNAP, PIVOT_SNAP_SUCCESS, pivotSnapErrorCode, type PivotSnapFlow } from './codes';

class PivotSnapB2bBody {
  @IsTokenString() accessToken!: string;
  @IsBearer() tokenType!: string;
  @IsExpiresIn() expiresIn!: string | number;
}

// Absolute times, no expiresIn. The example of Pivot's SNAP access-token page has the refresh token expiring first: each
// expiry is taken as sent, never compared with the other.
class PivotSnapB2b2cBody {
  @IsTokenString() accessToken!: string;
  @IsBearer() tokenType!: string;
  @IsOffsetDateTime() accessTokenExpiryTime!: string;
  @IsOptional() @IsTokenString() refreshToken?: string | null;
  @IsOptional() @IsOffsetDateTime() refreshTokenExpiryTime?: string | null;
}

const FLOW_TOKEN: Record<PivotSnapFlow, string> = { b2b: 'B2B token', b2b2c: 'customer (B2B2C) token' };

/**
 * A success code of the other flow is not a token of this one: a B2B token must never be used as a
 * customer's. It usually means a path points at the other endpoint.
 */
function wrongFlow(raw: RawResponse, info: CodeInfo, flow: PivotSnapFlow): AuthError {
  const other: PivotSnapFlow = flow === 'b2b' ? 'b2b2c' : 'b2b';
  return providerError('RESPONSE_INVALID', PIVOT_SNAP, raw, {
    providerCode: info.code,
    ...(info.message !== undefined ? { providerMessage: info.message } : {}),
    detail: `answered a ${FLOW_TOKEN[flow]} request with the ${other.toUpperCase()} success code, which is not a ${FLOW_TOKEN[flow]} (is paths.${flow} the ${flow.toUpperCase()} endpoint?)`,
  });
}

/** Flat camelCase bodies: `{responseCode, responseMessage, ...token fields}`. */
export const pivotSnapEnvelope: EnvelopeSpec<PivotSnapFlow> = {
  provider: PIVOT_SNAP,
  readCode: codeFields('responseCode', 'responseMessage'),
  isSuccess: (code) => isPivotSnapSuccess(code),
  mapCode: (code, message, flow) => pivotSnapErrorCode(code, message, flow),
  readToken(body, raw, info, flow) {
    if (info.code !== PIVOT_SNAP_SUCCESS[flow]) return wrongFlow(raw, info, flow);
    const common = { provider: PIVOT_SNAP, raw, responseCode: info.code, responseMessage: info.message ?? '' };
    if (flow === 'b2b') {
      const checked = validateBody(PivotSnapB2bBody, body);
      if (!checked.ok) return invalidTokenBody(PIVOT_SNAP, raw, info, checked.problems);
      return buildAccessToken({
        ...common,
        accessToken: checked.value.accessToken,
        expiresIn: checked.value.expiresIn,
      });
    }
    const checked = validateBody(PivotSnapB2b2cBody, body);
    if (!checked.ok) return invalidTokenBody(PIVOT_SNAP, raw, info, checked.problems);
    const value = checked.value;
    return buildAccessToken({
      ...common,
      accessToken: value.accessToken,
      expiresAt: value.accessTokenExpiryTime,
      // A refresh token is optional in Pivot's request, so a body without one still carries a usable token.
      ...(typeof value.refreshToken === 'string' ? { refreshToken: value.refreshToken } : {}),
      ...(typeof value.refreshToken === 'string' && typeof value.refreshTokenExpiryTime === 'string'
        ? { refreshTokenExpiresAt: value.refreshTokenExpiryTime }
        : {}),
    });
  },
};

/** Pure: a token endpoint's answer (any status), received at `now`, to the token or the error it means. */
export function normalizePivotSnapResponse(
  answer: ProviderAnswer,
  flow: PivotSnapFlow,
  now: number,
): AccessToken | AuthError {
  return normalizeResponse(rawAnswer(answer, now), pivotSnapEnvelope, flow);
}
