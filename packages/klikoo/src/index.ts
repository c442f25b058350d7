export { createKlikooProvider, klikoo } from './provider';
export { KlikooConfig, DEFAULT_KLIKOO_PATH, KLIKOO_CLIENT_SECRET_LENGTH, klikooClientSecretProblem } from './config';
export { KLIKOO, KLIKOO_SUCCESS, klikooErrorCode, klikooMessage } from './codes';
export type { KlikooAuthCode } from './codes';
export { klikooEnvelope } from './normalize';
export { buildKlikooRequest, klikooStringToSign, klikooSignature } from './request';
export type { KlikooCredentials, KlikooFlow } from './request';
export { createKlikooEmulator, klikooErrorBody, DEFAULT_KLIKOO_TIMESTAMP_TOLERANCE_MS } from './emulator';
export type { KlikooEmulatorOptions, KlikooEmulatorClient } from './emulator';

// Service calls (signed API calls after the token).
export { signKlikooServiceRequest } from './service-signer';
export type { KlikooServiceCredentials } from './service-signer';
export { createKlikooServiceVerifier, KLIKOO_GENERIC_SERVICE } from './service-emulator';
export type { KlikooServiceVerifier, KlikooServiceVerifierOptions } from './service-emulator';
