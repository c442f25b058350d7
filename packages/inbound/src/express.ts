import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRawBody, type ReadRawBodyOptions } from './raw-body';
import type { Inbound, InboundAnswer, InboundNotification, InboundRequest } from './types';

/** What the adapter needs of Express's request: node's, plus what a raw-body parser may have left. */
type Request = IncomingMessage & { originalUrl?: string; body?: unknown };
type Next = (error?: unknown) => void;

export type InboundMiddleware = (req: Request, res: ServerResponse, next: Next) => void;

export interface InboundMiddlewareOptions extends ReadRawBodyOptions {
  /** Called with every refusal before it is answered, for the backend's log (the error holds no secret). */
  onRefused?: ((error: unknown, req: IncomingMessage) => void) | undefined;
}

const NOTIFICATIONS = new WeakMap<IncomingMessage, InboundNotification>();

/** The notification `verifyNotification` accepted for this request; throws when none was. */
export function notificationOf(req: IncomingMessage): InboundNotification {
  const notification = NOTIFICATIONS.get(req);
  if (notification === undefined)
    throw new Error('No verified notification on this request: mount verifyNotification(inbound) before the handler.');
  return notification;
}

/** Writes an inbound answer: its status, its headers and its JSON body (never its `error`). */
export function sendAnswer(res: ServerResponse, answer: InboundAnswer): void {
  if (res.headersSent) return;
  res.writeHead(answer.status, answer.headers);
  res.end(JSON.stringify(answer.body));
}

/** The raw body: the bytes `express.raw()` left, else read from the stream here. */
function rawBody(req: Request, options: ReadRawBodyOptions): Promise<Uint8Array | string> {
  if (req.body instanceof Uint8Array || typeof req.body === 'string') return Promise.resolve(req.body);
  return readRawBody(req, options);
}

/** The request as `verify` takes it: the target as received (before a router took its prefix). */
function inboundRequest(req: Request, body: Uint8Array | string): InboundRequest {
  return {
    method: req.method ?? '',
    url: req.originalUrl ?? req.url ?? '',
    headers: req.headers,
    body,
    remoteAddress: req.socket.remoteAddress,
  };
}

/** A refusal answered; the rest of the body (if any) is not read, so the connection is closed. */
function refuse(
  inbound: Inbound,
  req: Request,
  res: ServerResponse,
  error: unknown,
  options: InboundMiddlewareOptions,
): void {
  options.onRefused?.(error, req);
  const answer = inbound.reply(error);
  sendAnswer(res, { ...answer, headers: { ...answer.headers, ...(req.complete ? {} : { connection: 'close' }) } });
}

/**
 * Express middleware: reads the raw body (size and time limited), verifies it, and hands the
 * route's handler the notification (`notificationOf(req)`); a refused request is answered here
 * with the provider's error answer and never reaches the handler. The handler answers with
 * `sendAnswer(res, inbound.reply(notificationOf(req)))` once it has processed it.
 */
export function verifyNotification(inbound: Inbound, options: InboundMiddlewareOptions = {}): InboundMiddleware {
  return (req, res, next) => {
    void (async () => {
      let notification: InboundNotification;
      try {
        notification = await inbound.verify(inboundRequest(req, await rawBody(req, options)));
      } catch (error) {
        refuse(inbound, req, res, error, options);
        return;
      }
      NOTIFICATIONS.set(req, notification);
      next();
    })();
  };
}

/** Express handler of the backend's token endpoint (`POST …/access-token/b2b`): the whole route. */
export function tokenEndpoint(inbound: Inbound, options: InboundMiddlewareOptions = {}): InboundMiddleware {
  return (req, res) => {
    void (async () => {
      let answer: InboundAnswer;
      try {
        answer = await inbound.issueToken(inboundRequest(req, await rawBody(req, options)));
      } catch (error) {
        refuse(inbound, req, res, error, options);
        return;
      }
      if (answer.error !== undefined) options.onRefused?.(answer.error, req);
      sendAnswer(res, answer);
    })();
  };
}
