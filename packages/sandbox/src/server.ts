import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { emulatedRequest } from '@kunci/core/emulator';
import { MAX_REQUEST_BYTES, type Outcome, type Station } from './station';

export interface StationServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves a station over HTTP. Faults act on the socket itself: a hang keeps it open without an
 * answer, a reset destroys it. `close()` ends every connection, hung ones included, and every
 * pending delay, so that nothing keeps the process alive afterwards.
 */
export async function serveStation(station: Station, host: string, port: number): Promise<StationServer> {
  const delays = new Set<NodeJS.Timeout>();
  let closed = false;

  const realize = (req: IncomingMessage, res: ServerResponse, outcome: Outcome): void => {
    if (closed) return;
    if (outcome.kind === 'hang') return;
    if (outcome.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    res.writeHead(outcome.response.status, outcome.response.headers ?? {});
    res.end(outcome.response.body);
  };

  const respond = (req: IncomingMessage, res: ServerResponse, body: string, tooLarge: boolean): void => {
    const request = emulatedRequest(req, body);
    let outcome: Outcome;
    try {
      outcome = station.handle(request, tooLarge);
    } catch {
      outcome = {
        kind: 'answer',
        delayMs: 0,
        response: { status: 500, headers: { 'content-type': 'text/plain' }, body: 'sandbox error' },
      };
    }
    if (tooLarge) res.setHeader('connection', 'close');
    if (outcome.delayMs <= 0) {
      realize(req, res, outcome);
      return;
    }
    const timer = setTimeout(() => {
      delays.delete(timer);
      realize(req, res, outcome);
    }, outcome.delayMs);
    delays.add(timer);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let answered = false;
    req.on('data', (chunk: Buffer) => {
      if (answered) return;
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) {
        chunks.push(chunk);
        return;
      }
      // Refused at once: the rest of a huge body is never read.
      answered = true;
      respond(req, res, '', true);
      res.on('finish', () => req.socket.destroy());
    });
    req.on('end', () => {
      if (!answered) respond(req, res, Buffer.concat(chunks).toString('utf8'), false);
      answered = true;
    });
    req.on('error', () => req.socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        for (const timer of delays) clearTimeout(timer);
        delays.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
