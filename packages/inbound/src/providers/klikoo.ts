import { isIP } from 'node:net';
import type { InboundCommonConfig } from '../config';
import type { DriverContext, DriverDefinition, InboundDriver } from '../driver';
import { JSON_HEADERS, REFUSALS, type AnswerFormat } from '../errors';
import { parseBody, Refused } from '../request';

// Klikoo's purchase callback, everything this package knows of it. Klikoo documents no signature,
// no token and no key for it: nothing here can prove that Klikoo sent a callback. What can be
// checked is checked (the sender's address against a list, the body's shape); the backend should
// confirm a callback with Klikoo's transaction-detail API before acting on it.

/** Klikoo's purchase callback: JSON, unsigned. */
export interface KlikooInboundConfig extends InboundCommonConfig {
  provider: 'klikoo';
  /** The addresses Klikoo's callbacks come from (ask Klikoo's team); others are refused. Default: any. */
  allowedAddresses?: readonly string[] | undefined;
}

/** The fields of the documented callback body that must be strings. */
export const KLIKOO_CALLBACK_FIELDS = [
  'response_code',
  'response_message',
  'partner_reference_id',
  'transaction_id',
  'transaction_status',
] as const;

/** Klikoo's envelope, `{ response_code, response_message }`; the code is the HTTP status (no callback codes are documented). */
export const KLIKOO_FORMAT: AnswerFormat = {
  code: (refused) => String(refused.status),
  body: (code, message) => ({ response_code: code, response_message: message }),
};

/** `::ffff:10.0.0.1` and `10.0.0.1` are one sender. */
const plainAddress = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase();

function createKlikooDriver({ reader }: DriverContext): InboundDriver {
  const given = reader.config.allowedAddresses;
  let allowed: Set<string> | undefined;
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length === 0 || given.some((a) => typeof a !== 'string' || isIP(a) === 0))
      reader.problems.push('allowedAddresses must be a list of IP addresses');
    else allowed = new Set((given as string[]).map(plainAddress));
  }
  reader.finish();
  return {
    format: KLIKOO_FORMAT,
    serviceCode: () => '',
    verify(request) {
      if (allowed !== undefined) {
        const from = request.remoteAddress;
        if (from === undefined || !allowed.has(plainAddress(from)))
          throw new Refused(REFUSALS.source, 'the callback came from an address not in allowedAddresses.');
      }
      const body = parseBody(request.rawBody);
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new Refused(REFUSALS.malformed, 'the callback body is not a JSON object.');
      for (const field of KLIKOO_CALLBACK_FIELDS)
        if (typeof (body as Record<string, unknown>)[field] !== 'string')
          throw new Refused(REFUSALS.malformed, `the callback body has no string ${field}.`);
      return Promise.resolve({
        scheme: 'unsigned',
        method: request.method,
        path: request.path,
        body,
        rawBody: request.rawBody,
        ack: { status: 200, headers: { ...JSON_HEADERS }, body: KLIKOO_FORMAT.body('200', 'Success') },
        claims: [],
      });
    },
  };
}

export const klikooInbound: DriverDefinition = { fields: ['allowedAddresses'], create: createKlikooDriver };
