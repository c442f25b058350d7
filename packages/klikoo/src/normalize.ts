import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
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
} from '@kunci/core/provider';
import type { AccessToken, AuthError } from '@kunci/core';
import { KLIKOO, KLIKOO_SUCCESS, klikooErrorCode } from './codes';
import type { KlikooFlow } from './request';

class KlikooTokenData {
  @IsTokenString() access_token!: string;
  @IsBearer() token_type!: string;
  @IsExpiresIn() expires_in!: number | string;
}

// response_code is not re-checked here: readCode already read it (as a string or a number).
class KlikooTokenBody {
  @IsObject() @ValidateNested() @Type(() => KlikooTokenData) data!: KlikooTokenData;
}

/** `{response_code, response_message, data}`: snake_case inside Klikoo's envelope. */
export const klikooEnvelope: EnvelopeSpec<KlikooFlow> = {
  provider: KLIKOO,
  readCode: codeFields('response_code', 'response_message'),
  isSuccess: (code) => code === KLIKOO_SUCCESS,
  mapCode: (code) => klikooErrorCode(code),
  readToken(body, raw, info) {
    const checked = validateBody(KlikooTokenBody, body);
    if (!checked.ok) return invalidTokenBody(KLIKOO, raw, info, checked.problems);
    const { data } = checked.value;
    return buildAccessToken({
      provider: KLIKOO,
      raw,
      accessToken: data.access_token,
      expiresIn: data.expires_in,
      responseCode: info.code,
      responseMessage: info.message ?? '',
    });
  },
};

/** Pure: a token endpoint's answer (any status), received at `now`, to the token or the error it means. */
export function normalizeKlikooResponse(
  answer: ProviderAnswer,
  flow: KlikooFlow,
  now: number,
): AccessToken | AuthError {
  return normalizeResponse(rawAnswer(answer, now), klikooEnvelope, flow);
}
