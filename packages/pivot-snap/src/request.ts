import type { KeyObject } from 'node:crypto';
import {
  formatTimestamp,
  signRsaSha256,
  tokenStringToSign,
  type PreparedRequest,
  type TimestampFormat,
  type TokenSignature,
} from '@kunci/core/provider';
import type { TokenRequest } from '@kunci/core';
import type { PivotSnapFlow } from './codes';

export interface PivotSnapCredentials {
  clientId: string;
  privateKey: KeyObject;
  paths: { b2b: string; b2b2c: string };
  timestamp: TimestampFormat;
}

/** X-TIMESTAMP, `clientId|X-TIMESTAMP` (exactly what is signed), X-SIGNATURE: Base64(SHA256withRSA(privateKey, stringToSign)). */
export type PivotSnapSignature = TokenSignature;

/** `clientId + "|" + X-TIMESTAMP`: what Pivot verifies against the registered public key. */
export function pivotSnapStringToSign(clientId: string, timestamp: string): string {
  return tokenStringToSign(clientId, timestamp);
}

/** The timestamp, string to sign and signature for one instant (to debug a rejected signature). */
export function signPivotSnap(
  credentials: Pick<PivotSnapCredentials, 'clientId' | 'privateKey' | 'timestamp'>,
  nowMs: number,
): PivotSnapSignature {
  return pivotSnapSignatureAt(
    credentials.clientId,
    credentials.privateKey,
    formatTimestamp(nowMs, credentials.timestamp),
  );
}

/** The signature over a given X-TIMESTAMP. */
export function pivotSnapSignatureAt(clientId: string, privateKey: KeyObject, timestamp: string): PivotSnapSignature {
  const stringToSign = pivotSnapStringToSign(clientId, timestamp);
  return { timestamp, stringToSign, signature: signRsaSha256(privateKey, stringToSign) };
}

/** An auth code makes it the customer (B2B2C) flow; without one it is the client's own B2B token. */
export function pivotSnapFlow(request: TokenRequest): PivotSnapFlow {
  return request.authCode !== undefined ? 'b2b2c' : 'b2b';
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
    path: credentials.paths[flow],
    headers: {
      'Content-Type': 'application/json',
      'X-TIMESTAMP': timestamp,
      'X-CLIENT-KEY': credentials.clientId,
      'X-SIGNATURE': signature,
    },
    body: pivotSnapBody(request),
  };
}
