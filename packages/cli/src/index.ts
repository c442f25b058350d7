// The public surface of @kunci/cli (the `kunci` bin is dist/cjs/bin.js), listed by name.
export { run } from './program';
export { runDemo, printDemo } from './commands/demo';
export type { DemoCall, DemoReport, DemoRow } from './commands/demo';
export { signToken, signService } from './commands/sign';
export type { Signed, SignedService, SignOptions } from './commands/sign';
export { EXIT, LIKELY_CAUSE, UsageError } from './errors';
export { processIo } from './io';
export type { Io } from './io';
