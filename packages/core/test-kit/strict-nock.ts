import nock from 'nock';

/**
 * nock as strict as the style guide asks: no real connection leaves the process, and every
 * interceptor a test declared must have been used by the end of that test.
 */
export function useStrictNock(): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}
