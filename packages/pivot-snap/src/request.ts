// Pivot SNAP's token request is SNAP's (the `pivot` profile of @kunci/snap), under its own names.
import {
  buildSnapTokenRequest,
  signSnap,
  snapStringToSign,
  type SnapCredentials,
  type SnapSignature,
} from '@kunci/snap';

export type PivotSnapCredentials = SnapCredentials;

/** X-TIMESTAMP, `clientId|X-TIMESTAMP` (exactly what is signed), X-SIGNATURE: Base64(SHA256withRSA(privateKey, stringToSign)). */
export type PivotSnapSignature = SnapSignature;

/** `clientId + "|" + X-TIMESTAMP`: what Pivot verifies against the registered public key. */
export const pivotSnapStringToSign = snapStringToSign;

/** The timestamp, string to sign and signature for one instant (to debug a rejected signature). */
export const signPivotSnap = signSnap;

/** Pure: the same credentials, request and instant give the same request (PKCS#1 v1.5 is deterministic). */
export const buildPivotSnapRequest = buildSnapTokenRequest;
