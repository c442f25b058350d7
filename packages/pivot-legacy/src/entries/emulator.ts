// @kunci/pivot-legacy/emulator: an in-process Pivot legacy token endpoint and the driver the sandbox plays it by.
export { createPivotLegacyEmulator } from '../emulator';
export type { PivotLegacyEmulatorOptions } from '../emulator';
export { pivotLegacyErrorBody } from '../errors';
export { pivotLegacyDriver } from '../driver';
export type { PivotLegacyEmulatorMerchant, PivotLegacySandboxConfig } from '../driver';
