// @kunci/snap/emulator: an in-process SNAP provider (any profile), for the sandbox and tests.
export { createSnapEmulator, SNAP_TIMESTAMP_TOLERANCE_MS } from '../emulator';
export type { SnapEmulatorOptions } from '../emulator';
export {
  createSnapServiceVerifier,
  snapServiceSignatureValid,
  snapErrorBody,
  SNAP_GENERIC_SERVICE,
} from '../service-emulator';
export type { SnapServiceVerifier, SnapServiceVerifierOptions } from '../service-emulator';
