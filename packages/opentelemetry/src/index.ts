// @kunci/opentelemetry: kunci's spans and metrics for OpenTelemetry. Listed by name so that a
// change of API shows in a diff. @opentelemetry/api is a peer: the application's one copy.
export { KunciInstrumentation } from './instrumentation';
export type { KunciInstrumentationConfig } from './instrumentation';
export { KUNCI_SPANS, KUNCI_METRICS, KUNCI_ATTRIBUTES } from './names';
