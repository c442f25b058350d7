import type { KeyObject } from 'node:crypto';
import type { ProviderEmulator } from '@kunci/core/emulator';
import type { ServiceSigningOptions } from '@kunci/core/provider';
import { createSnapEmulator, SNAP_TIMESTAMP_TOLERANCE_MS } from '@kunci/snap/emulator';
import { PIVOT_SNAP } from './codes';

/**
 * A client and the public key it registered with Pivot (KeyObject or SPKI/PKCS#1 PEM); with a
 * `clientSecret` (and `partnerId`, default clientId) its signed service calls are accepted.
 */
export interface PivotSnapEmulatorClient {
  clientId: string;
  publicKey: KeyObject | string;
  /** The HMAC key of its signed API calls (X-SIGNATURE); without it, its API calls are refused. */
  clientSecret?: string | undefined;
  /** Its X-PARTNER-ID; default clientId. */
  partnerId?: string | undefined;
}

export interface PivotSnapEmulatorOptions {
  clients: readonly PivotSnapEmulatorClient[];
  /** Bound customers: their auth code (binding id) and the refresh token they hold, if any. */
  customers?: ReadonlyArray<{ authCode: string; refreshToken?: string }>;
  /** Also accept any auth code matching this (a sandbox): its first refresh token is taken on trust. */
  authCodePattern?: RegExp;
  /** The emulated server's clock, for the timestamp window and the `Date` header. */
  clock?: () => number;
  /** How far X-TIMESTAMP may be from the emulator's clock; default 5 minutes. */
  timestampToleranceMs?: number;
  paths?: { b2b?: string; b2b2c?: string };
  /** Default 900 (the 15 minutes of Pivot's SNAP access-token page). */
  tokenLifetimeSeconds?: number;
  /** Default 86 400: the example of Pivot's SNAP access-token page is ambiguous (its refresh token expires first). */
  refreshTokenLifetimeSeconds?: number;
  /** The two service digits of service-call answers; default `00`. */
  serviceCode?: string;
  /** How clients sign service calls (kunci's `signing` config); default its defaults. */
  signing?: Partial<ServiceSigningOptions>;
}

export const PIVOT_SNAP_TIMESTAMP_TOLERANCE_MS = SNAP_TIMESTAMP_TOLERANCE_MS;

/**
 * Pivot SNAP's token endpoints and API: SNAP's emulator with the `pivot` profile, answering as
 * pivot-snap and taking any ISO 8601 X-TIMESTAMP within the window (a config may set its offset).
 */
export function createPivotSnapEmulator(options: PivotSnapEmulatorOptions): ProviderEmulator {
  return createSnapEmulator({ ...options, provider: PIVOT_SNAP, profile: 'pivot', anyTimestampFormat: true });
}
