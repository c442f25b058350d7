// The receiving side of a backend instance: a symmetric and an asymmetric SNAP inbound on the
// fleet's Redis, each behind a loopback node:http server (the framework-free set-up of
// docs/inbound.md). A fleet worker starts it when asked.
import { createInbound } from '@kunci/inbound';
import { startNodeServer } from '../../../inbound/test/node-server';
import { RedisTokenStore } from '../../src';

export interface InboundBackendSetup {
  redisUrl: string;
  prefix: string;
  clientId: string;
  clientSecret: string;
  publicKey: string;
}

export interface InboundBackend {
  /** The base URLs of the symmetric and the asymmetric inbound. */
  symmetric: string;
  asymmetric: string;
  close(): Promise<void>;
}

export async function startInboundBackend(setup: InboundBackendSetup): Promise<InboundBackend> {
  const redis = new RedisTokenStore({ url: setup.redisUrl, prefix: setup.prefix });
  const store = redis.inboundStore();
  const common = { provider: 'snap', clientId: setup.clientId, publicKey: setup.publicKey, store } as const;
  const [symmetric, asymmetric] = await Promise.all([
    startNodeServer(createInbound({ ...common, scheme: 'symmetric', clientSecret: setup.clientSecret })),
    startNodeServer(createInbound({ ...common, scheme: 'asymmetric' })),
  ]);
  return {
    symmetric: symmetric.url,
    asymmetric: asymmetric.url,
    close: async () => {
      await Promise.all([symmetric.close(), asymmetric.close()]);
      await redis.close();
    },
  };
}
