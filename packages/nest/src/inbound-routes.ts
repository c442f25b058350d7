import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpCode, Inject, Injectable, UseGuards, type CanActivate, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, type AbstractHttpAdapter } from '@nestjs/core';
import type { Inbound, InboundAnswer, InboundNotification, InboundRequest } from '@kunci/inbound';
import {
  InboundGuard,
  nodeRequest,
  readBody,
  requestWith,
  sendInboundAnswer,
  type InboundGuardOptions,
  type NestRequest,
} from './inbound';

/** A route of kunci's: the inbound and options that answer it, and whether it verifies notifications or issues tokens. */
interface InboundRoute {
  readonly kind: 'notification' | 'token';
  readonly inbound: Inbound;
  readonly options: InboundGuardOptions;
}

/**
 * The metadata key that marks a kunci route on its method. Nest copies a method's metadata to the
 * handler it gives the router, which is where a parser failure's route is looked up.
 */
const INBOUND_ROUTE = 'kunci:inbound-route';

/** Where Nest's `@HttpCode` keeps a method's status (`HTTP_CODE_METADATA` of `@nestjs/common/constants`). */
const HTTP_CODE_METADATA = '__httpCode__';

/**
 * body-parser's failures (their `type`) that a kunci route answers: a body that is not what its
 * content type says, too large, shorter or longer than declared, in a charset or encoding the
 * parser does not read. Nest answers the others: an aborted request (nobody is left to read an
 * answer), a failed `verify` option (the application's own), the 5xx ones (server faults).
 */
const PARSER_FAILURES: ReadonlySet<string> = new Set([
  'entity.parse.failed',
  'entity.too.large',
  'parameters.too.many',
  'request.size.invalid',
  'charset.unsupported',
  'encoding.unsupported',
]);

interface ParserFailure {
  type: string;
  /** The parser's limit in bytes, for a body over it. */
  limit: number | undefined;
}

/** What the Express router shows of its routes (Express 5's `app.router`, Express 4's `app._router`). */
interface RouterLayer {
  route?: { stack?: Array<{ method?: string; handle?: unknown }> };
  match?(path: string): unknown;
}
interface ExpressApp {
  _router?: { stack?: RouterLayer[] };
  router?: { stack?: RouterLayer[] };
}

function parserFailure(error: unknown): ParserFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, limit } = error as { type?: unknown; limit?: unknown };
  if (typeof type !== 'string' || !PARSER_FAILURES.has(type)) return undefined;
  return { type, limit: typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 0 ? limit : undefined };
}

