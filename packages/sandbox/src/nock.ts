// The public surface of @kunci/sandbox/nock: the providers' side inside a jest process, on the
// application's own baseUrl. nock is a peer dependency: only this entry loads it.
export { mockProvider } from './mock-provider';
export type { MockProviderOptions, MockedProvider } from './mock-provider';
