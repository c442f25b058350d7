import { expect } from '@jest/globals';
import { createPublicKey, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { testKeyPair } from '#test-kit';
import { AuthError } from '@kunci/core';
import { startSandbox, type Sandbox } from '@kunci/sandbox';
import { BUILT_IN_PROVIDERS } from '@kunci/sdk';
import type { Io } from '../src/io';
import { run } from '../src/program';
import { clockOffset } from '../src/commands/check';
import { runSandbox } from '../src/commands/sandbox';
import { likelyCause } from '../src/errors';

interface Captured {
  code: number;
  out: string;
  err: string;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kunci-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function io(): Io & { captured: { out: string; err: string } } {
  const captured = { out: '', err: '' };
  return {
    captured,
    out: (text) => void (captured.out += text),
    err: (text) => void (captured.err += text),
    isTTY: false,
    env: process.env,
    cwd: dir,
  };
}

/** Runs the CLI in this process (no child), as the bin does. */
async function kunci(...args: string[]): Promise<Captured> {
  const target = io();
  const code = await run(args, target);
  return { code, ...target.captured };
}

const mode = (path: string): number => statSync(path).mode & 0o777;

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

describe('--json: every failure of every command is one JSON object on stdout, nothing on stderr', () => {
  const cases: Array<[string, () => string[], number, string]> = [
    ['an unknown command', () => ['nope', '--json'], 2, 'USAGE'],
    ['demo with an unknown option', () => ['demo', '--json', '--bogus'], 2, 'USAGE'],
    ['token without its name', () => ['token', '--json'], 2, 'USAGE'],
    ['token with a missing file', () => ['token', 'x', '--json', '-c', 'missing.json'], 2, 'CONFIG_INVALID'],
    ['token with an unknown entry', () => ['token', 'nope', '--json', '-c', sandboxConfig()], 2, 'USAGE'],
    [
      'token with an unusable auth code',
      () => ['token', 'pivot-snap', '--json', '--auth-code', '', '-c', sandboxConfig()],
      2,
      'USAGE',
    ],
    [
      'token that cannot reach its provider',
      () => ['token', 'pivot-snap', '--json', '-c', unreachableConfig()],
      1,
      'NETWORK',
    ],
    ['check with a missing file', () => ['check', 'x', '--json', '-c', 'missing.json'], 2, 'CONFIG_INVALID'],
    ['check with an unknown entry', () => ['check', 'nope', '--json', '-c', sandboxConfig()], 2, 'USAGE'],
    ['sandbox with a bad port', () => ['sandbox', '--json', '--port', 'x'], 2, 'USAGE'],
    [
      'sandbox with a --config-out in a missing directory',
      () => ['sandbox', '--json', '--config-out', join(dir, 'missing', 'x.json')],
      2,
      'USAGE',
    ],
    ['keygen that would overwrite', () => ['keygen', '--json', '-o', keysDir()], 2, 'USAGE'],
    ['sign without --provider', () => ['sign', '--json'], 2, 'USAGE'],
    [
      'sign with a bad timestamp',
      () => [
        'sign',
        '--json',
        '--provider',
        'pivot-snap',
        '--client-id',
        'c',
        '--private-key',
        'k',
        '--timestamp',
        'x',
      ],
      2,
      'USAGE',
    ],
  ];

  function sandboxConfig(): string {
    return writeJson('sandbox.json', sandbox.config());
  }
  function unreachableConfig(): string {
    const config = sandbox.config();
    return writeJson('unreachable.json', {
      providers: {
        'pivot-snap': { ...config.providers['pivot-snap'], baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 },
      },
    });
  }
  function keysDir(): string {
    writeFileSync(join(dir, 'private.pem'), 'x');
    return dir;
  }

  it.each(cases)('%s', async (_title, args, exitCode, code) => {
    const result = await kunci(...args());
    expect({ code: result.code, err: result.err }).toEqual({ code: exitCode, err: '' });
    const lines = result.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0] ?? '') as { error: { code: string; message: string; exitCode: number } };
    expect([printed.error.code, printed.error.exitCode, typeof printed.error.message]).toEqual([
      code,
      exitCode,
      'string',
    ]);
    expect(printed.error.message).not.toBe('');
  });
});

