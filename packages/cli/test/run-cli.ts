import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { run } from '../src/program';

export const ROOT = join(__dirname, '..', '..', '..');
/** What `npm start` and the `kunci` script of the root package.json run: the bin from its sources. */
export const KUNCI = ['-r', './scripts/from-source.cjs', 'packages/cli/src/bin.ts'];

/**
 * How long a child `kunci` may take, its transpile of the sources included: a hang guard, long
 * enough for a start on a busy machine. Tests that start the bin allow it plus a margin.
 */
export const BIN_TIMEOUT_MS = 60_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `kunci <args>` in this process, as the bin does (`run` with the process's streams, here
 * captured): the same program, without a node start and a transpile of the sources per call.
 */
export async function kunci(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run([...args], {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    isTTY: false,
    env: { ...process.env, ...env },
    cwd: ROOT,
  });
  return { code, stdout, stderr };
}

/** Runs `kunci <args>` as a child process (the bin itself) and collects its output and exit code. */
export function kunciBin(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...KUNCI, ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: BIN_TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts a long-running `kunci <args>`; resolves with the process and its first line of output. */
export function startKunci(args: readonly string[]): Promise<{ child: ChildProcess; firstLine: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...KUNCI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end !== -1) resolve({ child, firstLine: out.slice(0, end) });
    });
    child.on('exit', (code) => reject(new Error(`kunci exited with ${String(code)} before printing: ${err}`)));
  });
}

/** Sends SIGTERM and resolves the exit code. */
export function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
