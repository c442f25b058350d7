import { REFUSALS } from './errors';
import { Refused } from './request';

/** The longest a store call may take before the request is refused (a store that hangs must not hang it). */
export const STORE_TIMEOUT_MS = 5_000;

/**
 * A store call whose failure, or silence past `STORE_TIMEOUT_MS`, refuses the request as a General
 * Error (500, which providers retry): without the replay guard or the issued tokens nothing can be
 * accepted, and the store's own error (which may name a host or a key) stays out of the answer.
 */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('store timeout')), STORE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([Promise.resolve().then(call), timeout]);
  } catch {
    throw new Refused(REFUSALS.internal, 'the inbound store failed or did not answer; nothing was accepted.');
  } finally {
    clearTimeout(timer);
  }
}
