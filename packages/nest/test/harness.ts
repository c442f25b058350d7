import nock from 'nock';
import { useStrictNock } from '#test-kit';
import { startStandIn, type StandIn } from './stand-in';

/** A stand-in server for the file (strict nock, loopback allowed); the getter works once beforeAll ran. */
export function useStandIn(): () => StandIn & { secrets: string[] } {
  useStrictNock();
  let standIn: (StandIn & { secrets: string[] }) | undefined;
  beforeAll(async () => {
    standIn = await startStandIn();
    nock.enableNetConnect(/^127\.0\.0\.1:\d+$/);
  });
  afterAll(() => standIn?.close());
  return () => {
    if (standIn === undefined) throw new Error('the stand-in starts in beforeAll');
    return standIn;
  };
}

/** What a test opened, closed after it in reverse order. */
export function useOpened(): Array<{ close(): Promise<void> }> {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const item of opened.splice(0).reverse()) await item.close();
  });
  return opened;
}

/** The rejection of a promise, or undefined when it resolves. */
export function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}