/** The path the router matches: the target's path, without its query. */
function pathname(url: string): string {
  if (!url.startsWith('/')) {
    try {
      return new URL(url).pathname;
    } catch {
      return url;
    }
  }
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

function matches(layer: RouterLayer, path: string): boolean {
  try {
    return Boolean(layer.match?.(path));
  } catch {
    return false;
  }
}

/** The kunci route of the handler Express would run for this request (the first route of its path and method), if it is one. */
function routeOf(app: ExpressApp, req: IncomingMessage): InboundRoute | undefined {
  const stack = (app._router ?? app.router)?.stack;
  const method = req.method?.toLowerCase() ?? '';
  const path = pathname(req.url ?? '/');
  for (const layer of Array.isArray(stack) ? stack : []) {
    const handler = layer.route?.stack?.find((h) => h.method === undefined || h.method === method);
    if (handler === undefined || !matches(layer, path)) continue;
    if (typeof handler.handle !== 'function') return undefined;
    const route = Reflect.getMetadata(INBOUND_ROUTE, handler.handle) as InboundRoute | undefined;
    return route?.kind === 'notification' || route?.kind === 'token' ? route : undefined;
  }
  return undefined;
}

/**
 * The body as the route reads it once the parser failed: the bytes Nest kept (`rawBody: true`),
 * else what `readRawBody` makes of the stream (an unread one's bytes; its refusal of one the parser
 * consumed). A body over the parser's limit is refused as `readRawBody` refuses one declared over
 * its own: what the Express adapter answers (413).
 */
async function bodyAfter(failure: ParserFailure, req: NestRequest, options: InboundGuardOptions): Promise<Uint8Array> {
  if (failure.type === 'entity.too.large') {
    const { readRawBody, DEFAULT_MAX_BODY_BYTES } = await import('@kunci/inbound');
    const limit = failure.limit ?? DEFAULT_MAX_BODY_BYTES;
    const declaredOver = { headers: { 'content-length': String(limit + 1) } } as unknown as IncomingMessage;
    return readRawBody(declaredOver, { maxBodyBytes: limit });
  }
  if (req.rawBody instanceof Uint8Array) return req.rawBody;
  return readBody(req, options);
}

function refused(route: InboundRoute, req: NestRequest, error: unknown): InboundAnswer {
  route.options.onRefused?.(error, nodeRequest(req));
  return route.inbound.reply(error);
}

/**
 * What the route answers a request whose body the parser refused: the inbound's checks on the body
 * (the token route's whole answer; a notification's refusal). A notification they accept (JSON
 * the parser's strict mode refuses, a charset it does not read) only the handler could answer, and
 * it does not run: its claims are dropped, so that the provider's next sending is no replay, and
 * Nest answers (undefined).
 */
async function answerAfter(
  route: InboundRoute,
  failure: ParserFailure,
  req: NestRequest,
): Promise<InboundAnswer | undefined> {
  const { inbound, options } = route;
  let request: InboundRequest;
  try {
    request = requestWith(req, await bodyAfter(failure, req, options));
  } catch (error) {
    return refused(route, req, error);
  }
  if (route.kind === 'token') {
    const answer = await inbound.issueToken(request);
    if (answer.error !== undefined) options.onRefused?.(answer.error, nodeRequest(req));
    return answer;
  }
  let notification: InboundNotification;
  try {
    notification = await inbound.verify(request);
  } catch (error) {
    return refused(route, req, error);
  }
  await inbound.release(notification);
  return undefined;
}

const ANSWERING = new WeakSet<object>();

/**
 * An Express error handler after the routes and before Nest's own (which Nest adds after
 * `onModuleInit`): a body-parser failure on a kunci route gets the inbound's answer; any other
 * error, or one on another route, goes on to Nest as before.
 */
function answerParserFailures(adapter: AbstractHttpAdapter | undefined): void {
  if (adapter === undefined || adapter.getType() !== 'express') return;
  const app = adapter.getInstance<ExpressApp>();
  if (ANSWERING.has(app)) return;
  ANSWERING.add(app);
  adapter.use((error: unknown, req: NestRequest, res: ServerResponse, next: (error: unknown) => void) => {
    const failure = parserFailure(error);
    const route = failure === undefined || res.headersSent ? undefined : routeOf(app, req);
    if (failure === undefined || route === undefined) {
      next(error);
      return;
    }
    void answerAfter(route, failure, req).then(
      (answer) => {
        if (answer === undefined) next(error);
        // A body left unread is not waited for: the connection is closed.
        else if (nodeRequest(req).complete) sendInboundAnswer(res, answer);
        else sendInboundAnswer(res, { ...answer, headers: { ...answer.headers, connection: 'close' } });
      },
      () => next(error),
    );
  });
}

/**
 * A guard of every kunci route that lets every request through: Nest builds it with the
 * application, so that once the routes are registered it can add the answer to a body the
 * platform's parser refused (`answerParserFailures`).
 */
@Injectable()
class InboundParserFailures implements CanActivate, OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  canActivate(): boolean {
    return true;
  }

  onModuleInit(): void {
    answerParserFailures(this.adapterHost.httpAdapter as AbstractHttpAdapter | undefined);
  }
}

/**
 * The decorator of a kunci route: its guards, kunci's mark and, for a notification route,
 * `@HttpCode(200)`. Given to a controller, the guards are the controller's, and the mark and the
 * status go on each of its own methods (a method's own decorators win): Nest reads both from the
 * method.
 */
function inboundRoute(
  route: InboundRoute,
  guards: MethodDecorator & ClassDecorator,
  status?: number,
): MethodDecorator & ClassDecorator {
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (key !== undefined && descriptor !== undefined) {
      guards(target, key, descriptor);
      Reflect.defineMetadata(INBOUND_ROUTE, route, descriptor.value as object);
      if (status !== undefined) HttpCode(status)(target, key, descriptor);
      return;
    }
    guards(target as new () => unknown);
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name);
      const fn: unknown = method?.value;
      if (name === 'constructor' || method === undefined || typeof fn !== 'function') continue;
      if (!Reflect.hasOwnMetadata(INBOUND_ROUTE, fn)) Reflect.defineMetadata(INBOUND_ROUTE, route, fn);
      if (status !== undefined && !Reflect.hasOwnMetadata(HTTP_CODE_METADATA, fn))
        HttpCode(status)(prototype, name, method);
    }
  };
}

/**
 * `@UseGuards(new InboundGuard(inbound, options))` and `@HttpCode(200)`, on a route or on a
 * controller. A body the platform's parser refuses on the route (not JSON, too large) gets the
 * inbound's answer as well, not Nest's (Express platform).
 */
export function VerifyNotification(
  inbound: Inbound,
  options: InboundGuardOptions = {},
): MethodDecorator & ClassDecorator {
  const guards = UseGuards(new InboundGuard(inbound, options), InboundParserFailures);
  return inboundRoute({ kind: 'notification', inbound, options }, guards, 200);
}

/**
 * Marks the route that serves `serveInboundToken(inbound, req, res, options)`: a body the
 * platform's parser refuses there gets the answer `serveInboundToken` would give, not Nest's.
 */
export function InboundTokenRoute(
  inbound: Inbound,
  options: InboundGuardOptions = {},
): MethodDecorator & ClassDecorator {
  return inboundRoute({ kind: 'token', inbound, options }, UseGuards(InboundParserFailures));
}
