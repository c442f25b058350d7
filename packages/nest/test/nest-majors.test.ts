import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const REGISTER = join(__dirname, 'app', 'register.cjs');
const MAIN = join(__dirname, 'app', 'main.ts');
/** The whole life of the child, transpiling included; a process kept alive is killed then. */
const LIFETIME_MS = 60_000;
/** From the child's last line to its exit: an idle keep-alive socket or a timer would hold it seconds longer. */
const EXIT_AFTER_CLOSE_MS = 2_000;

interface Outcome {
  nest: string;
  answer: { status: number; body: unknown };
  notJson: { status: number; body: unknown };
  bootstrapToFirstTokenMs: number;
  closedAt: number;
}

function runApp(major: string): Promise<{ outcome: Outcome; exitedAt: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['-r', REGISTER, MAIN],
      { env: { ...process.env, KUNCI_NEST_MAJOR: major }, timeout: LIFETIME_MS },
      (error, stdout, stderr) => {
        const exitedAt = Date.now();
        if (error !== null && error.killed === true) {
          reject(new Error(`the Nest ${major} app was still alive after ${LIFETIME_MS} ms`));
          return;
        }
        try {
          resolve({ outcome: JSON.parse(stdout) as Outcome, exitedAt, code: child.exitCode, stderr });
        } catch {
          reject(new Error(`the Nest ${major} app printed no outcome: ${stdout} ${stderr}`));
        }
      },
    );
  });
}

// jest loads CommonJS only, so the other tests of this package run against Nest 11; Nest 12 is ES
// modules only and loads here, in plain node processes, through require(esm).
describe('a Nest application with KunciModule, in a process of its own', () => {
  it("the jest suite runs against Nest 11, the processes below against the root's Nest 12", () => {
    const loaded = JSON.parse(readFileSync(join(dirname(require.resolve('@nestjs/core')), 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(loaded.version).toMatch(/^11\./);
    const root = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(root.devDependencies['@nestjs/core']).toMatch(/^\^12\./);
  });

  it.each([
    ['11', /^11\./],
    ['12', /^12\./],
  ])(
    'Nest %s: bootstraps, answers a route through an injected client and a notification Nest cannot parse, closes, and the process exits on its own',
    async (major, version) => {
      const { outcome, exitedAt, code, stderr } = await runApp(major);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(outcome.nest).toMatch(version);
      expect(outcome.answer).toEqual({ status: 200, body: { authorized: true, path: '/api/v1.0/balance-inquiry' } });
      // A signed body that is not JSON: the SNAP answer of the route (service 56), not Nest's own 400.
      expect(outcome.notJson).toEqual({
        status: 400,
        body: { responseCode: '4005600', responseMessage: 'Bad Request' },
      });
      expect(exitedAt - outcome.closedAt).toBeLessThan(EXIT_AFTER_CLOSE_MS);
    },
    // The child's own limit decides; jest's default would cut a slow start on a busy machine first.
    LIFETIME_MS + 5_000,
  );
});
