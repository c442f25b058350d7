// @kunci/core/emulator: what the providers' emulators are built from and the loopback server they
// are served on. Loaded by the sandbox and by tests, never by an application's token path.
export {
  jsonResponse,
  parseJsonObject,
  timestampWithin,
  fakeJwt,
  dated,
  refused,
  defineEmulator,
  NOTIFICATION_VARIANTS,
} from '../emulator';
export type {
  ProviderEmulator,
  EmulatedRequest,
  EmulatedResponse,
  Refusal,
  EmulatorSpec,
  EmulatorSettings,
  EmulatorDriver,
  SandboxKeys,
  OwnKey,
  ConfigReader,
  ConfigClient,
  NotificationVariant,
  OutgoingRequest,
  ReceivedAnswer,
  ExpectedAnswer,
  NotifyInput,
  SignedNotification,
  Notifier,
} from '../emulator';
export { emulatedRequest, startLoopbackServer } from '../loopback-server';
export type { LoopbackServer, LoopbackHandler } from '../loopback-server';
export { SIGNED_TIMESTAMP } from '../timestamp';
export { bearerToken, IssuedTokens, sameSecret, serviceSignatureValid } from '../service-verification';
