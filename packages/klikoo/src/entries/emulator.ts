// @kunci/klikoo/emulator: an in-process Klikoo token endpoint, for the sandbox and tests.
export { createKlikooEmulator, klikooErrorBody, DEFAULT_KLIKOO_TIMESTAMP_TOLERANCE_MS } from '../emulator';
export type { KlikooEmulatorOptions, KlikooEmulatorClient } from '../emulator';
