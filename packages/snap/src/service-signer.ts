import type { KeyObject } from 'node:crypto';
import { AuthError } from '@kunci/core';
import type { ExternalIdGenerator, ServiceRequest, SignedServiceRequest } from '@kunci/core';
import {
  configError,
  formatTimestamp,
  serviceBody,
  signedPath,
  signServiceCall,
  type TimestampFormat,
} from '@kunci/core/provider';
import { SNAP_EXTRA_HEADERS } from './config';
import type { SnapServiceSignature } from './profiles';
import { snapServiceSignature, type SnapSigningKey } from './service-signature';
import type { SnapSigningOptions } from './settings';

/** A service call to sign; its `headers` are the standard's optional ones for this call (they win over the config's). */
export type SnapServiceRequest = ServiceRequest;

/** What a SNAP API call is signed with; `clientSecret` and `channelId` may be missing from a token-only config. */
export interface SnapServiceCredentials {
  /** The provider name errors carry. */
  provider: string;
  /** How messages name the provider ("SNAP (bri)", "Pivot SNAP"). */
  label: string;
  scheme: SnapServiceSignature;
  /** Whether `Authorization: Bearer <B2B token>` goes with an asymmetric call. */
  tokenWithAsymmetric: boolean;
  clientSecret: string | undefined;
  privateKey: KeyObject;
  partnerId: string;
  channelId: string | undefined;
  timestamp: TimestampFormat;
  signing: SnapSigningOptions;
  externalId: ExternalIdGenerator;
  /** The config's extra headers (ORIGIN, X-DEVICE-ID, …), checked when the config was read. */
  headers: Readonly<Record<string, string>>;
  /** The config entry, for the error that names a missing field. */
  entry?: string | undefined;
}

const EXTRA = new Set<string>(SNAP_EXTRA_HEADERS);

function callHeaderProblem(name: string, value: unknown): string | undefined {
  if (!EXTRA.has(name)) return `headers.${name} is not a header a call may set (${SNAP_EXTRA_HEADERS.join(', ')})`;
  if (typeof value !== 'string') return `headers.${name} must be a string`;
  if (value.length > 1024 || !/^[\x20-\x7e]*$/.test(value) || value !== value.trim()) {
    return `headers.${name} must be printable ASCII without edge spaces, at most 1024 characters`;
  }
  return undefined;
}

/** The config's extra headers with the call's laid over them; a bad call header is refused before anything is sent. */
function extraHeaders(credentials: SnapServiceCredentials, request: SnapServiceRequest): Array<[string, string]> {
  const call = request.headers;
  if (call === undefined) return Object.entries(credentials.headers);
  for (const [name, value] of Object.entries(call)) {
    if (value === undefined) continue;
    const problem = callHeaderProblem(name, value);
    if (problem !== undefined) {
      throw new AuthError('REQUEST_REJECTED', `A signed ${credentials.provider} call: ${problem}. Nothing was sent.`, {
        provider: credentials.provider,
      });
    }
  }
  const merged: Record<string, string> = { ...credentials.headers };
  for (const [name, value] of Object.entries(call)) if (value !== undefined) merged[name] = value;
  return Object.entries(merged);
}

/**
 * SNAP's signature of a service call, either scheme: `X-SIGNATURE` symmetric
 * (Base64(HMAC-SHA512(clientSecret, `METHOD:path:B2B token:bodyHash:X-TIMESTAMP`))) or asymmetric
 * (Base64(SHA256withRSA(privateKey, `METHOD:path:bodyHash:X-TIMESTAMP`))), with the partner,
 * external-id and channel headers, and the standard's optional ones. A customer's call adds
 * `Authorization-Customer`; a symmetric string to sign still holds the B2B token. Pure for a given
 * `now` and `externalId`.
 */
export function signSnapServiceRequest(
  credentials: SnapServiceCredentials,
  request: SnapServiceRequest & { now: number },
): SignedServiceRequest {
  const symmetric = credentials.scheme === 'symmetric';
  const missing = [
    ...(symmetric && credentials.clientSecret === undefined
      ? [`clientSecret is required to sign ${credentials.label} service calls (X-SIGNATURE)`]
      : []),
    ...(credentials.channelId === undefined
      ? [`channelId is required to sign ${credentials.label} service calls (CHANNEL-ID)`]
      : []),
  ];
  if (missing.length > 0 || credentials.channelId === undefined)
    throw configError(credentials.provider, missing, credentials.entry);
  const extras = extraHeaders(credentials, request);
  let body: string | undefined;
  let timestamp: string;
  let signature: string;
  if (symmetric && credentials.signing.minify === 'compact') {
    // The core's symmetric signature: the body serialized once and hashed as JSON.stringify wrote it.
    ({ body, timestamp, signature } = signServiceCall(
      credentials.provider,
      credentials.clientSecret as string,
      request,
      credentials.timestamp,
      credentials.signing,
    ));
  } else {
    body = serviceBody(credentials.provider, request.body);
    timestamp = formatTimestamp(request.now, credentials.timestamp);
    const key: SnapSigningKey = symmetric
      ? { scheme: 'symmetric', clientSecret: credentials.clientSecret as string }
      : { scheme: 'asymmetric', privateKey: credentials.privateKey };
    ({ signature } = snapServiceSignature(
      key,
      {
        method: request.method,
        path: signedPath(request.url, credentials.signing.includeQuery),
        accessToken: request.accessToken,
        body,
        timestamp,
      },
      credentials.signing,
    ));
  }
  // Assigned in order, without spreading a new object for each optional header: the same keys, in the same order.
  const headers: Record<string, string> = {};
  if (symmetric || credentials.tokenWithAsymmetric) headers.Authorization = `Bearer ${request.accessToken}`;
  if (request.customerToken !== undefined) headers['Authorization-Customer'] = `Bearer ${request.customerToken}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  headers['X-TIMESTAMP'] = timestamp;
  headers['X-SIGNATURE'] = signature;
  headers['X-PARTNER-ID'] = credentials.partnerId;
  headers['X-EXTERNAL-ID'] = request.externalId ?? credentials.externalId(request.now);
  headers['CHANNEL-ID'] = credentials.channelId;
  for (const [name, value] of extras) headers[name] = value;
  return { headers, body };
}
