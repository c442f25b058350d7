// @kunci/core/provider for provider authors: the provider packages, and kunci's own sdk, CLI, sandbox
// and Redis store. The HTTP provider pipeline, config base classes and decorators, secrets and keys,
// signing, timestamps, and the normalizer's helpers: each name one of those readers imports, listed
// by name so that a change of API shows in a diff.
export { KUNCI } from '../errors';
export { isObject, parseJsonText, lowerHeaders, urlPath } from '../plain';
export type { TokenFlow, TokenSignature, SigningDescription, PublicKeyForm } from '../provider';
export { HttpTokenProvider } from '../http-provider';
export type { PreparedRequest } from '../http-provider';
export {
  BaseProviderConfig,
  SignedProviderConfig,
  IsSecretReference,
  IsKeyPassphrase,
  IsHeaderValue,
  IsEndpointPath,
  validateConfig,
  configError,
} from '../config';
export { SecretReader, httpSettings, timestampFormat } from '../provider-config';
export { resolveSecret, readTextFile, readJsonFile } from '../secrets';
export { loadPrivateKey } from '../keys';
export { signRsaSha256, verifyRsaSha256, tokenStringToSign, serviceStringToSign, minifyJson } from '../signing';
export { formatTimestamp, parseOffsetDateTime } from '../timestamp';
export type { TimestampFormat } from '../timestamp';
export type { RawResponse } from '../transport';
export {
  normalizeResponse,
  rawAnswer,
  codeForHttpStatus,
  providerError,
  buildAccessToken,
  invalidTokenBody,
  codeFields,
} from '../normalize';
export type { EnvelopeSpec, CodeInfo, ProviderAnswer } from '../normalize';
export { IsTokenString, IsExpiresIn, IsBearer, IsOffsetDateTime, validateBody } from '../response';
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
export type { ServiceSigningOptions } from '../service-signing';
export { checkOptions, describeValue, func, integer, MAX_TIMER_MS } from '../options-check';
export type { OptionRule, OptionsSchema } from '../options-check';
