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
import type { SnapFlow } from './codes';

/** What a SNAP token request is built from. */
export interface SnapCredentials {
  clientId: string;
  privateKey: KeyObject;
  paths: { b2b: string; b2b2c: string };
  timestamp: TimestampFormat;
  /** The B2B2C grant type as the provider writes it; default 'authorization_code'. */
  customerGrantType?: string | undefined;
}

/** X-TIMESTAMP, `clientId|X-TIMESTAMP` (exactly what is signed), X-SIGNATURE: Base64(SHA256withRSA(privateKey, stringToSign)). */
export type SnapSignature = TokenSignature;

/** `clientId + "|" + X-TIMESTAMP`: what the provider verifies against the registered public key. */
export function snapStringToSign(clientId: string, timestamp: string): string {
  return tokenStringToSign(clientId, timestamp);
}

/** The timestamp, string to sign and signature of a token request at one instant (to debug a rejected signature). */
export function signSnap(
  credentials: Pick<SnapCredentials, 'clientId' | 'privateKey' | 'timestamp'>,
  nowMs: number,
): SnapSignature {
  return snapSignatureAt(credentials.clientId, credentials.privateKey, formatTimestamp(nowMs, credentials.timestamp));
}

/** The token request's signature over a given X-TIMESTAMP. */
export function snapSignatureAt(clientId: string, privateKey: KeyObject, timestamp: string): SnapSignature {
  const stringToSign = snapStringToSign(clientId, timestamp);
  return { timestamp, stringToSign, signature: signRsaSha256(privateKey, stringToSign) };
}

/** An auth code makes it the customer (B2B2C) flow; without one it is the client's own B2B token. */
export function snapFlow(request: TokenRequest): SnapFlow {
  return request.authCode !== undefined ? 'b2b2c' : 'b2b';
}

/**
 * The standard's bodies: `client_credentials` for B2B; for B2B2C `authorization_code` with the
 * auth code and, when the caller holds one, the refresh token (as Pivot, DOKU and ASPI's own
 * sample send them together).
 */
export function snapTokenBody(
  request: TokenRequest,
  customerGrantType = 'authorization_code',
): Record<string, unknown> {
  if (request.authCode === undefined) return { grantType: 'client_credentials', additionalInfo: {} };
  return {
    grantType: customerGrantType,
    authCode: request.authCode,
    ...(request.refreshToken !== undefined ? { refreshToken: request.refreshToken } : {}),
    additionalInfo: {},
  };
}

/** Pure: the same credentials, request and instant give the same request (PKCS#1 v1.5 is deterministic). */
export function buildSnapTokenRequest(
  credentials: SnapCredentials,
  request: TokenRequest,
  nowMs: number,
): PreparedRequest<SnapFlow> {
  const flow = snapFlow(request);
  const { timestamp, signature } = signSnap(credentials, nowMs);
  return {
    flow,
    path: credentials.paths[flow],
    headers: {
      'Content-Type': 'application/json',
      'X-TIMESTAMP': timestamp,
      'X-CLIENT-KEY': credentials.clientId,
      'X-SIGNATURE': signature,
    },
    body: snapTokenBody(request, credentials.customerGrantType),
  };
}