describe('kunci sandbox --config-out', () => {
  it('a missing directory is a usage error (exit 2) before anything starts', async () => {
    const result = await kunci('sandbox', '--config-out', join(dir, 'missing', 'x.json'));
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      `kunci: --config-out ${join(dir, 'missing', 'x.json')}: the directory ${join(dir, 'missing')} does not exist\n`,
    );
    expect(result.out).toBe('');
  });

  it('refuses to overwrite a file (its content and mode kept) unless --force', async () => {
    const path = writeJson('kunci.config.json', '{"mine": true}');
    chmodSync(path, 0o644);
    const refused = await kunci('sandbox', '--config-out', 'kunci.config.json');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`refusing to overwrite ${path}`);
    expect(refused.err).toContain('--force');
    expect([readFileSync(path, 'utf8'), mode(path)]).toEqual(['{"mine": true}', 0o644]);
    const forced = await runSandbox(io(), { configOut: 'kunci.config.json', force: true });
    await forced.close();
    expect(Object.keys((JSON.parse(readFileSync(path, 'utf8')) as { providers: object }).providers)).toEqual([
      'pivot-snap',
      'pivot-legacy',
      'klikoo',
      'snap',
    ]);
    expect(mode(path)).toBe(0o600);
  });

  it('without --config-out writes a new 0600 file and prints its path, never a key', async () => {
    const target = io();
    const started = await runSandbox(target, {});
    await started.close();
    const path = /config \(the generated credentials, mode 0600\): (\S+)/.exec(target.captured.out)?.[1] ?? '';
    expect(mode(path)).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain('PRIVATE KEY');
    expect(target.captured.out + target.captured.err).not.toContain('PRIVATE KEY');
    rmSync(join(path, '..'), { recursive: true });
  });

  it('--public-key registers your own key: entries that sign with your private key get tokens', async () => {
    writeFileSync(join(dir, 'private.pem'), testKeyPair().privateKeyPem);
    writeFileSync(join(dir, 'public.pem'), testKeyPair().publicKeyPem);
    const target = io();
    const own = await runSandbox(target, { configOut: 'own.json', publicKey: 'file:public.pem' });
    try {
      const config = JSON.parse(readFileSync(join(dir, 'own.json'), 'utf8')) as {
        providers: Record<string, { privateKey: string }>;
      };
      expect(config.providers['pivot-snap-own-key']?.privateKey).toBe(`file:${join(dir, 'private.pem')}`);
      // One entry per provider that signs with a key, as its driver offers it; none for the others.
      const signing = Object.values(BUILT_IN_PROVIDERS).filter((d) => d.signing !== undefined);
      expect(Object.keys(config.providers).filter((name) => name.endsWith('-own-key'))).toEqual(
        signing.map((d) => `${d.name}-own-key`),
      );
      const first = Object.keys(config.providers)[0] ?? '';
      expect(target.captured.out).toContain(`  try: kunci token ${first} --config ${join(dir, 'own.json')}\n`);
      expect(target.captured.out).toContain(
        `your public key is registered for the entries ${signing.map((d) => `${d.name}-own-key`).join(', ')}\n`,
      );
      for (const entry of signing.map((d) => `${d.name}-own-key`)) {
        const result = await kunci('token', entry, '-c', 'own.json', '--json');
        expect({ entry, code: result.code, err: result.err }).toEqual({ entry, code: 0, err: '' });
      }
    } finally {
      await own.close();
    }
    const bad = await kunci('sandbox', '--public-key', 'not a key');
    expect([bad.code, bad.err]).toEqual([
      2,
      'kunci: --public-key is not a readable public key (SPKI PEM, or its Base64 DER as public.base64.txt holds it)\n',
    ]);
  });
});

describe('kunci check prints the public key in the forms its provider asks for', () => {
  it.each(Object.values(BUILT_IN_PROVIDERS).filter((d) => d.signing !== undefined))('$name', async (definition) => {
    writeJson('forms.json', sandbox.config());
    const result = await kunci('check', definition.name, '-c', 'forms.json');
    expect(result.code).toBe(0);
    const entry = (sandbox.config().providers as Record<string, { privateKey?: string }>)[definition.name];
    const publicKey = createPublicKey(entry?.privateKey ?? '');
    const forms = {
      pem: publicKey.export({ type: 'spki', format: 'pem' }).toString().trimEnd(),
      base64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    };
    const printed = (definition.signing?.publicKeyForms ?? []).map(
      (form) => `public key, ${form.label}:\n${forms[form.encoding]}\n`,
    );
    expect(printed.length).toBeGreaterThan(0);
    for (const form of printed) expect(result.out).toContain(form);
    expect(result.out.match(/^public key, /gm)).toHaveLength(printed.length);
  });
});

describe('kunci token and kunci check with one entry named', () => {
  it('work while another entry of the file is invalid, and name the file of a bad named entry', async () => {
    const config = sandbox.config();
    writeJson('mixed.json', {
      providers: {
        ...config.providers,
        unfinished: { provider: 'pivot-snap', clientId: 'x y', privateKey: 'env:NOPE_KUNCI' },
      },
    });
    expect((await kunci('token', 'pivot-legacy', '-c', 'mixed.json')).code).toBe(0);
    expect((await kunci('check', 'pivot-snap', '-c', 'mixed.json')).code).toBe(0);
    const bad = await kunci('token', 'unfinished', '-c', 'mixed.json');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`The kunci config file ${join(dir, 'mixed.json')} has 1 invalid entry.`);
    expect(bad.err).toContain('privateKey refers to environment variable NOPE_KUNCI');
  });

  it('read a config file that starts with a byte order mark', async () => {
    writeJson('bom.json', `\uFEFF${JSON.stringify(sandbox.config())}`);
    expect((await kunci('token', 'pivot-legacy', '-c', 'bom.json')).code).toBe(0);
  });
});

