import type { IncomingMessage, ServerResponse } from 'node:http';
import { createParamDecorator, HttpException, type CanActivate, type ExecutionContext } from '@nestjs/common';
// Types only: @kunci/inbound is an optional peer. Whoever passes an Inbound has it installed; an
// application that never verifies a notification never loads it.
import type { Inbound, InboundAnswer, InboundNotification, InboundRequest } from '@kunci/inbound';

/** What the guard reads of Nest's request (Express's, or Fastify's raw one): node's, plus the raw body Nest keeps. */
export type NestRequest = IncomingMessage & {
  rawBody?: unknown;
  body?: unknown;
  originalUrl?: string;
  raw?: IncomingMessage;
};
/** Express's response, or Fastify's reply (whose `raw` is node's response). */
type NestResponse = (ServerResponse | { raw: ServerResponse }) & { headersSent?: boolean; sent?: boolean };

export interface InboundGuardOptions {
  /** Called with every refusal before it is answered, for the backend's log (the error holds no secret). */
  onRefused?: ((error: unknown, req: IncomingMessage) => void) | undefined;
  /** The most bytes of body read when Nest's body parser did not read it (default: the inbound's own limit). */
  maxBodyBytes?: number | undefined;
  /** How long a sender may take to send a body Nest did not read (default 10 s). */
  timeoutMs?: number | undefined;
}

const NOTIFICATIONS = new WeakMap<IncomingMessage, InboundNotification>();

/**
 * The answer of a refused notification, thrown by the guard: Nest's exception layer sends
 * `answer.status` and `answer.body` (the SNAP error), and the guard has set `answer.headers`.
 * An exception filter of the application sees it as such (`answer.error` says why, for the log).
 */
export class InboundRefusedException extends HttpException {
  constructor(readonly answer: InboundAnswer) {
    super(answer.body, answer.status, { cause: answer.error });
  }
}

const NO_RAW_BODY =
  'the request body was parsed and its bytes were not kept: create the application with NestFactory.create(AppModule, { rawBody: true })';

export function nodeRequest(req: NestRequest): IncomingMessage {
  return req.raw ?? req;
}

function nodeResponse(res: NestResponse): ServerResponse {
  return 'raw' in res ? res.raw : res;
}

/** The body read from the stream with the options' limits: `readRawBody`'s bytes, or its refusal. */
export async function readBody(req: NestRequest, options: InboundGuardOptions): Promise<Uint8Array> {
  const { readRawBody } = await import('@kunci/inbound');
  return readRawBody(nodeRequest(req), {
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}

/** The bytes as received: Nest's `rawBody`, a Buffer or text a raw parser left, else read here (Nest's parser did not run). */
async function rawBody(req: NestRequest, options: InboundGuardOptions): Promise<Uint8Array | string> {
  if (req.rawBody instanceof Uint8Array) return req.rawBody;
  if (req.body instanceof Uint8Array || typeof req.body === 'string') return req.body;
  const stream = nodeRequest(req);
  if (stream.readableEnded || stream.readableDidRead) throw new Error(NO_RAW_BODY);
  return readBody(req, options);
}

/** The request as `verify` and `issueToken` take it, with its body: the target as received (before a global prefix was taken off). */
export function requestWith(req: NestRequest, body: Uint8Array | string): InboundRequest {
  const stream = nodeRequest(req);
  return {
    method: req.method ?? stream.method ?? '',
    url: req.originalUrl ?? stream.url ?? '',
    headers: stream.headers,
    body,
    remoteAddress: stream.socket?.remoteAddress,
  };
}

async function inboundRequest(req: NestRequest, options: InboundGuardOptions): Promise<InboundRequest> {
  return requestWith(req, await rawBody(req, options));
}

/** Writes an inbound answer on Nest's response (for a handler that took `@Res()`): status, headers, JSON body. */
export function sendInboundAnswer(res: NestResponse, answer: InboundAnswer): void {
  const raw = nodeResponse(res);
  if (raw.headersSent) return;
  raw.writeHead(answer.status, answer.headers);
  raw.end(JSON.stringify(answer.body));
}

/** The notification the guard verified for this request; throws when none was. */
export function verifiedNotificationOf(req: IncomingMessage): InboundNotification {
  const notification = NOTIFICATIONS.get((req as NestRequest).raw ?? req) ?? NOTIFICATIONS.get(req);
  if (notification === undefined)
    throw new Error(
      'No verified notification on this request: guard the route with InboundGuard or @VerifyNotification.',
    );
  return notification;
}

/**
 * A guard that verifies a controller route's notification with an inbound: the raw body (Nest's
 * `rawBody: true`), the route as received. A refusal is answered with the provider's error answer
 * (`InboundRefusedException`); the handler runs only for a verified notification, which
 * `@VerifiedNotification()` gives it, and acknowledges it with `inbound.reply(notification)`.
 */
export class InboundGuard implements CanActivate {
  constructor(
    private readonly inbound: Inbound,
    private readonly options: InboundGuardOptions = {},
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<NestRequest>();
    let notification: InboundNotification;
    try {
      notification = await this.inbound.verify(await inboundRequest(req, this.options));
    } catch (error) {
      this.options.onRefused?.(error, nodeRequest(req));
      const answer = this.inbound.reply(error);
      const res = nodeResponse(http.getResponse<NestResponse>());
      const complete = nodeRequest(req).complete;
      for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
      // A refused body may be unread: the connection is closed rather than read to its end.
      if (!complete) res.setHeader('connection', 'close');
      throw new InboundRefusedException(answer);
    }
    NOTIFICATIONS.set(nodeRequest(req), notification);
    return true;
  }
}

/** The handler's parameter: the notification the guard verified. */
export const VerifiedNotification = createParamDecorator((_: unknown, context: ExecutionContext) =>
  verifiedNotificationOf(context.switchToHttp().getRequest<IncomingMessage>()),
);

/**
 * The backend's token endpoint from a controller (`@Post('v1.0/access-token/b2b')` taking
 * `@Req()` and `@Res()`): `issueToken` on the request's raw body, its answer written.
 */
export async function serveInboundToken(
  inbound: Inbound,
  req: IncomingMessage,
  res: NestResponse,
  options: InboundGuardOptions = {},
): Promise<void> {
  let answer: InboundAnswer;
  try {
    answer = await inbound.issueToken(await inboundRequest(req, options));
  } catch (error) {
    // The body could not be read (too large, too slow): the rest of it is not waited for.
    options.onRefused?.(error, req);
    answer = inbound.reply(error);
    return sendInboundAnswer(res, { ...answer, headers: { ...answer.headers, connection: 'close' } });
  }
  if (answer.error !== undefined) options.onRefused?.(answer.error, req);
  sendInboundAnswer(res, answer);
}
