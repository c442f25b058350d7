import { expect } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoSecrets } from '#test-kit';
import { createInbound, type Inbound, type InboundConfig } from '@kunci/inbound';
import { startNodeServer, type NodeServer } from '../../inbound/test/node-server';
import type { Io } from '../src/io';
import { run } from '../src/program';

// `kunci notify` in this process (no child), against a backend on loopback built with
// createInbound from the file the command writes: the set-up a user follows.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kunci-notify-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function kunci(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const captured = { out: '', err: '' };
  const io: Io = {
    out: (text) => void (captured.out += text),
    err: (text) => void (captured.err += text),
    isTTY: false,
    env: process.env,
    cwd: dir,
  };
  const code = await run(args, io);
  return { code, ...captured };
}

interface Written {
  provider: string;
  sender: Record<string, unknown>;
  inbound: Record<string, InboundConfig>;
}

const read = (path: string): Written => JSON.parse(readFileSync(path, 'utf8')) as Written;

/** Every secret the credentials file holds: the private key (and a line of it), the client secret, the API key. */
function secretsOf(written: Written): string[] {
  const values = Object.values(written.sender).filter((v): v is string => typeof v === 'string');
  const pems = values.filter((v) => v.includes('PRIVATE KEY'));
  const secrets = values.filter((v) => !v.includes('PUBLIC KEY') && !v.includes('PRIVATE KEY') && !/^sandbox-/.test(v));
  return [...pems, ...pems.map((pem) => pem.split('\n')[2] ?? ''), ...secrets];
}

/** Writes the credentials with a first run against nothing, then starts the backend the file configures. */
async function configuredBackend(
  provider: string,
  scheme: string,
  wrong = false,
): Promise<{ file: string; backend: NodeServer; secrets: string[] }> {
  const file = join(dir, 'notify.json');
  const first = await kunci(
    'notify',
    '--url',
    'http://127.0.0.1:9/notify',
    '--provider',
    provider,
    '--credentials',
    file,
    '--timeout',
    '2000',
  );
  expect(first.code).toBe(1);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const written = read(file);
  const config = written.inbound[scheme] as InboundConfig;
  const inbound = createInbound(config);
  // A wrong backend: acknowledges whatever its check said.
  const acknowledging: Inbound = {
    provider: inbound.provider,
    verify: (request) => inbound.verify(request),
    issueToken: (request) => inbound.issueToken(request),
    release: (notification) => inbound.release(notification),
    reply: () => ({ status: 200, headers: {}, body: { responseCode: '2000000', responseMessage: 'Successful' } }),
  };
  const backend = await startNodeServer(wrong ? acknowledging : inbound);
  const secrets = secretsOf(written);
  expectNoSecrets(first, secrets);
  return { file, backend, secrets };
}

