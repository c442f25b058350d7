import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startLoopbackServer, type LoopbackServer } from '@kunci/core/emulator';
import { testKeyPair } from '#test-kit';
import { createPivotSnapEmulator } from '@kunci/pivot-snap/emulator';
import type { InboundBackendSetup } from './inbound-backend';
import type { InstanceSetup, WorkerCredentials, WorkerReply, WorkerRequest } from './protocol';

export const CLIENT_ID = 'kunci-fleet-client';
const WORKER_START_MS = 15_000;

/**
 * Pivot SNAP's emulator on loopback: B2B tokens of 15 minutes, and any `BND-` auth code as a bound
 * customer. A test whose instances move their clocks forward widens the timestamp tolerance.
 */
export function startSnapServer(
  options: { clock?: () => number; timestampToleranceMs?: number } = {},
): Promise<LoopbackServer> {
  const emulator = createPivotSnapEmulator({
    clients: [{ clientId: CLIENT_ID, publicKey: testKeyPair().publicKey }],
    authCodePattern: /^BND-/,
    ...options,
  });
  return startLoopbackServer((request) => emulator.handle(request));
}

type BurstReply = Extract<WorkerReply, { type: 'burst' }>;
export type InboundUrls = Omit<Extract<WorkerReply, { type: 'inbound' }>, 'type'>;

export interface Fleet {
  /** Every worker closes the instance it ran and starts a new one (fresh memory, clock and counters). */
  instances(setup: InstanceSetup): Promise<void>;
  /** Every worker runs the burst at once; the replies in worker order. */
  burst(request: Omit<Extract<WorkerRequest, { type: 'burst' }>, 'type'>): Promise<BurstReply[]>;
  advance(ms: number): Promise<void>;
  /** The first `count` workers start their receiving side; the base URLs of each, in worker order. */
  inbound(setup: InboundBackendSetup, count: number): Promise<InboundUrls[]>;
  /** Resolves once every worker's store serves commands again. */
  storeReady(): Promise<void>;
  close(): Promise<void>;
}

function nextReply(child: ChildProcess, type: WorkerReply['type'], timeoutMs: number): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`a fleet worker sent no "${type}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: WorkerReply): void => {
      if (message.type === type) done(undefined, message);
    };
    const onExit = (code: number | null): void =>
      done(new Error(`a fleet worker exited (${String(code)}) before "${type}"`));
    function done(error?: Error, message?: WorkerReply): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error !== undefined) reject(error);
      else resolve(message as WorkerReply);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * `size` worker processes, started once for a test file: each scenario gives them instances over
 * the same provider (and the same Redis, when `redisUrl` is set) with `instances`.
 */
export async function startFleet(size: number): Promise<Fleet> {
  const credentials: WorkerCredentials = { clientId: CLIENT_ID, privateKey: testKeyPair().privateKeyPem };
  const env = { ...process.env, KUNCI_FLEET_WORKER: JSON.stringify(credentials) };
  const children = Array.from({ length: size }, () =>
    fork(join(__dirname, 'worker.ts'), [], {
      env,
      execArgv: ['-r', join(__dirname, '..', '..', '..', '..', 'scripts', 'from-source.cjs')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const all = async (
    request: WorkerRequest,
    type: WorkerReply['type'],
    workers = children,
    timeoutMs = 10_000,
  ): Promise<WorkerReply[]> => {
    const replies = workers.map((child) => nextReply(child, type, timeoutMs));
    for (const child of workers) child.send(request);
    return Promise.all(replies);
  };
  const close = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (child.connected) child.send({ type: 'close' } satisfies WorkerRequest);
            else child.kill('SIGKILL');
          }),
      ),
    );
  };
  try {
    await Promise.all(children.map((child) => nextReply(child, 'ready', WORKER_START_MS)));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    instances: async (setup) => void (await all({ type: 'instance', ...setup }, 'instance')),
    burst: async (request) => (await all({ type: 'burst', ...request }, 'burst')) as BurstReply[],
    advance: async (ms) => void (await all({ type: 'advance', ms }, 'advanced')),
    storeReady: async () => void (await all({ type: 'storeReady' }, 'storeReady')),
    inbound: async (setup, count) =>
      (await all({ type: 'inbound', ...setup }, 'inbound', children.slice(0, count))).map((reply) => {
        const { type: _, ...urls } = reply as Extract<WorkerReply, { type: 'inbound' }>;
        return urls;
      }),
    close,
  };
}
