import { REFUSALS } from './errors';
import { Refused } from './request';
import { MemoryInboundStore, type InboundStore } from './store';

/** The longest a store call may take before the request is refused (a store that hangs must not hang it). */
export const STORE_TIMEOUT_MS = 5_000;

const failed = (): Refused =>
  new Refused(REFUSALS.internal, 'the inbound store failed or did not answer; nothing was accepted.');

async function bounded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch {
    throw failed();
  }
}

async function timed<T>(call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('store timeout')), STORE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([Promise.resolve().then(call), timeout]);
  } catch {
    throw failed();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The store as the checks use it: a failure, or silence past `STORE_TIMEOUT_MS`, refuses the
 * request as a General Error (500, which providers retry): without the replay guard or the issued
 * tokens nothing can be accepted, and the store's own error (which may name a host or a key) stays
 * out of the answer. The memory store answers without I/O: no timer is armed for it.
 */
export function guardStore(store: InboundStore): InboundStore {
  const guard = store instanceof MemoryInboundStore ? bounded : timed;
  return {
    claim: (key, ttlMs) => guard(() => store.claim(key, ttlMs)),
    put: (key, value, ttlMs) => guard(() => store.put(key, value, ttlMs)),
    get: (key) => guard(() => store.get(key)),
    delete: (key) => guard(() => store.delete(key)),
  };
}
