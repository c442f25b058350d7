import type { AuthError } from '@kunci/core';

/** One request as the backend received it: the raw body, never a parsed or re-serialized one. */
export interface InboundRequest {
  /** `POST`, as received. */
  method: string;
  /** The request target as received: path and query (`req.originalUrl` in Express), or an absolute URL. */
  url: string;
  /** Header names in any case (node gives them lower-cased); a repeated header is refused. */
  headers: Readonly<Record<string, string | readonly string[] | number | undefined>>;
  /** The body as it arrived: the bytes (a Buffer or Uint8Array) or their UTF-8 text. */
  body: Uint8Array | string;
  /** The sender's address (`req.socket.remoteAddress`), for a source allow-list. */
  remoteAddress?: string | undefined;
}

/** What to send back: the status, the headers and the JSON body. */
export interface InboundAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** Why a request was refused, for the backend's log (never sent: only `body` goes on the wire). */
  error?: AuthError | undefined;
}

/** The signature scheme a provider's notifications use (protocols: SNAP notifications). */
export type NotificationScheme = 'asymmetric' | 'symmetric';

/** A notification that passed every check. */
export interface InboundNotification {
  /** The inbound's name (its profile, else its provider). */
  readonly provider: string;
  /** `asymmetric`, `symmetric`, or how a non-SNAP callback was checked (`api-key`, `unsigned`). */
  readonly scheme: NotificationScheme | 'api-key' | 'unsigned';
  readonly method: string;
  /** The path signed (query included), as received. */
  readonly path: string;
  /** The client that sent it (`X-PARTNER-ID`), when the scheme names one. */
  readonly clientId?: string | undefined;
  /** `X-EXTERNAL-ID`, when the scheme has one. */
  readonly externalId?: string | undefined;
  /** `X-TIMESTAMP`, when the scheme has one. */
  readonly timestamp?: Date | undefined;
  /** The body, parsed once from the bytes verified. */
  readonly body: unknown;
  /** The body's text, exactly as verified. */
  readonly rawBody: string;
  /** The acknowledgement `reply(notification)` sends (SNAP: `200` + service code + `00`). */
  readonly ack: InboundAnswer;
  /** The store keys that mark it as seen; `release` drops them. */
  readonly claims: readonly string[];
}

/** What `createInbound` returns: the three operations, whatever the provider. */
export interface Inbound {
  readonly provider: string;
  /** Checks a notification; resolves with it, or rejects with an AuthError whose answer `reply` gives. */
  verify(request: InboundRequest): Promise<InboundNotification>;
  /** The acknowledgement of a verified notification, or the answer to an error (any error: a 500 when it is not kunci's). */
  reply(notificationOrError: unknown): InboundAnswer;
  /** The backend's own token endpoint (`…/access-token/b2b`): always an answer, never a rejection. */
  issueToken(request: InboundRequest): Promise<InboundAnswer>;
  /**
   * Forgets that a verified notification was seen, so that the provider's retry is accepted: for
   * a backend that failed to process it after `verify` (its answer is then a 5xx the provider retries).
   */
  release(notification: InboundNotification): Promise<void>;
}
