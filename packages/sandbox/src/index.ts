// The public surface of @kunci/sandbox, listed by name so that a change of API shows in a diff.
export { startSandbox, SANDBOX_BASE_PATHS } from './sandbox';
export type { Sandbox, SandboxOptions, SandboxConfig } from './sandbox';
export { SANDBOX_PROVIDERS } from './drivers';
export type { SandboxClient, SandboxProvider } from './drivers';
export { ownKeyClients } from './own-key';
export type { OwnKey, OwnKeyClients } from './own-key';
export { FAULT_KINDS } from './faults';
export type { Fault, FaultKind, SandboxCall, SandboxFlow } from './faults';
export { MAX_REQUEST_BYTES } from './station';
export type { SandboxRequest, CountFilter } from './station';
export { SANDBOX_NOTIFICATIONS, DEFAULT_NOTIFY_TIMEOUT_MS } from './notify';
export type { NotifyOptions, NotifyResult, NotifyAnswer } from './notify';
export { NOTIFICATION_VARIANTS } from '@kunci/core/emulator';
export type { NotificationVariant } from '@kunci/core/emulator';
