import type { KeyObject } from 'node:crypto';
import {
  formatTimestamp,
  signRsaSha256,
  tokenStringToSign,
  type PreparedRequest,
  type TimestampFormat,
} from '@kunci/core/provider';
import type { TokenRequest } from '@kunci/core';
import type { PivotSnapFlow } from './codes';

export interface PivotSnapCredentials {
  clientId: string;
  privateKey: KeyObject;
  paths: { b2b: string; b2b2c: string };
  timestamp: TimestampFormat;
}

export interface PivotSnapSignature {
  /** The X-TIMESTAMP header value. */
  timestamp: string;
  /** `clientId|X-TIMESTAMP`, exactly what is signed. */
  stringToSign: string;
  /** The X-SIGNATURE header value: Base64(SHA256withRSA(privateKey, stringToSign)). */
  signature: string;
}

/** `clientId + "|" + X-TIMESTAMP`: what Pivot verifies against the registered public key. */
export function pivotSnapStringToSign(clientId: string, timestamp: string): string {
  return tokenStringToSign(clientId, timestamp);
}

/** The timestamp, string to sign and signature for one instant (to debug a rejected signature). */
export function signPivotSnap(
  credentials: Pick<PivotSnapCredentials, 'clientId' | 'privateKey' | 'timestamp'>,
  nowMs: number,
): PivotSnapSignature {
  const timestamp = formatTimestamp(nowMs, credentials.timestamp);
  const stringToSign = pivotSnapStringToSign(credentials.clientId, timestamp);
  return { timestamp, stringToSign, signature: signRsaSha256(credentials.privateKey, stringToSign) };
}

/** An auth code makes it the customer (B2B2C) flow; without one it is the client's own B2B token. */
export function pivotSnapFlow(request: TokenRequest): PivotSnapFlow {
  return request.authCode !== undefined ? 'B2B2C' : 'B2B';
}

export function pivotSnapBody(request: TokenRequest): Record<string, unknown> {
  if (request.authCode === undefined) return { grantType: 'client_credentials', additionalInfo: {} };
  return {
    grantType: 'authorization_code',
    authCode: request.authCode,
    ...(request.refreshToken !== undefined ? { refreshToken: request.refreshToken } : {}),
    additionalInfo: {},
  };
}

/** Pure: the same credentials, request and instant give the same request (PKCS#1 v1.5 is deterministic). */
export function buildPivotSnapRequest(
  credentials: PivotSnapCredentials,
  request: TokenRequest,
  nowMs: number,
): PreparedRequest<PivotSnapFlow> {
  const flow = pivotSnapFlow(request);
  const { timestamp, signature } = signPivotSnap(credentials, nowMs);
  return {
    flow,
    path: flow === 'B2B2C' ? credentials.paths.b2b2c : credentials.paths.b2b,
    headers: {
      'Content-Type': 'application/json',
      'X-TIMESTAMP': timestamp,
      'X-CLIENT-KEY': credentials.clientId,
      'X-SIGNATURE': signature,
    },
    body: pivotSnapBody(request),
  };
}
