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
// printing fewer lines (exit code 0 all the same, as a one-shot script would).

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
      await sleep(400);
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

function runChild(entry: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(__dirname, '..', '..', '..', 'scripts', 'from-source.cjs'),
        join(__dirname, 'process-lifetime', 'child.ts'),
        entry,
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

function expectTokens(run: Run, scenarios: readonly string[]): void {
  expect({ code: run.code, stderr: run.stderr, scenarios: run.lines.map((line) => line.split(' ')[0]) }).toEqual({
    code: 0,
    stderr: '',
    scenarios,
  });
  for (const line of run.lines) expect(line.split(' ')[1]).toMatch(TOKEN);
}

useStrictNock();

describe('a one-shot process waits for its token', () => {
  let runs: Record<string, Promise<Run>>;

  beforeAll(async () => {
    nock.enableNetConnect(/^127\.0\.0\.1:\d+$/);
    server = await startLoopbackServer(answer);
    // In parallel: each child spends most of its time starting up.
    runs = Object.fromEntries(
      ['getToken', 'fetchToken', 'interceptor', 'close'].map((entry) => [entry, runChild(entry)]),
    );
    await Promise.all(Object.values(runs));
  }, 40_000);

  afterAll(() => server.close());

  it('TokenManager.getToken: through a retry wait, a Retry-After of 1 s and a slow answer', async () => {
    expectTokens(await runs.getToken!, ['retry', 'retry-after', 'slow']);
  });

  it('provider.fetchToken: through a slow answer', async () => {
    expectTokens(await runs.fetchToken!, ['slow']);
  });

  it('the axios interceptor: through a retry wait, a Retry-After of 1 s and a slow answer', async () => {
    expectTokens(await runs.interceptor!, ['retry', 'retry-after', 'slow']);
  });

  it('close() leaves nothing holding the process: a fetch in flight and a 5 s retry wait are ended at once', async () => {
    const run = await runs.close!;
    expect({ code: run.code, stderr: run.stderr, lines: run.lines }).toEqual({
      code: 0,
      stderr: '',
      lines: ['closed TokenManagerClosedError TokenManagerClosedError'],
    });
    expect(run.exitAfterLastLineMs).toBeLessThan(1_000);
  });
});
