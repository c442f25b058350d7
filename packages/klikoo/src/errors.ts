import { jsonResponse, type EmulatedResponse } from '@kunci/core/emulator';
import { klikooMessage } from './codes';

/** Klikoo's error envelope. */
export function klikooErrorBody(code: string, message: string): Record<string, unknown> {
  return { response_code: code, response_message: message };
}

/** An error answer; the HTTP status is the code's first three digits, the message Klikoo's own when it documents one. */
export function klikooError(code: string, message = klikooMessage(code) ?? code): EmulatedResponse {
  return jsonResponse(Number(code.slice(0, 3)), klikooErrorBody(code, message));
}
