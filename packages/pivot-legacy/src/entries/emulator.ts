// @kunci/pivot-legacy/emulator: an in-process Pivot legacy token endpoint, for the sandbox and tests.
export { createPivotLegacyEmulator, pivotLegacyErrorBody } from '../emulator';
export type { PivotLegacyEmulatorOptions } from '../emulator';
