// @kunci/inbound/express: the Express adapter (express is an optional peer: this entry uses only
// node's request and response types, so it loads without express installed).
export { verifyNotification, tokenEndpoint, notificationOf, sendAnswer } from '../express';
export type { InboundMiddleware, InboundMiddlewareOptions } from '../express';
