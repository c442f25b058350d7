// One instance of a fleet, in its own process: a TokenManager over the real pivot-snap provider,
// on a RedisTokenStore (or alone), and when asked the receiving side of a backend (inbound routes,
// ./inbound-backend.ts), driven by the parent over IPC. The process serves every scenario of its
// test file, each with an instance of its own.
import { createHash } from 'node:crypto';
import { TokenManager, type AccessToken } from '@kunci/core';
import { createPivotSnapProvider } from '@kunci/pivot-snap';
import { RedisTokenStore } from '../../src';
import type { InboundBackend, InboundBackendSetup } from './inbound-backend';
import type { InstanceSetup, WorkerCredentials, WorkerReply, WorkerRequest } from './protocol';

const credentials = JSON.parse(process.env.KUNCI_FLEET_WORKER ?? '{}') as WorkerCredentials;

interface Instance {
  manager: TokenManager;
  store: RedisTokenStore | undefined;
  storeErrors: number;
}

let current: Instance | undefined;
/** The instance's clock (its provider's and TokenManager's): Date.now() moved forward by `advance`. */
let clockOffsetMs = 0;
const clock = (): number => Date.now() + clockOffsetMs;

function instance(): Instance {
  if (current === undefined) throw new Error('no instance yet: the parent sends "instance" first');
  return current;
}

async function closeInstance(): Promise<void> {
  const closing = current;
  current = undefined;
  await closing?.manager.close();
  await closing?.store?.close();
}

async function startInstance(setup: InstanceSetup): Promise<WorkerReply> {
  await closeInstance();
  const store =
    setup.redisUrl === undefined ? undefined : new RedisTokenStore({ url: setup.redisUrl, prefix: setup.prefix });
  clockOffsetMs = 0;
  const provider = createPivotSnapProvider({
    provider: 'pivot-snap',
    baseUrl: setup.baseUrl,
    clientId: credentials.clientId,
    privateKey: credentials.privateKey,
    clock,
  });
  const manager = new TokenManager(provider, {
    ...(store !== undefined ? { store } : {}),
    refreshBeforeSeconds: setup.refreshBeforeSeconds,
    lock: { pollMs: 20, waitMs: 5_000 },
    clock,
  });
  const started: Instance = { manager, store, storeErrors: 0 };
  manager.on('storeError', () => void started.storeErrors++);
  current = started;
  return { type: 'instance' };
}

let backend: InboundBackend | undefined;

async function startBackend(setup: InboundBackendSetup): Promise<WorkerReply> {
  await backend?.close();
  backend = undefined;
  // Loaded on demand: the scenarios that only fetch tokens do not pay for @kunci/inbound.
  const { startInboundBackend } = await import('./inbound-backend');
  backend = await startInboundBackend(setup);
  return { type: 'inbound', symmetric: backend.symmetric, asymmetric: backend.asymmetric };
}

// The parent compares tokens across processes without any token crossing a pipe.
const fingerprint = (token: AccessToken): string =>
  createHash('sha256').update(token.accessToken).digest('hex').slice(0, 16);

function refreshSettled(manager: TokenManager): Promise<void> {
  return new Promise((resolve) => {
    const off = manager.on('refresh', (event) => {
      if (event.phase === 'started') return;
      off();
      resolve();
    });
  });
}

async function burst(request: Extract<WorkerRequest, { type: 'burst' }>): Promise<WorkerReply> {
  const { manager } = instance();
  const refreshed = request.awaitRefresh ? refreshSettled(manager) : undefined;
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: request.callers }, () =>
      manager.getToken(request.authCode !== undefined ? { authCode: request.authCode } : undefined),
    ),
  );
  const ms = performance.now() - started;
  if (refreshed !== undefined) await refreshed;
  const tokens = results.flatMap((result) => (result.status === 'fulfilled' ? [fingerprint(result.value)] : []));
  const latest = fingerprint(
    await manager.getToken(request.authCode !== undefined ? { authCode: request.authCode } : undefined),
  );
  return {
    type: 'burst',
    ok: tokens.length,
    failed: results.length - tokens.length,
    distinct: [...new Set(tokens)],
    latest,
    ms,
    storeErrors: instance().storeErrors,
  };
}

/** Asks the store (not the manager, whose counters stay as they are) until a command succeeds. */
async function storeReady(): Promise<WorkerReply> {
  const { store } = instance();
  if (store === undefined) throw new Error('an instance without a store has none to wait for');
  // While node-redis reconnects, a command fails at once (no offline queue): ask again shortly.
  while (
    !(await store.get('ready-probe').then(
      () => true,
      () => false,
    ))
  )
    await new Promise((resolve) => setTimeout(resolve, 10));
  return { type: 'storeReady' };
}

process.on('message', (message: WorkerRequest) => {
  void (async () => {
    if (message.type === 'instance') {
      process.send?.(await startInstance(message));
    } else if (message.type === 'burst') {
      process.send?.(await burst(message));
    } else if (message.type === 'storeReady') {
      process.send?.(await storeReady());
    } else if (message.type === 'inbound') {
      const { type: _, ...setup } = message;
      process.send?.(await startBackend(setup));
    } else if (message.type === 'advance') {
      clockOffsetMs += message.ms;
      process.send?.({ type: 'advanced' } satisfies WorkerReply);
    } else {
      await closeInstance();
      await backend?.close();
      process.disconnect();
    }
  })().catch((error: unknown) => {
    process.stderr.write(`fleet worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
});
process.send?.({ type: 'ready' } satisfies WorkerReply);
