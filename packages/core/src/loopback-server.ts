import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatedRequest, EmulatedResponse } from './emulator';

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Every request served, in order. */
  readonly requests: EmulatedRequest[];
  close(): Promise<void>;
}

export type LoopbackHandler = (request: EmulatedRequest) => EmulatedResponse | Promise<EmulatedResponse>;

const MAX_REQUEST_BYTES = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A received request as an emulator sees it: lower-case headers (repeated ones joined), the path
 * without its query, and the request target as received, which a signed service call is verified
 * against.
 */
export function emulatedRequest(req: IncomingMessage, body: string): EmulatedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const url = req.url ?? '/';
  return { method: req.method ?? 'GET', path: url.split('?')[0] ?? '/', url, headers, body };
}

/** An HTTP server on 127.0.0.1 only (never another interface), port chosen by the OS unless given. */
export async function startLoopbackServer(handler: LoopbackHandler, port = 0): Promise<LoopbackServer> {
  const requests: EmulatedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const request = emulatedRequest(req, await readBody(req));
        requests.push(request);
        const response = await handler(request);
        res.writeHead(response.status, response.headers ?? {});
        res.end(response.body);
      } catch {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('loopback server error');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
