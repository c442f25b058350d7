// @kunci/snap/emulator: an in-process SNAP provider (any profile), for the sandbox and tests, and
// the driver the sandbox plays it by.
export { createSnapEmulator, SNAP_TIMESTAMP_TOLERANCE_MS } from '../emulator';
export type { SnapEmulatorOptions, SnapEmulatorClient } from '../emulator';
export {
  createSnapServiceVerifier,
  snapServiceSignatureValid,
  snapTimestampRefusal,
  SNAP_GENERIC_SERVICE,
} from '../service-emulator';
export type { SnapServiceVerifier, SnapServiceVerifierOptions, SnapServiceRules } from '../service-emulator';
export { snapErrorBody, snapError, snapMissingField } from '../errors';
export { snapDriver, snapGatewayError, snapClientFromConfig } from '../driver';
export type { SnapSandboxCredentials, SnapSandboxConfig, SnapSandboxClient } from '../driver';
