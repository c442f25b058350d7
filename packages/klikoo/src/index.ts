// @kunci/klikoo for applications: the provider, its config, its default token path and the pure
// request builder the docs name for tests and for debugging a rejected signature. The emulator is
// @kunci/klikoo/emulator.
export { createKlikooProvider, klikoo } from './provider';
export { KlikooConfig, DEFAULT_KLIKOO_PATH } from './config';
export { buildKlikooRequest, klikooStringToSign, signKlikoo } from './request';
export type { KlikooCredentials, KlikooFlow } from './request';
