// Run by memory.mjs as `node --expose-gc bench/memory-child.mjs <samples>`; prints one JSON line.
import { TokenManager } from '@kunci/core';
import { alternate } from './lib/stats.mjs';
import { bindingId, fakeProvider, snapToken } from './lib/tokens.mjs';

const CUSTOMERS = 100_000;
const WARM_UP_CUSTOMERS = 10_000;
const BATCH = 1_000;

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

/** heapUsed once nothing collectable is left (a second pass takes what the first one's finalizers freed). */
function settledHeap() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

// The auth codes are made inside the measured window and kept by nobody but the cache: what the
// cache keeps of them counts, as it would once the requests that brought them are gone.
async function managerBytesPerCustomer(customers) {
  const provider = fakeProvider();
  const before = settledHeap();
  const manager = new TokenManager(provider, { maxEntries: customers });
  const first = bindingId();
  await manager.getToken({ authCode: first });
  for (let filled = 1; filled < customers; filled += BATCH) {
    const batch = Math.min(BATCH, customers - filled);
    await Promise.all(Array.from({ length: batch }, () => manager.getToken({ authCode: bindingId() })));
  }
  const after = settledHeap();
  // Nothing was evicted: the least recently used customer is still served from memory.
  await manager.getToken({ authCode: first });
  if (provider.calls !== customers)
    throw new Error(`expected ${customers} fetches, saw ${provider.calls}: entries were evicted`);
  await manager.close();
  return (after - before) / customers;
}

/** The floor: the same token objects alone, in a Map keyed by the auth code. */
function mapBytesPerCustomer(customers) {
  const before = settledHeap();
  const tokens = new Map();
  for (let i = 0; i < customers; i++) tokens.set(bindingId(), snapToken({ customer: true }));
  const after = settledHeap();
  if (tokens.size !== customers) throw new Error('the baseline map lost entries');
  return (after - before) / customers;
}

const samples = Number(process.argv[2] ?? 7);
// Code compiled during the first fill would otherwise count as memory of the first sample.
await managerBytesPerCustomer(WARM_UP_CUSTOMERS);
mapBytesPerCustomer(WARM_UP_CUSTOMERS);
const result = await alternate(
  samples,
  () => managerBytesPerCustomer(CUSTOMERS),
  () => mapBytesPerCustomer(CUSTOMERS),
);
process.stdout.write(`${JSON.stringify({ ...result, customers: CUSTOMERS })}\n`);
