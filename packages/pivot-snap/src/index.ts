// @kunci/pivot-snap for applications: the provider, its config, its token paths and the signing
// helpers the docs name for debugging a rejected signature. The emulator is @kunci/pivot-snap/emulator.
export { createPivotSnapProvider, pivotSnap } from './provider';
export { PivotSnapConfig, PivotSnapPaths, DEFAULT_PIVOT_SNAP_PATHS, LEGACY_PIVOT_SNAP_PATHS } from './config';
export { pivotSnapStringToSign, signPivotSnap } from './request';
export type { PivotSnapCredentials, PivotSnapSignature } from './request';
