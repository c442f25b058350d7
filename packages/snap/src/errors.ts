import { jsonResponse, refused, type EmulatedResponse, type Refusal } from '@kunci/core/emulator';

/** SNAP's flat error body. */
export function snapErrorBody(code: string, message: string): Record<string, unknown> {
  return { responseCode: code, responseMessage: message };
}

/** A SNAP error answer: `status + service + case`, its message, and why it was refused. */
export function snapError(
  status: number,
  service: string,
  kase: string,
  message: string,
  refusal: Refusal,
): EmulatedResponse {
  return refused(jsonResponse(status, snapErrorBody(`${status}${service}${kase}`, message)), refusal);
}

/** "Invalid Mandatory Field X": SNAP names the header or field as the client sent it. */
export const snapMissingField = (service: string, field: string, where: 'header' | 'body'): EmulatedResponse =>
  snapError(400, service, '02', `Invalid Mandatory Field ${field}`, { reason: 'missing-field', field, in: where });