describe('kunci token --auth-code', () => {
  it.each([
    ['empty', 'pivot-snap', '', '--auth-code is empty: give the customer binding id'],
    ['5,000 characters', 'pivot-snap', 'a'.repeat(5000), '--auth-code must be at most 2048 characters'],
    ['with a space', 'pivot-snap', 'a b', '--auth-code must be visible ASCII characters without spaces'],
    [
      'on a provider without B2B2C',
      'klikoo',
      'binding-1',
      '--auth-code "klikoo" is a klikoo entry, which has no customer (B2B2C) tokens: leave --auth-code out',
    ],
  ])('%s is a usage error (exit 2) and nothing is sent', async (_title, entry, authCode, message) => {
    writeJson('sandbox.json', sandbox.config());
    const before = sandbox.count();
    const result = await kunci('token', entry, '-c', 'sandbox.json', '--auth-code', authCode);
    expect([result.code, result.err]).toEqual([2, `kunci: ${message}\n`]);
    expect(sandbox.count()).toBe(before);
  });
});

describe('kunci token with "store": { "redis": … }', () => {
  const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

  it('two runs make one upstream request; the token is in Redis', async () => {
    const prefix = `kunci-cli-test-${randomBytes(6).toString('hex')}:`;
    writeJson('fleet.json', { ...sandbox.config(), store: { redis: REDIS_URL, prefix } });
    const before = sandbox.count({ provider: 'pivot-legacy' });
    const first = await kunci('token', 'pivot-legacy', '-c', 'fleet.json', '--json', '--reveal');
    const second = await kunci('token', 'pivot-legacy', '-c', 'fleet.json', '--json', '--reveal');
    expect([first.code, second.code, first.err + second.err]).toEqual([0, 0, '']);
    expect(sandbox.count({ provider: 'pivot-legacy' }) - before).toBe(1);
    const token = (JSON.parse(first.out) as { accessToken: string }).accessToken;
    expect((JSON.parse(second.out) as { accessToken: string }).accessToken).toBe(token);
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    try {
      const keys = await client.keys(`${prefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      await client.del(keys);
    } finally {
      await client.close();
    }
  });
});

describe('hints that point the right way', () => {
  it('a status without the provider’s code says the answer may not come from the provider', () => {
    const error = new AuthError('CREDENTIALS_REJECTED', 'rejected', { provider: 'pivot-snap', status: 401 });
    expect(likelyCause(error)).toMatch(/^The answer \(HTTP 401\) carried none of pivot-snap's response codes.*baseUrl/);
    const withCode = new AuthError('CREDENTIALS_REJECTED', 'x', {
      provider: 'pivot-snap',
      status: 401,
      providerCode: '4017300',
    });
    expect(likelyCause(withCode)).not.toContain('baseUrl and the path');
  });

  it('a pivot-snap entry pointed at another provider is not blamed on its credentials', async () => {
    const config = sandbox.config();
    writeJson('wrong-base.json', {
      providers: { x: { ...config.providers['pivot-snap'], baseUrl: sandbox.baseUrl('klikoo') } },
    });
    const result = await kunci('token', 'x', '-c', 'wrong-base.json');
    expect(result.code).toBe(1);
    expect(result.err).toContain('may not come from pivot-snap: check that baseUrl');
  });

  it('sign names the --passphrase flag, not the config field', async () => {
    writeFileSync(join(dir, 'enc.pem'), testKeyPair().encryptedPem);
    const result = await kunci(
      'sign',
      '--provider',
      'pivot-snap',
      '--client-id',
      'c',
      '--private-key',
      'file:' + join(dir, 'enc.pem'),
    );
    expect([result.code, result.err]).toEqual([2, 'kunci: --private-key is encrypted: set --passphrase\n']);
  });

  it('sign --body @FILE is read with a bound', async () => {
    const result = await kunci(
      'sign',
      '--provider',
      'pivot-snap',
      '--service',
      '--url',
      '/v1/x',
      '--access-token',
      'tok',
      '--client-secret',
      'sec',
      '--body',
      '@/dev/zero',
    );
    expect([result.code, result.err]).toEqual([
      2,
      'kunci: --body @/dev/zero: the file is not a regular file (a device, FIFO or socket)\n',
    ]);
  });
});

describe('the clock offset of kunci check', () => {
  it('counts under a second as zero, as the TokenManager does, and gives the range the header allows', () => {
    const serverDate = new Date('2026-12-07T00:00:00.000Z');
    const sentAt = Date.parse('2026-12-07T00:00:00.800Z');
    const receivedAt = new Date('2026-12-07T00:00:00.840Z');
    expect(clockOffset(serverDate, sentAt, receivedAt)).toEqual({
      clockOffsetMs: 0,
      clockOffsetRangeMs: { min: -840, max: 200 },
    });
    expect(clockOffset(new Date('2026-12-07T00:00:05.000Z'), sentAt, receivedAt)).toEqual({
      clockOffsetMs: 4160,
      clockOffsetRangeMs: { min: 4160, max: 5200 },
    });
  });
});
