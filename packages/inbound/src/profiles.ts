import type { NotificationScheme } from './types';

/** What a SNAP profile says about the notifications its provider sends. */
export interface InboundProfile {
  readonly scheme: NotificationScheme;
  /** Service codes (and acknowledgement codes) by route, where the profile knows them. */
  readonly routes?: Readonly<Record<string, { serviceCode?: string; ackCode?: string }>> | undefined;
}

/**
 * The notification settings of a SNAP profile by name; undefined for a name it does not know.
 * The profiles are `@kunci/snap`'s (`SNAP_PROFILES`, one entry per provider, each citing its pages);
 * this is the one place that reads them. None is bundled here yet: a config then names its
 * `scheme` (and its routes) itself, and an explicit setting always wins over a profile's.
 */
export function inboundProfile(name: string): InboundProfile | undefined {
  return PROFILES.get(name);
}

const PROFILES = new Map<string, InboundProfile>();
