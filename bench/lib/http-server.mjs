import { createServer } from 'node:http';

/**
 * A bench server on 127.0.0.1: `handle(req, body, res)` once the request body is read. Returns its
 * origin and `close()`, which ends every connection (keep-alive ones included).
 */
export async function startHttpServer(handle) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    // A peer without a shared request opens one connection per caller, all at once: a backlog of
    // node's default 511 overflows and the kernel resets the rest.
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
