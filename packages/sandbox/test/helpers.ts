import { testKeyPair } from '#test-kit';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src';

/**
 * A sandbox of its own for every test of the enclosing block (started in beforeEach, closed in
 * afterEach): no request, fault, client or bound customer of one test is seen by another. The test
 * key pair spares the RSA generation; a start costs a few milliseconds.
 */
export function useSandbox(options: SandboxOptions = {}): () => Sandbox {
  let sandbox: Sandbox | undefined;
  beforeEach(async () => {
    sandbox = await startSandbox({ privateKey: testKeyPair().privateKeyPem, ...options });
  });
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });
  return () => {
    if (sandbox === undefined) throw new Error('the sandbox starts in beforeEach');
    return sandbox;
  };
}

/**
 * Resolves once a sandbox (or a mocked provider) has seen `count` requests: it records each one
 * as it takes it in, before any delayed answer. Looks again after every turn of the event loop; no timer.
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
