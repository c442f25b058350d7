import { SIGNED_TIMESTAMP, type EmulatedRequest, type Refusal } from '@kunci/core/emulator';
import type { SandboxCall } from './faults';

/** The verdict of a request the emulator accepted. */
export const ACCEPTED = 'accepted';

function timestampVerdict(timestamp: string, now: number): string {
  const at = Date.parse(timestamp);
  if (Number.isNaN(at) || !SIGNED_TIMESTAMP.test(timestamp))
    return `timestamp ${timestamp} is not in the format yyyy-MM-ddTHH:mm:ss±HH:MM`;
  const minutes = Math.abs(at - now) / 60_000;
  const amount = minutes >= 10 ? Math.round(minutes).toString() : minutes.toFixed(1).replace(/\.0$/, '');
  return `timestamp ${timestamp} is ${amount} min ${at < now ? 'behind' : 'ahead of'} the server clock (${new Date(now).toISOString()})`;
}

/**
 * Why the emulator refused a request, in a sentence, from the reason it gave with its answer
 * (`undefined`: the emulator gave none). Every name in it (headers, fields, clients) is the
 * emulator's: the sandbox knows no provider's words.
 */
export function explain(
  provider: string,
  call: SandboxCall,
  request: EmulatedRequest,
  refusal: Refusal | undefined,
  status: number,
  now: number,
): string {
  switch (refusal?.reason) {
    case undefined:
      return `refused with HTTP ${status}`;
    case 'not-found':
      return call === 'service'
        ? `no ${provider} token endpoint at ${request.method} ${request.path} (the sandbox plays its token endpoint only)`
        : `no ${provider} token endpoint at ${request.method} ${request.path}`;
    case 'bad-request':
      return refusal.detail;
    case 'missing-field':
      return refusal.in === 'header'
        ? `the ${refusal.field} header is missing`
        : `body field ${refusal.field} is missing`;
    case 'invalid-field': {
      const what = refusal.in === 'header' ? refusal.field : `body field ${refusal.field}`;
      return `${what}${refusal.value !== undefined ? ` ${refusal.value}` : ''} is not ${refusal.expected}`;
    }
    case 'unknown-client':
      return `${refusal.role} ${refusal.client} is not registered`;
    case 'wrong-secret':
      return `wrong ${refusal.role} secret for ${refusal.role} ${refusal.client}`;
    case 'bad-signature':
      return call === 'service'
        ? `${refusal.header} does not verify with the client secret over ${request.method} ${request.url ?? request.path}, the token, the body and ${refusal.timestampHeader}`
        : `signature does not verify against the registered key for client ${refusal.client}`;
    case 'timestamp':
      return timestampVerdict(refusal.value, now);
    case 'unknown-token':
      return `${refusal.token} (${refusal.header}) is not one issued by the sandbox`;
    case 'expired-token':
      return `${refusal.token} (${refusal.header}) has expired`;
    case 'unknown-grant':
      return 'the auth code is unknown or the refresh token is not the current one (a used, rotated refresh token is refused)';
    case 'wrong-partner':
      return `${refusal.header} ${refusal.value} is not the partner of the token's client`;
    case 'reused-id':
      return `${refusal.header} ${refusal.value} was already used today (reused external id)`;
  }
}
