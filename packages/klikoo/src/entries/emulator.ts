// @kunci/klikoo/emulator: an in-process Klikoo token endpoint and API, and the driver the sandbox plays it by.
export { createKlikooEmulator, DEFAULT_KLIKOO_TIMESTAMP_TOLERANCE_MS } from '../emulator';
export type { KlikooEmulatorOptions, KlikooEmulatorClient } from '../emulator';
export { klikooErrorBody } from '../errors';
export { klikooDriver } from '../driver';
export type { KlikooSandboxCredentials, KlikooSandboxConfig } from '../driver';
