import type { IncomingMessage } from 'node:http';
import type { AuthError } from '@kunci/core';
import { refusal, REFUSALS, type Refusal } from './errors';
import { DEFAULT_MAX_BODY_BYTES } from './request';

/** Default time a sender has to deliver its whole body. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

export interface ReadRawBodyOptions {
  /** The largest body read, in bytes; default 100 KiB. A larger one is refused at the first byte past it. */
  maxBodyBytes?: number | undefined;
  /** The time for the whole body, in milliseconds; default 10 s. */
  timeoutMs?: number | undefined;
}

/**
 * The body of a node request as the bytes that arrived, within a size limit and a time limit (a
 * slow sender is refused, never waited for): what `verify` takes. A declared `content-length` over
 * the limit is refused before anything is read. Rejects with the refusal `createInbound`'s `reply`
 * turns into an answer (413, 408 or 400); the stream is then left unread (answer with
 * `connection: close`).
 */
export function readRawBody(req: IncomingMessage, options: ReadRawBodyOptions = {}): Promise<Buffer> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  if (req.readableEnded)
    return Promise.reject(
      refused(REFUSALS.malformed, 'the body was already read (a body parser ran before): give the raw body.'),
    );
  return new Promise<Buffer>((resolve, reject: (error: AuthError) => void) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      finish(refused(REFUSALS.tooSlow, `the body did not arrive within ${timeoutMs} ms.`));
    }, timeoutMs);
    const finish = (error: AuthError | undefined): void => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (error === undefined) resolve(Buffer.concat(chunks, size));
      else {
        req.pause();
        reject(error);
      }
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) finish(tooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish(undefined);
    const onError = (): void =>
      finish(refused(REFUSALS.malformed, 'the request stream failed while reading the body.'));
    const onClose = (): void =>
      finish(refused(REFUSALS.malformed, 'the sender closed the connection before the body ended.'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function refused(why: Refusal, message: string): AuthError {
  return refusal('inbound', why, undefined, message);
}

function tooLarge(limit: number): AuthError {
  return refused(REFUSALS.tooLarge, `the body is larger than ${limit} bytes (maxBodyBytes).`);
}
