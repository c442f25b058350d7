import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { OutgoingRequest, ReceivedAnswer } from '@kunci/core/emulator';

/** The most of an answer read: a backend's answer to a notification is a few hundred bytes. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * One request to the backend, the answer whatever its status. Rejects when there is no answer
 * within `timeoutMs` (the request is destroyed, so nothing is left running), or a larger one.
 */
export function sendRequest(request: OutgoingRequest, timeoutMs: number): Promise<ReceivedAnswer> {
  const url = new URL(request.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = Buffer.from(request.body, 'utf8');
  return new Promise<ReceivedAnswer>((resolve, reject) => {
    const req = send(
      url,
      { method: request.method, headers: { ...request.headers, 'Content-Length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`the answer is over ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
