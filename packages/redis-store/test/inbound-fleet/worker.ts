// One backend instance in its own process: a symmetric and an asymmetric SNAP inbound on the
// fleet's Redis, each behind a loopback node:http server. The parent learns the ports over IPC.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInbound, readRawBody, type Inbound, type InboundAnswer } from '@kunci/inbound';
import { RedisTokenStore } from '../../src';

export interface InboundWorkerSetup {
  redisUrl: string;
  prefix: string;
  clientId: string;
  clientSecret: string;
  publicKey: string;
}

export type InboundWorkerMessage = { type: 'ready'; symmetric: string; asymmetric: string } | { type: 'closed' };

const setup = JSON.parse(process.env.KUNCI_INBOUND_WORKER ?? '{}') as InboundWorkerSetup;
const redis = new RedisTokenStore({ url: setup.redisUrl, prefix: setup.prefix });
const store = redis.inboundStore();
const common = { provider: 'snap', clientId: setup.clientId, publicKey: setup.publicKey, store } as const;
const symmetric = createInbound({ ...common, scheme: 'symmetric', clientSecret: setup.clientSecret });
const asymmetric = createInbound({ ...common, scheme: 'asymmetric' });

function serve(inbound: Inbound): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const send = (answer: InboundAnswer): void => {
      res.writeHead(answer.status, answer.headers);
      res.end(JSON.stringify(answer.body));
    };
    void (async () => {
      try {
        const body = await readRawBody(req, {});
        const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        if (req.url?.endsWith('/access-token/b2b')) return send(await inbound.issueToken(request));
        return send(inbound.reply(await inbound.verify(request)));
      } catch (error) {
        return send(inbound.reply(error));
      }
    })();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

void (async () => {
  const servers = await Promise.all([serve(symmetric), serve(asymmetric)]);
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'close') return;
    void (async () => {
      for (const { server } of servers) await new Promise((resolve) => server.close(resolve));
      await redis.close();
      process.send?.({ type: 'closed' } satisfies InboundWorkerMessage, () => process.disconnect());
    })();
  });
  const [sym, asym] = servers;
  process.send?.({
    type: 'ready',
    symmetric: sym?.url ?? '',
    asymmetric: asym?.url ?? '',
  } satisfies InboundWorkerMessage);
})();
