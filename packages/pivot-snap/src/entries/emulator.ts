// @kunci/pivot-snap/emulator: an in-process Pivot SNAP token endpoint and API, and the driver the sandbox plays it by.
export { createPivotSnapEmulator, PIVOT_SNAP_TIMESTAMP_TOLERANCE_MS } from '../emulator';
export type { PivotSnapEmulatorOptions, PivotSnapEmulatorClient } from '../emulator';
export { pivotSnapErrorBody } from '../errors';
export { pivotSnapDriver } from '../driver';
export type { PivotSnapSandboxCredentials, PivotSnapSandboxConfig } from '../driver';