describe('kunci notify', () => {
  it.each([
    ['pivot-snap', 'asymmetric'],
    ['pivot-snap', 'symmetric'],
    ['pivot-legacy', 'api-key'],
  ])(
    '%s %s --all-variants: every answer of a createInbound backend is right; exit 0; no secret printed',
    async (provider, scheme) => {
      const { file, backend, secrets } = await configuredBackend(provider, scheme);
      try {
        const result = await kunci(
          'notify',
          '--url',
          `${backend.url}/v1.0/debit/notify`,
          '--provider',
          provider,
          '--scheme',
          scheme,
          '--all-variants',
          '--credentials',
          file,
        );
        expect(result).toMatchObject({ code: 0, err: '' });
        expect(result.out).toMatch(/^variant\s+answer\s+expected\s+verdict$/m);
        expect(result.out).toMatch(/^good\s+200\b.*\bright$/m);
        expect(result.out).toMatch(/^every answer was the right one$/m);
        expect(result.out).not.toMatch(/WRONG/);
        expect(backend.accepted.length).toBe(scheme === 'api-key' ? 1 : 2);
        expect(secrets.length).toBeGreaterThanOrEqual(1);
        expectNoSecrets(result, secrets);
      } finally {
        await backend.close();
      }
    },
  );

  it('--json: one JSON object with every verdict, no secret', async () => {
    const { file, backend, secrets } = await configuredBackend('pivot-snap', 'symmetric');
    try {
      const result = await kunci(
        'notify',
        '--url',
        `${backend.url}/v1.0/debit/notify`,
        '--scheme',
        'symmetric',
        '--variant',
        'replayed',
        '--credentials',
        file,
        '--json',
      );
      expect(result).toMatchObject({ code: 0, err: '' });
      const report = JSON.parse(result.out) as {
        right: boolean;
        results: Array<{ variant: string; right: boolean; answers: Array<{ status: number; code: string }> }>;
        created: boolean;
      };
      expect(report).toMatchObject({ right: true, created: false });
      expect(report.results).toHaveLength(1);
      expect(report.results[0]).toMatchObject({ variant: 'replayed', right: true });
      expect(report.results[0]?.answers.map((a) => [a.status, a.code])).toEqual([
        [200, '2000000'],
        [409, '4090000'],
      ]);
      expectNoSecrets(result, secrets);
    } finally {
      await backend.close();
    }
  });

  it('a backend that accepts a tampered notification: WRONG, exit 1', async () => {
    const { file, backend, secrets } = await configuredBackend('pivot-snap', 'asymmetric', true);
    try {
      const result = await kunci(
        'notify',
        '--url',
        `${backend.url}/v1.0/debit/notify`,
        '--variant',
        'tampered',
        '--credentials',
        file,
      );
      expect(result.code).toBe(1);
      expect(result.out).toMatch(
        /^tampered\s+200 2000000 Successful\s+401, 401xx00 \(Unauthorized\. Invalid Signature\)\s+WRONG$/m,
      );
      expect(result.out).toMatch(/^1 of 1 wrong:$/m);
      expectNoSecrets(result, secrets);
    } finally {
      await backend.close();
    }
  });

  it('a first run writes a new 0600 file of its own and says what to give the backend; nothing listening is exit 1', async () => {
    const result = await kunci('notify', '--url', 'http://127.0.0.1:9/notify', '--timeout', '2000');
    expect(result.code).toBe(1);
    const path = /^credentials \(mode 0600\): (\S+)$/m.exec(result.out)?.[1] ?? '';
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(result.out).toContain(`give the backend's createInbound the "inbound"."asymmetric" entry of that file`);
    expect(result.out).toMatch(/^good\s+\(none\)\s+200, 200xxxx \(accepted\)\s+WRONG$/m);
    expectNoSecrets(result, secretsOf(read(path)));
    rmSync(join(path, '..'), { recursive: true, force: true });
  });

  it.each([
    ['no --url', ['notify'], /required option '--url <url>'/],
    ['a relative --url', ['notify', '--url', '/notify'], /--url must be an absolute http\(s\) URL/],
    [
      'a provider that sends none',
      ['notify', '--url', 'http://127.0.0.1:9/', '--provider', 'klikoo'],
      /--provider must be one of pivot-snap, pivot-legacy \(got klikoo\)/,
    ],
    [
      'an unknown scheme',
      ['notify', '--url', 'http://127.0.0.1:9/', '--scheme', 'hmac'],
      /--scheme must be one of asymmetric, symmetric for pivot-snap/,
    ],
    [
      'an unknown variant',
      ['notify', '--url', 'http://127.0.0.1:9/', '--variant', 'odd'],
      /--variant must be one of good, tampered/,
    ],
    [
      'a variant without meaning',
      ['notify', '--url', 'http://127.0.0.1:9/', '--provider', 'pivot-legacy', '--variant', 'stale'],
      /--variant stale means nothing for api-key notifications/,
    ],
    [
      '--variant with --all-variants',
      ['notify', '--url', 'http://127.0.0.1:9/', '--variant', 'good', '--all-variants'],
      /exclude each other/,
    ],
    ['a bad --timeout', ['notify', '--url', 'http://127.0.0.1:9/', '--timeout', '0'], /--timeout must be milliseconds/],
    ['a body that is not JSON', ['notify', '--url', 'http://127.0.0.1:9/', '--body', '{oops'], /--body must be JSON/],
  ])('%s is a usage error: exit 2, nothing sent', async (_name, args, message) => {
    const result = await kunci(...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.out).toBe('');
  });

  it('a credentials file of another provider, or not written by kunci notify, is a usage error (exit 2), as JSON with --json', async () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ provider: 'pivot-legacy', sender: { callbackApiKey: 'k' }, inbound: {} }));
    const other = await kunci('notify', '--url', 'http://127.0.0.1:9/', '--credentials', file, '--json');
    expect(other.code).toBe(2);
    expect(JSON.parse(other.out)).toMatchObject({
      error: { code: 'USAGE', message: expect.stringContaining('--provider pivot-legacy') },
    });
    writeFileSync(file, '{"hello":1}');
    const foreign = await kunci('notify', '--url', 'http://127.0.0.1:9/', '--credentials', file);
    expect(foreign).toMatchObject({ code: 2 });
    expect(foreign.err).toMatch(/not a file kunci notify wrote/);
  });
});
