import { connect, type Socket } from 'node:net';
import { testKeyPair } from '#test-kit';
import { isAuthError } from '@kunci/core';
import { createTokenProvider, TokenManager, type ProviderConfig } from '@kunci/sdk';
import { startSandbox, type Sandbox, type SandboxProvider } from '../src';
import { seen } from './helpers';

// Closing a sandbox while requests are in flight ends each of them: the client gets a NETWORK
// error, and the process (this jest worker) goes on.

const sandboxes: Sandbox[] = [];
afterEach(async () => {
  for (const sandbox of sandboxes.splice(0)) await sandbox.close();
});

async function sandbox(): Promise<Sandbox> {
  // The test key pair spares the RSA generation: closing has nothing to do with the credentials.
  const started = await startSandbox({ port: 0, privateKey: testKeyPair().privateKeyPem });
  sandboxes.push(started);
  return started;
}

const entry = (from: Sandbox, name: SandboxProvider): ProviderConfig => from.config().providers[name];

/** Settles with the AuthError code of a failed fetch, or 'token'. */
const outcome = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'token',
    (error: unknown) => (isAuthError(error) ? error.code : `not an AuthError: ${String(error)}`),
  );

/** A request whose body stops half-way: the server holds it, waiting for the rest. */
function halfSent(url: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write('POST /x HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a":');
      resolve({ socket, closed: new Promise((done) => socket.once('close', () => done())) });
    });
    socket.on('error', () => undefined);
  });
}

describe('closing a sandbox with requests in flight', () => {
  it('a hung request, a delayed one and a half-sent body end; each client gets a NETWORK error', async () => {
    const target = await sandbox();
    target.inject({ provider: 'pivot-legacy', kind: 'hang' });
    target.inject({ provider: 'klikoo', kind: 'latency', ms: 60_000 });
    const hung = outcome(createTokenProvider(entry(target, 'pivot-legacy')).fetchToken());
    const delayed = outcome(createTokenProvider(entry(target, 'klikoo')).fetchToken());
    const half = await halfSent(target.url);
    await seen(target, 2);
    await target.close();
    expect(await Promise.all([hung, delayed])).toEqual(['NETWORK', 'NETWORK']);
    await half.closed;
  });

  it('a manager refreshing in the background while the sandbox closes gets a NETWORK error, then closes', async () => {
    const target = await sandbox();
    let now = Date.now();
    const manager = new TokenManager(createTokenProvider(entry(target, 'pivot-snap')), {
      clock: () => now,
      random: () => 0,
      retry: false,
    });
    try {
      await manager.getToken();
      target.inject({ kind: 'latency', ms: 60_000 });
      const failed = new Promise<unknown>((resolve) => {
        const off = manager.on('error', (event) => {
          off();
          resolve(event);
        });
      });
      // 14.5 of the token's 15 minutes: inside the refresh window, still valid.
      now += 870_000;
      await manager.getToken();
      await seen(target, 2);
      await target.close();
      expect(await failed).toMatchObject({ background: true, stale: true, error: { code: 'NETWORK' } });
    } finally {
      await manager.close();
    }
  });
});
