import { createHash, createHmac, sign, type KeyObject } from 'node:crypto';

// The provider's side, written from protocols.md §6 with node:crypto alone (no kunci code): what
// a SNAP provider sends. A body is an object; the wire carries it compact or pretty-printed, and
// the signed hash is over its compact form (JSON.stringify), which is the minified wire text.

export interface SignedNotification {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** `2026-11-22T10:15:30+07:00`: the Jakarta wall clock of an instant. */
export function jakartaTimestamp(ms: number): string {
  const shifted = new Date(ms + 7 * 3600_000).toISOString().slice(0, 19);
  return `${shifted}+07:00`;
}

const hexSha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export interface NotificationParts {
  path: string;
  body: unknown;
  /** Spaces of pretty-printing on the wire; 0 for compact. */
  indent?: number;
  timestamp: string;
  partnerId: string;
  externalId: string;
  method?: string;
}

function wire(parts: NotificationParts): { text: string; hash: string } {
  return {
    text: JSON.stringify(parts.body, null, parts.indent ?? 0),
    hash: hexSha256(JSON.stringify(parts.body)),
  };
}

function headers(parts: NotificationParts, signature: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-timestamp': parts.timestamp,
    'x-signature': signature,
    'x-partner-id': parts.partnerId,
    'x-external-id': parts.externalId,
    'channel-id': '95221',
  };
}

/** An asymmetric notification: Base64(RSA-SHA256(METHOD:path:hash:timestamp)). */
export function signAsymmetric(privateKey: KeyObject, parts: NotificationParts): SignedNotification {
  const method = parts.method ?? 'POST';
  const { text, hash } = wire(parts);
  const signature = sign('sha256', Buffer.from(`${method}:${parts.path}:${hash}:${parts.timestamp}`), privateKey);
  return { method, url: parts.path, headers: headers(parts, signature.toString('base64')), body: text };
}

/** A symmetric notification: Base64(HMAC-SHA512(secret, METHOD:path:token:hash:timestamp)) with the issued token. */
export function signSymmetric(secret: string, token: string, parts: NotificationParts): SignedNotification {
  const method = parts.method ?? 'POST';
  const { text, hash } = wire(parts);
  const signature = createHmac('sha512', secret)
    .update(`${method}:${parts.path}:${token}:${hash}:${parts.timestamp}`, 'utf8')
    .digest('base64');
  return {
    method,
    url: parts.path,
    headers: { ...headers(parts, signature), authorization: `Bearer ${token}` },
    body: text,
  };
}

/** The provider asking the backend for a token: X-SIGNATURE = Base64(RSA-SHA256(clientId|timestamp)). */
export function signTokenRequest(
  privateKey: KeyObject,
  clientId: string,
  timestamp: string,
  path = '/v1.0/access-token/b2b',
): SignedNotification {
  return {
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/json',
      'x-client-key': clientId,
      'x-timestamp': timestamp,
      'x-signature': sign('sha256', Buffer.from(`${clientId}|${timestamp}`), privateKey).toString('base64'),
    },
    body: '{"grantType":"client_credentials","additionalInfo":{}}',
  };
}
