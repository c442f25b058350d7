// One instance of the fleet bench: the built packages, driven by bench/fleet.mjs over IPC.
import { createHash } from 'node:crypto';
import { TokenManager } from '@kunci/core';
import { createPivotSnapProvider } from '@kunci/pivot-snap';
import { RedisTokenStore } from '@kunci/redis-store';

const { baseUrl, clientId, privateKey, redisUrl } = JSON.parse(process.env.KUNCI_BENCH_FLEET);
const provider = createPivotSnapProvider({ provider: 'pivot-snap', baseUrl, clientId, privateKey });

process.on('message', async (message) => {
  if (message.type === 'close') return process.disconnect();
  const store =
    message.prefix === undefined ? undefined : new RedisTokenStore({ url: redisUrl, prefix: message.prefix });
  const manager = new TokenManager(provider, { ...(store !== undefined ? { store } : {}), lock: { pollMs: 10 } });
  let storeErrors = 0;
  manager.on('storeError', (event) => {
    storeErrors++;
    process.stderr.write(
      `fleet bench: store ${event.operation} failed: ${String(event.error?.message ?? event.error)}\n`,
    );
  });
  const started = performance.now();
  const tokens = await Promise.all(Array.from({ length: message.callers }, () => manager.getToken()));
  const ms = performance.now() - started;
  const distinct = new Set(
    tokens.map((token) => createHash('sha256').update(token.accessToken).digest('hex').slice(0, 16)),
  );
  await manager.close();
  await store?.close();
  process.send({ type: 'done', ms, distinct: [...distinct], storeErrors });
});
process.send({ type: 'ready' });
