import { textMatcher } from '../compare';
import type { InboundCommonConfig } from '../config';
import type { DriverContext, DriverDefinition, InboundDriver } from '../driver';
import { JSON_HEADERS, REFUSALS, type AnswerFormat } from '../errors';
import { parseBody, Refused, requiredHeader } from '../request';

// Pivot's payment callbacks, everything this package knows of them: the header that carries the
// merchant's Callback API Key, the answer shape, and that nothing else is signed.

/** Pivot's payment callbacks (`PAYMENT.PAID`, …): unsigned JSON events with a static API key. */
export interface PivotInboundConfig extends InboundCommonConfig {
  provider: 'pivot';
  /** The merchant's Callback API Key from Pivot's dashboard (the value, env: or file:). */
  callbackApiKey: string;
}

export const PIVOT_CALLBACK_HEADER = 'X-API-Key';

/** The error code of Pivot's general envelope for a status (protocols: Pivot legacy). */
const PIVOT_CODES: Readonly<Record<number, string>> = {
  400: 'api_validation_error',
  401: 'credentials_invalid',
  403: 'forbidden_access',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
};

/** Answers in Pivot's own envelope, `{ code, message }`; an acknowledgement is HTTP 200 (what Pivot checks). */
export const PIVOT_FORMAT: AnswerFormat = {
  code: (refused) => PIVOT_CODES[refused.status] ?? 'internal_error',
  body: (code, message) => ({ code, message }),
};

function createPivotDriver({ reader }: DriverContext): InboundDriver {
  const isApiKey = textMatcher(reader.secret('callbackApiKey', true) ?? '');
  reader.finish();
  return {
    format: PIVOT_FORMAT,
    serviceCode: () => '',
    verify(request) {
      const sent = requiredHeader(request, PIVOT_CALLBACK_HEADER, REFUSALS.unknownClient);
      if (!isApiKey(sent))
        throw new Refused(REFUSALS.unknownClient, `the ${PIVOT_CALLBACK_HEADER} header is not the Callback API Key.`);
      const body = parseBody(request.rawBody);
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new Refused(REFUSALS.malformed, 'the callback body is not a JSON object.');
      return Promise.resolve({
        scheme: 'api-key',
        method: request.method,
        path: request.path,
        body,
        rawBody: request.rawBody,
        ack: { status: 200, headers: { ...JSON_HEADERS }, body: PIVOT_FORMAT.body('00', 'Success') },
        claims: [],
      });
    },
  };
}

export const pivotInbound: DriverDefinition = { fields: ['callbackApiKey'], create: createPivotDriver };
