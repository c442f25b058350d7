import { SNAP_PROFILES, type SnapMinify } from '@kunci/snap';
import type { NotificationScheme } from './types';

/** What a SNAP profile says about the notifications its provider sends. */
export interface InboundProfile {
  readonly scheme: NotificationScheme;
  /** Service codes (and acknowledgement codes) by route, where the profile knows them. */
  readonly routes?: Readonly<Record<string, { serviceCode?: string; ackCode?: string }>> | undefined;
  /**
   * What the body hash of a signed notification is taken over: `'compact'` (whitespace outside
   * strings removed) or `'strip-all'` (every whitespace character, as some providers' examples do).
   */
  readonly minify: SnapMinify;
}

/**
 * The notification settings of a SNAP profile by name, read from `@kunci/snap`'s `SNAP_PROFILES`
 * (one entry per provider, each citing its pages): the scheme its notifications are signed with,
 * its routes with their service and acknowledgement codes, and its body-hash rule. Undefined for a
 * name it does not know, and for a profile whose notifications are not SNAP-signed (Pivot's carry
 * an API key: its own inbound provider reads them). An explicit setting always wins over a profile's.
 */
export function inboundProfile(name: string): InboundProfile | undefined {
  return PROFILES.get(name);
}

const PROFILES = new Map<string, InboundProfile>(
  Object.values(SNAP_PROFILES).flatMap((profile): Array<[string, InboundProfile]> => {
    if (profile.notification === 'unsigned') return [];
    const routes = profile.notificationRoutes;
    return [
      [
        profile.name,
        Object.freeze({
          scheme: profile.notification,
          minify: profile.minify,
          ...(routes !== undefined ? { routes: Object.freeze({ ...routes }) } : {}),
        }),
      ],
    ];
  }),
);
