// @kunci/pivot-snap/emulator: an in-process Pivot SNAP token endpoint, for the sandbox and tests.
export { createPivotSnapEmulator, pivotSnapErrorBody, PIVOT_SNAP_TIMESTAMP_TOLERANCE_MS } from '../emulator';
export type { PivotSnapEmulatorOptions } from '../emulator';
