export { createPivotSnapProvider, pivotSnap } from './provider';
export { PivotSnapConfig, PivotSnapPaths, DEFAULT_PIVOT_SNAP_PATHS, LEGACY_PIVOT_SNAP_PATHS, pivotSnapPaths } from './config';
export { PIVOT_SNAP, PIVOT_SNAP_SERVICE, PIVOT_SNAP_SUCCESS, parseSnapCode, isPivotSnapSuccess, pivotSnapErrorCode } from './codes';
export type { PivotSnapFlow } from './codes';
export { pivotSnapEnvelope } from './normalize';
export { buildPivotSnapRequest, pivotSnapStringToSign, signPivotSnap, pivotSnapFlow, pivotSnapBody } from './request';
export type { PivotSnapCredentials, PivotSnapSignature } from './request';
export { createPivotSnapEmulator, pivotSnapErrorBody, PIVOT_SNAP_TIMESTAMP_TOLERANCE_MS } from './emulator';
export type { PivotSnapEmulatorOptions } from './emulator';

// Service calls (signed API calls after the token).
export { signPivotSnapServiceRequest } from './service-signer';
export type { PivotSnapServiceCredentials } from './service-signer';
export { createPivotSnapServiceVerifier, PIVOT_SNAP_GENERIC_SERVICE } from './service-emulator';
export type { PivotSnapServiceVerifier, PivotSnapServiceVerifierOptions } from './service-emulator';
