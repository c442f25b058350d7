import { normalizeResponse, rawAnswer, type ProviderAnswer } from '@kunci/core/provider';
import type { AccessToken, AuthError } from '@kunci/core';
import { createSnapEnvelope } from '@kunci/snap';
import { PIVOT_SNAP, type PivotSnapFlow } from './codes';

/** SNAP's flat camelCase bodies under the name pivot-snap (tokens and errors carry it). */
export const pivotSnapEnvelope = createSnapEnvelope(PIVOT_SNAP);

/** Pure: a token endpoint's answer (any status), received at `now`, to the token or the error it means. */
export function normalizePivotSnapResponse(
  answer: ProviderAnswer,
  flow: PivotSnapFlow,
  now: number,
): AccessToken | AuthError {
  return normalizeResponse(rawAnswer(answer, now), pivotSnapEnvelope, flow);
}
