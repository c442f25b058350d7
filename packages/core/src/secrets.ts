import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';

export type SecretResult = { ok: true; value: string } | { ok: false; problem: string };

/** More than any key, secret or certificate chain: a bigger file is the wrong file. */
export const MAX_SECRET_FILE_BYTES = 1024 * 1024;

function sizeName(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/**
 * A regular file's text, read with a bound: a device (`/dev/zero`), a FIFO or a socket may never end
 * (or never start), so it is refused before a byte is read, and a file longer than `maxBytes` is
 * refused after reading at most one byte more. The problem names the file, never its content.
 */
export function readTextFile(path: string, maxBytes: number): SecretResult {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO without a writer would otherwise wait for one.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, problem: `cannot be read (${typeof code === 'string' ? code : 'error'})` };
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { ok: false, problem: 'cannot be read (EISDIR)' };
    if (!stats.isFile()) return { ok: false, problem: 'is not a regular file (a device, FIFO or socket)' };
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > maxBytes) return { ok: false, problem: `is larger than ${sizeName(maxBytes)}` };
    return { ok: true, value: buffer.toString('utf8', 0, length) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, problem: `cannot be read (${typeof code === 'string' ? code : 'error'})` };
  } finally {
    closeSync(fd);
  }
}

/** Larger than any config file of named providers: a bigger file is the wrong file. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/**
 * A JSON file (a config file), read with a bound as `readTextFile` reads it. A UTF-8 byte order
 * mark, as some editors save it, is not part of the JSON. The problem never quotes the text
 * (JSON.parse's message does, and the text may hold a secret).
 */
export function readJsonFile(
  path: string,
  maxBytes = MAX_CONFIG_FILE_BYTES,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  const read = readTextFile(path, maxBytes);
  if (!read.ok) return read;
  try {
    return { ok: true, value: JSON.parse(read.value.replace(/^\uFEFF/, '')) as unknown };
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
}

/**
 * A secret field holds the value itself, `env:NAME` or `file:PATH`. The problem text names the
 * variable or the file, never the value. A file is read with a bound (see `readTextFile`).
 */
export function resolveSecret(reference: string, env: NodeJS.ProcessEnv = process.env): SecretResult {
  if (reference.startsWith('env:')) {
    const name = reference.slice(4).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { ok: false, problem: 'names an invalid environment variable' };
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      return { ok: false, problem: `refers to environment variable ${name}, which is not set or empty` };
    }
    return { ok: true, value };
  }
  if (reference.startsWith('file:')) {
    const path = reference.slice(5).trim();
    if (path === '') return { ok: false, problem: 'names no file' };
    const read = readTextFile(resolve(path), MAX_SECRET_FILE_BYTES);
    if (!read.ok) return { ok: false, problem: `refers to file ${path}, which ${read.problem}` };
    if (read.value.trim() === '') return { ok: false, problem: `refers to file ${path}, which is empty` };
    return read;
  }
  return { ok: true, value: reference };
}
