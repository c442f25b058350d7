import { Type } from 'class-transformer';
import { IsObject, IsString, ValidateNested } from 'class-validator';
import {
  buildAccessToken,
  codeFields,
  invalidTokenBody,
  IsBearer,
  IsExpiresIn,
  IsTokenString,
  normalizeResponse,
  rawAnswer,
  validateBody,
  type ProviderAnswer,
  type EnvelopeSpec,
  type TokenFlow,
} from '@kunci/core/provider';
import type { AccessToken, AuthError } from '@kunci/core';
import { PIVOT_LEGACY, PIVOT_LEGACY_SUCCESS, pivotLegacyErrorCode } from './codes';

class PivotLegacyTokenData {
  @IsTokenString() accessToken!: string;
  @IsExpiresIn() expiresIn!: string | number;
  @IsBearer() tokenType!: string;
}

class PivotLegacyTokenBody {
  @IsString() code!: string;
  @IsObject() @ValidateNested() @Type(() => PivotLegacyTokenData) data!: PivotLegacyTokenData;
}

/** `{code, message, data}`: camelCase inside Pivot's general envelope. */
export const pivotLegacyEnvelope: EnvelopeSpec<TokenFlow> = {
  provider: PIVOT_LEGACY,
  readCode: codeFields('code', 'message'),
  isSuccess: (code) => code === PIVOT_LEGACY_SUCCESS,
  mapCode(code, _message, _flow, raw) {
    const error = (raw.json as { error?: { type?: unknown } }).error;
    return pivotLegacyErrorCode(raw.status, code, typeof error?.type === 'string' ? error.type : undefined);
  },
  readToken(body, raw, info) {
    const checked = validateBody(PivotLegacyTokenBody, body);
    if (!checked.ok) return invalidTokenBody(PIVOT_LEGACY, raw, info, checked.problems);
    const { data } = checked.value;
    return buildAccessToken({
      provider: PIVOT_LEGACY,
      raw,
      accessToken: data.accessToken,
      expiresIn: data.expiresIn,
      responseCode: info.code,
      responseMessage: info.message ?? '',
    });
  },
};

/** Pure: a token endpoint's answer (any status), received at `now`, to the token or the error it means. */
export function normalizePivotLegacyResponse(
  answer: ProviderAnswer,
  flow: TokenFlow,
  now: number,
): AccessToken | AuthError {
  return normalizeResponse(rawAnswer(answer, now), pivotLegacyEnvelope, flow);
}
