// One instance of a fleet, in its own process: a TokenManager over the real pivot-snap provider,
// on a RedisTokenStore (or alone), driven by the parent over IPC.
import { createHash } from 'node:crypto';
import { TokenManager, type AccessToken } from '@kunci/core';
import { createPivotSnapProvider } from '@kunci/pivot-snap';
import { RedisTokenStore } from '../../src';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './protocol';

const setup = JSON.parse(process.env.KUNCI_FLEET_WORKER ?? '{}') as WorkerSetup;
let clockOffsetMs = 0;
const clock = (): number => Date.now() + clockOffsetMs;
const store =
  setup.redisUrl === undefined ? undefined : new RedisTokenStore({ url: setup.redisUrl, prefix: setup.prefix });
const provider = createPivotSnapProvider({
  provider: 'pivot-snap',
  baseUrl: setup.baseUrl,
  clientId: setup.clientId,
  privateKey: setup.privateKey,
  clock,
});
const manager = new TokenManager(provider, {
  ...(store !== undefined ? { store } : {}),
  refreshBeforeSeconds: setup.refreshBeforeSeconds,
  lock: { pollMs: 20, waitMs: 5_000 },
  clock,
});
let storeErrors = 0;
manager.on('storeError', () => void storeErrors++);

// The parent compares tokens across processes without any token crossing a pipe.
const fingerprint = (token: AccessToken): string =>
  createHash('sha256').update(token.accessToken).digest('hex').slice(0, 16);

function refreshSettled(): Promise<void> {
  return new Promise((resolve) => {
    const off = manager.on('refresh', (event) => {
      if (event.phase === 'started') return;
      off();
      resolve();
    });
  });
}

async function burst(request: Extract<WorkerRequest, { type: 'burst' }>): Promise<WorkerReply> {
  const refreshed = request.awaitRefresh ? refreshSettled() : undefined;
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
    storeErrors,
  };
}

/** Asks the store (not the manager, whose counters stay as they are) until a command succeeds. */
async function storeReady(): Promise<WorkerReply> {
  if (store === undefined) throw new Error('a worker without a store has none to wait for');
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
    if (message.type === 'burst') {
      process.send?.(await burst(message));
    } else if (message.type === 'storeReady') {
      process.send?.(await storeReady());
    } else if (message.type === 'advance') {
      clockOffsetMs += message.ms;
      process.send?.({ type: 'advanced' } satisfies WorkerReply);
    } else {
      await manager.close();
      await store?.close();
      process.disconnect();
    }
  })().catch((error: unknown) => {
    process.stderr.write(`fleet worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
});
process.send?.({ type: 'ready' } satisfies WorkerReply);
