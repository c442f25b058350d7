import type { ServiceRequest, SignedServiceRequest } from '@kunci/core';
import { signServiceCall, type ServiceSigningOptions, type TimestampFormat } from '@kunci/core/provider';
import { KLIKOO } from './codes';

export interface KlikooServiceCredentials {
  clientSecret: string;
  timestamp: TimestampFormat;
  signing: ServiceSigningOptions;
}

/**
 * Klikoo's signature of a call after the token: `Open-Api-Signature` = Base64(HMAC-SHA512(
 * clientSecret, `METHOD:path:token:hex(sha256(minified body)):Open-Api-Timestamp`)). Klikoo has no
 * customer tokens, so `customerToken` is not used. Pure for a given `now`.
 */
export function signKlikooServiceRequest(
  credentials: KlikooServiceCredentials,
  request: ServiceRequest & { now: number },
): SignedServiceRequest {
  const { body, timestamp, signature } = signServiceCall(
    KLIKOO,
    credentials.clientSecret,
    request,
    credentials.timestamp,
    credentials.signing,
  );
  // Assigned in order, without spreading a new object for the optional header: the same keys, in the same order.
  const headers: Record<string, string> = { Authorization: `Bearer ${request.accessToken}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  headers['Open-Api-Timestamp'] = timestamp;
  headers['Open-Api-Signature'] = signature;
  return { headers, body };
}
