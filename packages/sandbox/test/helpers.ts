import { testKeyPair } from '#test-kit';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src';

/**
 * A sandbox for the enclosing describe block (started in beforeAll, closed in afterAll), faults
 * cleared after each test; with `each`, a sandbox of its own for every test (started in
 * beforeEach, closed in afterEach), so that no request or fault of one test is seen by another.
 * The test key pair spares the RSA generation.
 */
export function useSandbox(options: SandboxOptions = {}, scope: 'all' | 'each' = 'all'): () => Sandbox {
  let sandbox: Sandbox | undefined;
  const start = async (): Promise<void> => {
    sandbox = await startSandbox({ privateKey: testKeyPair().privateKeyPem, ...options });
  };
  const stop = async (): Promise<void> => {
    await sandbox?.close();
    sandbox = undefined;
  };
  if (scope === 'each') {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterEach(() => sandbox?.clearFaults());
    afterAll(stop);
  }
  return () => {
    if (sandbox === undefined) throw new Error(`the sandbox starts in before${scope === 'each' ? 'Each' : 'All'}`);
    return sandbox;
  };
}

/**
 * Resolves once the sandbox has seen `count` requests: it records each one as it takes it in,
 * before any delayed answer. Looks again after every turn of the event loop; no timer.
 */
export async function seen(sandbox: Pick<Sandbox, 'count'>, count: number): Promise<void> {
  while (sandbox.count() < count) await new Promise((resolve) => setImmediate(resolve));
}

/** The rejection of a promise that must fail. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}
