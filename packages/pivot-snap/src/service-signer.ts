import type { ExternalIdGenerator, ServiceRequest, SignedServiceRequest } from '@kunci/core';
import { configError, signServiceCall, type ServiceSigningOptions, type TimestampFormat } from '@kunci/core/provider';
import { PIVOT_SNAP } from './codes';

/** What a Pivot SNAP API call is signed with; `clientSecret` and `channelId` may be missing from a token-only config. */
export interface PivotSnapServiceCredentials {
  clientSecret: string | undefined;
  partnerId: string;
  channelId: string | undefined;
  timestamp: TimestampFormat;
  signing: ServiceSigningOptions;
  externalId: ExternalIdGenerator;
  /** The config entry, for the error that names a missing field. */
  entry?: string;
}

/**
 * SNAP's symmetric signature of a service call: `X-SIGNATURE` = Base64(HMAC-SHA512(clientSecret,
 * `METHOD:path:B2B token:lowercase(hex(sha256(minified body))):X-TIMESTAMP`)), with the partner,
 * external-id and channel headers. A customer's call adds `Authorization-Customer`; the string to
 * sign still holds the B2B token. Pure for a given `now` and `externalId`.
 */
export function signPivotSnapServiceRequest(
  credentials: PivotSnapServiceCredentials,
  request: ServiceRequest & { now: number },
): SignedServiceRequest {
  const missing = [
    ...(credentials.clientSecret === undefined
      ? ['clientSecret is required to sign Pivot SNAP service calls (X-SIGNATURE)']
      : []),
    ...(credentials.channelId === undefined
      ? ['channelId is required to sign Pivot SNAP service calls (CHANNEL-ID)']
      : []),
  ];
  if (credentials.clientSecret === undefined || credentials.channelId === undefined)
    throw configError(PIVOT_SNAP, missing, credentials.entry);
  const { body, timestamp, signature } = signServiceCall(
    PIVOT_SNAP,
    credentials.clientSecret,
    request,
    credentials.timestamp,
    credentials.signing,
  );
  // Assigned in order, without spreading a new object for each optional header: the same keys, in the same order.
  const headers: Record<string, string> = { Authorization: `Bearer ${request.accessToken}` };
  if (request.customerToken !== undefined) headers['Authorization-Customer'] = `Bearer ${request.customerToken}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  headers['X-TIMESTAMP'] = timestamp;
  headers['X-SIGNATURE'] = signature;
  headers['X-PARTNER-ID'] = credentials.partnerId;
  headers['X-EXTERNAL-ID'] = request.externalId ?? credentials.externalId(request.now);
  headers['CHANNEL-ID'] = credentials.channelId;
  return { headers, body };
}
