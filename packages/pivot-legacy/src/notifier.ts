import { randomBytes } from 'node:crypto';
import type { ExpectedAnswer, NotificationVariant, Notifier } from '@kunci/core/emulator';

// Pivot's payment callbacks as Pivot sends them to a merchant's backend: unsigned JSON events with
// the merchant's static Callback API Key in `X-API-Key` (protocols: inbound). Nothing is signed,
// so a changed body, an old event or the same event twice cannot be told apart from a good one:
// only the key and the body's shape are tested.

/** Pivot's side of its callbacks: the merchant's Callback API Key. */
export interface PivotCallbackCredentials {
  callbackApiKey: string;
}

const EXPECTED: Partial<Record<NotificationVariant, readonly ExpectedAnswer[]>> = {
  good: [{ status: 200, description: '200 (accepted)' }],
  'wrong-key': [{ status: 401, code: /^credentials_invalid$/, description: '401, credentials_invalid' }],
  malformed: [{ status: 400, code: /^api_validation_error$/, description: '400, api_validation_error' }],
};

const EXAMPLE = {
  event: 'PAYMENT.PAID',
  data: { id: 'pay_sandbox_0001', amount: { value: 150000, currency: 'IDR' }, status: 'PAID' },
};

export const pivotCallbackNotifier: Notifier<PivotCallbackCredentials> = {
  schemes: ['api-key'],
  variants: () => Object.keys(EXPECTED) as NotificationVariant[],
  generate: () => Promise.resolve({ callbackApiKey: randomBytes(24).toString('base64url') }),
  inboundConfig: (credentials) => ({ provider: 'pivot', callbackApiKey: credentials.callbackApiKey }),
  sign({ credentials, variant, url, body }) {
    const expected = EXPECTED[variant];
    if (expected === undefined)
      return Promise.resolve({
        ok: false,
        step: 'signing',
        answer: undefined,
        problem: `Pivot's callbacks are not signed: a ${variant} callback cannot be told from a good one`,
      });
    return Promise.resolve({
      ok: true,
      request: {
        method: 'POST',
        url,
        headers: {
          'Content-Type': 'application/json',
          'X-API-Key': variant === 'wrong-key' ? randomBytes(24).toString('base64url') : credentials.callbackApiKey,
        },
        body: variant === 'malformed' ? '{"event":"PAYMENT.PAID","data":' : JSON.stringify(body ?? EXAMPLE),
      },
      expected,
    });
  },
  readAnswer(body) {
    const { code, message } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    return typeof code === 'string' ? { code, message: typeof message === 'string' ? message : '' } : undefined;
  },
};
