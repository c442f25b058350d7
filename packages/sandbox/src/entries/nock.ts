// The public surface of @kunci/sandbox/nock: the providers' side inside a jest process, on the
// application's own baseUrl, and recorded contract fixtures. nock is a peer dependency: only this
// entry loads it.
export { mockProvider } from '../mock-provider';
export type { MockProviderOptions, MockedProvider } from '../mock-provider';
export { recordProvider } from '../record';
export type { RecordProviderOptions } from '../record';
export { replayProvider } from '../replay';
export type { ReplayProviderOptions } from '../replay';
export { FIXTURE_FORMAT } from '../fixture';
export type { ProviderFixture, FixtureExchange } from '../fixture';
