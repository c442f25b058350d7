// @kunci/snap for applications: the SNAP provider (any profile), its config, the profiles with
// their sources, the response-code table, and the signing helpers for debugging a rejected
// signature. The emulator is @kunci/snap/emulator.
export { createSnapProvider, snap, snapTokenProvider, SNAP_SIGNING } from './provider';
export type { SnapProviderSpec } from './provider';
export {
  SnapConfig,
  SnapClientConfig,
  SnapPaths,
  SnapSigningConfig,
  SnapHeadersConfig,
  SNAP_EXTRA_HEADERS,
} from './config';
export type { SnapExtraHeader } from './config';
export { SNAP_PROFILES, SNAP_PROFILE_NAMES, DEFAULT_SNAP_PROFILE, SNAP_CUSTOMER_GRANT_TYPES } from './profiles';
export type {
  SnapProfile,
  SnapProfileName,
  SnapSettings,
  SnapSources,
  SnapServiceSignature,
  SnapMinify,
  SnapNotificationScheme,
  SnapCustomerGrantType,
  SnapNotificationRoute,
} from './profiles';
export { snapSettings } from './settings';
export type { ResolvedSnapSettings, SnapSigningOptions } from './settings';
export {
  SNAP,
  SNAP_CASES,
  SNAP_SERVICE_CODES,
  SNAP_SUCCESS,
  SNAP_TOKEN_SERVICE,
  parseSnapCode,
  isSnapTokenSuccess,
  snapErrorCode,
  snapRejectedToken,
} from './codes';
export type { SnapFlow, SnapCase, SnapCaseMeaning } from './codes';
export { createSnapEnvelope, snapEnvelope, normalizeSnapResponse } from './normalize';
export { snapStringToSign, signSnap, snapSignatureAt, snapFlow, snapTokenBody, buildSnapTokenRequest } from './request';
export type { SnapCredentials, SnapSignature } from './request';
export { snapServiceStringToSign, snapServiceSignature, snapMinifiedBody, snapHmacSha512 } from './service-signature';
export type { SnapServiceParts, SnapSigningKey } from './service-signature';
export { signSnapServiceRequest } from './service-signer';
export type { SnapServiceCredentials, SnapServiceRequest } from './service-signer';
