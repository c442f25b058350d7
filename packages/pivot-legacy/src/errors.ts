import { randomBytes } from 'node:crypto';

/** Pivot's general error envelope. */
export function pivotLegacyErrorBody(
  code: string,
  message: string,
  type = 'API_ERROR',
  details: unknown[] = [],
): Record<string, unknown> {
  return { code, message, error: { type, details, trace_id: randomBytes(8).toString('hex') } };
}
