import type { KeyObject } from 'node:crypto';
import {
  formatTimestamp,
  signRsaSha256,
  tokenStringToSign,
  type PreparedRequest,
  type TimestampFormat,
  type TokenFlow,
  type TokenSignature,
} from '@kunci/core/provider';

/** Klikoo has one token flow: B2B client credentials. */
export type KlikooFlow = Extract<TokenFlow, 'b2b'>;

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

/** The timestamp, string to sign and signature for one instant (to debug a rejected signature). */
export function signKlikoo(
  credentials: Pick<KlikooCredentials, 'clientId' | 'privateKey' | 'timestamp'>,
  nowMs: number,
): TokenSignature {
  return klikooSignatureAt(credentials.clientId, credentials.privateKey, formatTimestamp(nowMs, credentials.timestamp));
}

/** Base64(SHA256withRSA(privateKey, `clientId|timestamp`)) over a given Open-Api-Timestamp. */
export function klikooSignatureAt(clientId: string, privateKey: KeyObject, timestamp: string): TokenSignature {
  const stringToSign = klikooStringToSign(clientId, timestamp);
  return { timestamp, stringToSign, signature: signRsaSha256(privateKey, stringToSign) };
}

/**
 * Pure: the same credentials and instant give the same request (PKCS#1 v1.5 signatures are
 * deterministic). The signature covers exactly the timestamp that goes in the header. No
 * client-key header: Klikoo reads the client id from the body.
 */
export function buildKlikooRequest(credentials: KlikooCredentials, nowMs: number): PreparedRequest<KlikooFlow> {
  const { timestamp, signature } = signKlikoo(credentials, nowMs);
  return {
    flow: 'b2b',
    path: credentials.path,
    headers: {
      'Content-Type': 'application/json',
      'Open-Api-Timestamp': timestamp,
      'Open-Api-Signature': signature,
    },
    body: {
      grant_type: 'client_credentials',
      additional_info: { client_id: credentials.clientId, client_secret: credentials.clientSecret },
    },
  };
}
