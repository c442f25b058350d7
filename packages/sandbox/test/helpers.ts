import { testKeyPair } from '#test-kit';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src';

/**
 * A sandbox for the enclosing describe block (started in beforeAll, closed in afterAll), faults
 * cleared after each test. The test key pair spares the RSA generation.
 */
export function useSandbox(options: SandboxOptions = {}): () => Sandbox {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({ privateKey: testKeyPair().privateKeyPem, ...options });
  });
  afterEach(() => sandbox?.clearFaults());
  afterAll(() => sandbox?.close());
  return () => {
    if (sandbox === undefined) throw new Error('the sandbox starts in beforeAll');
    return sandbox;
  };
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
