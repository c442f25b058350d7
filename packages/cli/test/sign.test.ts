import { randomBytes } from 'node:crypto';
import { otherKeyPair } from '#test-kit';
import type { Io } from '../src/io';
import { run } from '../src/program';

// `kunci sign` in process: what it refuses before signing anything (exit 2, a message naming the option).

function captured(env: NodeJS.ProcessEnv): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      out: (text) => void (out += text),
      err: (text) => void (err += text),
      isTTY: false,
      env,
      cwd: process.cwd(),
    },
    out: () => out,
    err: () => err,
  };
}

const token = `tok-${randomBytes(24).toString('base64url')}`;
const env = {
  KUNCI_TEST_TOKEN: token,
  KUNCI_TEST_SECRET: randomBytes(16).toString('hex'),
  KUNCI_TEST_KEY: otherKeyPair().privateKeyPem,
};
const service = ['--access-token', 'env:KUNCI_TEST_TOKEN', '--client-secret', 'env:KUNCI_TEST_SECRET'];

async function kunci(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, out, err } = captured(env);
  const code = await run(args, io);
  return { code, stdout: out(), stderr: err() };
}

describe('kunci sign: usage errors', () => {
  it.each(['pivot-snap', 'klikoo'])('%s: a client id with a space is refused (exit 2)', async (provider) => {
    const result = await kunci([
      'sign',
      '--provider',
      provider,
      '--client-id',
      'my client',
      '--private-key',
      'env:KUNCI_TEST_KEY',
    ]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/--client-id must not contain spaces/);
  });

  it.each(['v1/x', 'ftp://host/v1/x', 'https://', 'api.example/v1/x', ' /v1/x'])(
    '--url %j is neither a path nor an absolute http(s) URL: refused (exit 2), no secret printed',
    async (url) => {
      const result = await kunci(['sign', '--service', '--provider', 'klikoo', '--url', url, ...service]);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toMatch(/--url must be the path as sent, starting with \/ .*or an absolute http\(s\) URL/);
      expect(result.stderr).not.toContain(token.slice(4, 12));
    },
  );

  it.each([
    ['/v1/x?a=1', '/v1/x?a=1'],
    ['https://api.example/v1/x?a=1', '/v1/x?a=1'],
    ['HTTP://api.example/v1/x', '/v1/x'],
  ])('--url %j is signed as %j', async (url, path) => {
    const result = await kunci(['sign', '--service', '--provider', 'pivot-snap', '--url', url, '--json', ...service]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(result.stdout) as { stringToSign: string }).stringToSign.startsWith(`POST:${path}:`)).toBe(true);
  });
});
