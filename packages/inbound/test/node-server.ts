import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRawBody, type Inbound, type InboundAnswer, type InboundNotification } from '../src';

export interface NodeServer {
  url: string;
  /** Every notification accepted, in order. */
  accepted: InboundNotification[];
  /** Every refusal's error, in order (what the backend would log). */
  refused: unknown[];
  close(): Promise<void>;
}

/**
 * The framework-free set-up on plain node:http, as docs/inbound.md shows it: the token route and
 * every other path verified as a notification.
 */
export async function startNodeServer(
  inbound: Inbound,
  options: { tokenPath?: string; timeoutMs?: number; maxBodyBytes?: number } = {},
): Promise<NodeServer> {
  const accepted: InboundNotification[] = [];
  const refused: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const answer = (result: InboundAnswer): void => {
      res.writeHead(result.status, req.complete ? result.headers : { ...result.headers, connection: 'close' });
      res.end(JSON.stringify(result.body));
    };
    void (async () => {
      try {
        const body = await readRawBody(req, { timeoutMs: options.timeoutMs, maxBodyBytes: options.maxBodyBytes });
        const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        if (req.url === (options.tokenPath ?? '/v1.0/access-token/b2b')) {
          const result = await inbound.issueToken(request);
          if (result.error !== undefined) refused.push(result.error);
          answer(result);
          return;
        }
        const notification = await inbound.verify(request);
        accepted.push(notification);
        answer(inbound.reply(notification));
      } catch (error) {
        refused.push(error);
        answer(inbound.reply(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
