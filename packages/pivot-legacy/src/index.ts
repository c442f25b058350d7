// @kunci/pivot-legacy for applications: the provider, its config and its default token path.
// The emulator is @kunci/pivot-legacy/emulator.
export { createPivotLegacyProvider, pivotLegacy } from './provider';
export { PivotLegacyConfig, DEFAULT_PIVOT_LEGACY_PATH } from './config';
