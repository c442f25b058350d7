import { spawn } from 'node:child_process';
import { join } from 'node:path';
import nock from 'nock';
import {
  jsonResponse,
  startLoopbackServer,
  type EmulatedRequest,
  type EmulatedResponse,
  type LoopbackServer,
} from '@kunci/core/emulator';
import { createPivotLegacyEmulator, pivotLegacyErrorBody } from '@kunci/pivot-legacy/emulator';
import { useStrictNock } from '#test-kit';

// The provider runs here; the client runs in a child process where nothing but kunci holds the
// event loop. A timer kunci awaits without holding the process would let the child end early,
// printing fewer lines (exit code 0 all the same, as a one-shot script would). One child runs every
// entry in turn (process-lifetime/child.ts), each on its own: it reports what still holds the
// process after each one.

const emulator = createPivotLegacyEmulator({
  merchants: [{ merchantId: 'lifetime-merchant', merchantSecret: 'lifetime-secret-0123456789abcdef' }],
});
const unavailable = (headers: Record<string, string> = {}): EmulatedResponse =>
  jsonResponse(503, pivotLegacyErrorBody('service_unavailable', 'Service unavailable'), headers);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let server: LoopbackServer;
const served = new Map<string, number>();

async function answer(request: EmulatedRequest): Promise<EmulatedResponse> {
  if (request.path === '/api/echo') {
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    return jsonResponse(token === '' ? 401 : 200, { token });
  }
  const [, scenario = '', ...rest] = request.path.split('/');
  const count = (served.get(scenario) ?? 0) + 1;
  served.set(scenario, count);
  const forward = (): EmulatedResponse => emulator.handle({ ...request, path: `/${rest.join('/')}` });
  switch (scenario) {
    case 'retry':
      return count % 2 === 1 ? unavailable() : forward();
    case 'retry-after':
      return count % 2 === 1 ? unavailable({ 'retry-after': '1' }) : forward();
    case 'slow':
      // Any delay: the answer is awaited on a socket, which alone must keep the child running.
      await sleep(50);
      return forward();
    case 'hang':
      return new Promise<EmulatedResponse>(() => undefined);
    case 'unavailable':
      return unavailable();
    default:
      return forward();
  }
}

interface Run {
  code: number | null;
  lines: string[];
  stderr: string;
  /** From the child's last line of output to its exit. */
  exitAfterLastLineMs: number;
}

function runChild(): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(__dirname, '..', '..', '..', 'scripts', 'from-source.cjs'),
        join(__dirname, 'process-lifetime', 'child.ts'),
        server.url,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let lastLineAt = Date.now();
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      lastLineAt = Date.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill(), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({
        code,
        lines: stdout.split('\n').filter((line) => line !== ''),
        stderr,
        exitAfterLastLineMs: Date.now() - lastLineAt,
      });
    });
  });
}

const TOKEN = /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/;

/** The entry's lines: a token per scenario, in order, then nothing left holding the process. */
function expectTokens(run: Run, entry: string, scenarios: readonly string[]): void {
  const lines = run.lines.filter((line) => line.startsWith(`${entry} `)).map((line) => line.split(' ').slice(1));
  expect({ code: run.code, stderr: run.stderr, lines: lines.map(([first]) => first) }).toEqual({
    code: 0,
    stderr: '',
    lines: [...scenarios, 'holds'],
  });
  for (const [, token] of lines.slice(0, -1)) expect(token).toMatch(TOKEN);
  expect(lines.at(-1)).toEqual(['holds', '[]']);
}

useStrictNock();

describe('a one-shot process waits for its token', () => {
  let run: Run;

  beforeAll(async () => {
    nock.enableNetConnect(/^127\.0\.0\.1:\d+$/);
    server = await startLoopbackServer(answer);
    run = await runChild();
  }, 40_000);

  afterAll(() => server.close());

  it('TokenManager.getToken: through a retry wait, a Retry-After of 1 s and a slow answer', () => {
    expectTokens(run, 'getToken', ['retry', 'retry-after', 'slow']);
  });

  it('provider.fetchToken: through a slow answer', () => {
    expectTokens(run, 'fetchToken', ['slow']);
  });

  it('the axios interceptor: through a retry wait, a Retry-After of 1 s and a slow answer', () => {
    expectTokens(run, 'interceptor', ['retry', 'retry-after', 'slow']);
  });

  it('close() leaves nothing holding the process: a fetch in flight and a 5 s retry wait are ended at once', () => {
    expect({ code: run.code, stderr: run.stderr, last: run.lines.at(-1) }).toEqual({
      code: 0,
      stderr: '',
      last: 'close TokenManagerClosedError TokenManagerClosedError',
    });
    expect(run.exitAfterLastLineMs).toBeLessThan(1_000);
  });
});
