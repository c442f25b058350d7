// @kunci/core/provider for provider authors: the HTTP provider pipeline, config base classes and
// decorators, secrets and keys, signing, timestamps, transport, and the normalizer's helpers.
// Listed by name so that a change of API shows in a diff.
export type { TokenFlow, TokenSignature, SigningDescription } from '../provider';
export { HttpTokenProvider } from '../http-provider';
export type { HttpProviderSpec, HttpSettings, PreparedRequest } from '../http-provider';
export {
  BaseProviderConfig,
  SignedProviderConfig,
  IsSecretReference,
  IsKeyPassphrase,
  IsHeaderValue,
  IsEndpointPath,
  validateConfig,
  configError,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
} from '../config';
export type { HeaderValueRule } from '../config';
export { SecretReader, httpSettings, timestampFormat } from '../provider-config';
export type { ConfigRead } from '../provider-config';
export { resolveSecret } from '../secrets';
export type { SecretResult } from '../secrets';
export { loadPrivateKey } from '../keys';
export type { KeyResult } from '../keys';
export {
  signRsaSha256,
  verifyRsaSha256,
  tokenStringToSign,
  serviceStringToSign,
  signHmacSha512,
  minifyJson,
} from '../signing';
export { formatTimestamp, parseOffsetDateTime } from '../timestamp';
export type { TimestampFormat } from '../timestamp';
export { postJson, parseRetryAfter } from '../transport';
export type { RawResponse, PostJsonOptions } from '../transport';
export {
  normalizeResponse,
  rawAnswer,
  codeForHttpStatus,
  providerError,
  buildAccessToken,
  invalidTokenBody,
  codeFields,
} from '../normalize';
export type { EnvelopeSpec, CodeInfo, TokenParts, ProviderErrorDetails, ProviderAnswer } from '../normalize';
export { IsTokenString, IsExpiresIn, IsBearer, IsOffsetDateTime, validateBody, parseSeconds } from '../response';
export type { BodyResult, BodyShape, FieldRule } from '../response';
export {
  ServiceSigningConfig,
  DEFAULT_SERVICE_SIGNING,
  serviceSigningOptions,
  serviceBody,
  signedPath,
  serviceSignature,
  signServiceCall,
  createExternalIdGenerator,
} from '../service-signing';
export type { ServiceSigningOptions, ServiceSignatureParts } from '../service-signing';
