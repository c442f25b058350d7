// @kunci/inbound: verify what providers send to the backend (SNAP notifications, Pivot's and
// Klikoo's callbacks) and issue the tokens providers ask for. Listed by name so that a change of
// API shows in a diff; the Express adapter is @kunci/inbound/express.
export { createInbound } from './inbound';
export type { InboundConfig } from './inbound';
export type { InboundCommonConfig } from './config';
export type { Inbound, InboundAnswer, InboundNotification, InboundRequest, NotificationScheme } from './types';
export { MemoryInboundStore, DEFAULT_MAX_STORE_ENTRIES } from './store';
export type { InboundStore, MemoryInboundStoreOptions } from './store';
export { readRawBody, DEFAULT_BODY_TIMEOUT_MS } from './raw-body';
export type { ReadRawBodyOptions } from './raw-body';
export { DEFAULT_MAX_BODY_BYTES } from './request';
export {
  DEFAULT_MAX_SKEW_SECONDS,
  DEFAULT_REPLAY_WINDOW_SECONDS,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
} from './providers/snap';
export type { SnapInboundConfig, SnapRoute } from './providers/snap';
export { PIVOT_CALLBACK_HEADER } from './providers/pivot';
export type { PivotInboundConfig } from './providers/pivot';
export { KLIKOO_CALLBACK_FIELDS } from './providers/klikoo';
export type { KlikooInboundConfig } from './providers/klikoo';
export { inboundProfile } from './profiles';
export type { InboundProfile } from './profiles';
