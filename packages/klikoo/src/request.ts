import type { KeyObject } from 'node:crypto';
import {
  formatTimestamp,
  signRsaSha256,
  tokenStringToSign,
  type PreparedRequest,
  type TimestampFormat,
} from '@kunci/core/provider';

/** Klikoo has one token flow: B2B client credentials. */
export type KlikooFlow = 'b2b';

export interface KlikooCredentials {
  path: string;
  clientId: string;
  clientSecret: string;
  privateKey: KeyObject;
  timestamp: TimestampFormat;
}

/** `clientId|timestamp`: what `Open-Api-Signature` signs (to debug a rejection). */
export function klikooStringToSign(clientId: string, timestamp: string): string {
  return tokenStringToSign(clientId, timestamp);
}

/** Base64(SHA256withRSA(privateKey, `clientId|timestamp`)). */
export function klikooSignature(privateKey: KeyObject, clientId: string, timestamp: string): string {
  return signRsaSha256(privateKey, klikooStringToSign(clientId, timestamp));
}

/**
 * Pure: the same credentials and instant give the same request (PKCS#1 v1.5 signatures are
 * deterministic). The signature covers exactly the timestamp that goes in the header. No
 * client-key header: Klikoo reads the client id from the body.
 */
export function buildKlikooRequest(credentials: KlikooCredentials, nowMs: number): PreparedRequest<KlikooFlow> {
  const timestamp = formatTimestamp(nowMs, credentials.timestamp);
  return {
    flow: 'b2b',
    path: credentials.path,
    headers: {
      'Content-Type': 'application/json',
      'Open-Api-Timestamp': timestamp,
      'Open-Api-Signature': klikooSignature(credentials.privateKey, credentials.clientId, timestamp),
    },
    body: {
      grant_type: 'client_credentials',
      additional_info: { client_id: credentials.clientId, client_secret: credentials.clientSecret },
    },
  };
}
