export { createPivotLegacyProvider, pivotLegacy } from './provider';
export { PivotLegacyConfig, DEFAULT_PIVOT_LEGACY_PATH } from './config';
export { PIVOT_LEGACY, PIVOT_LEGACY_SUCCESS, pivotLegacyErrorCode } from './codes';
export { pivotLegacyEnvelope } from './normalize';
export { buildPivotLegacyRequest } from './request';
export type { PivotLegacyCredentials } from './request';
export { createPivotLegacyEmulator, pivotLegacyErrorBody } from './emulator';
export type { PivotLegacyEmulatorOptions } from './emulator';
