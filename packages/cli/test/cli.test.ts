import { expect } from '@jest/globals';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { otherKeyPair } from '#test-kit';
import { createTokenProvider, type ServiceRequest } from '@kunci/sdk';
import { BIN_TIMEOUT_MS, kunci, kunciBin, KUNCI, ROOT, startKunci, stop } from './run-cli';

const BIN_TEST_MS = BIN_TIMEOUT_MS + 5_000;

// The bin runs as a child process, from its sources as `npm start` runs it (scripts/from-source.cjs),
// where the process itself is under test: `npm start`, the exit codes 0, 1 and 2 (one child each),
// the long-running sandbox and SIGTERM. The other cases run the same program in this process
// (`kunci`), which spares a node start (about 0.3 s of CPU) per case.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kunci-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('kunci demo (npm start)', () => {
  it('npm start runs this very command', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.start).toBe(`node ${KUNCI.join(' ')} demo`);
  });

  it(
    'prints the table of every flow, the signed API calls, the single flight and the retry, and exits 0',
    async () => {
      const result = await kunciBin(['demo']);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const lines = result.stdout.split('\n');
      expect(lines).toContainEqual(
        expect.stringMatching(/^provider\s+flow\s+token\s+expires at\s+latency\s+cache hit$/),
      );
      const row = (provider: string, flow: string, hit: string): RegExp =>
        new RegExp(`^${provider}\\s+${flow}\\s+\\S{4}…\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\s+[\\d.]+ ms\\s+${hit}$`);
      for (const expected of [
        row('pivot-snap', 'B2B', 'no'),
        row('pivot-snap', 'B2B', 'yes'),
        row('pivot-snap', 'B2B2C', 'no'),
        row('pivot-snap', 'B2B2C refresh', 'no'),
        row('pivot-legacy', 'B2B', 'no'),
        row('klikoo', 'B2B', 'no'),
      ]) {
        expect(lines).toContainEqual(expect.stringMatching(expected));
      }
      expect(result.stdout).toMatch(
        /^signed API calls \(HMAC-SHA512 with the client secret, verified by the sandbox\):$/m,
      );
      expect(result.stdout).toMatch(
        /^pivot-snap {2}POST \/wallet-backend\/snap\/v1\.0\/balance-inquiry -> 200 2000000 Successful \(accepted\), X-SIGNATURE \S{4}…, [\d.]+ ms$/m,
      );
      expect(result.stdout).toMatch(
        /^klikoo {6}POST \/v1\/open-api\/account\/inquiry -> 200 200002000 Sukses \(accepted\), Open-Api-Signature \S{4}…, [\d.]+ ms$/m,
      );
      expect(result.stdout).toMatch(
        /^single flight: 1000 concurrent getToken\(\) callers -> 1 upstream request, 1 token \(/m,
      );
      expect(result.stdout).toMatch(
        /^pivot-snap {2}asymmetric POST \/notify -> 200 2000000, verified: yes, the right answer, [\d.]+ ms$/m,
      );
      expect(result.stdout).toMatch(
        /^retry: injected 503 on pivot-legacy -> 2 attempts \(HTTP 503, then 200\), token \S{4}…$/m,
      );
    },
    BIN_TEST_MS,
  );
});

describe('kunci --help and usage errors', () => {
  it('--help lists the commands and the exit codes; exit 0', async () => {
    const result = await kunci(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['demo', 'token', 'check', 'sandbox', 'keygen', 'sign', 'notify'])
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(result.stdout).toMatch(/2 {2}usage or config error/);
  });

  it(
    'an unknown command or a missing option is a usage error: stderr, exit 2',
    async () => {
      // The bin's exit code for a usage error; the missing option takes the same path in this process.
      const [unknown, missing] = await Promise.all([kunciBin(['tokne']), kunci(['sign', '--provider', 'klikoo'])]);
      expect(unknown).toMatchObject({ code: 2, stdout: '' });
      expect(unknown.stderr).toMatch(/unknown command 'tokne'/);
      expect(missing).toMatchObject({ code: 2, stdout: '' });
      expect(missing.stderr).toMatch(/required option '--client-id <id>' not specified/);
    },
    BIN_TEST_MS,
  );
});

describe('kunci keygen and kunci sign', () => {
  it('writes a PKCS#8 private key with mode 0600, the SPKI public key and its Base64; refuses to overwrite', async () => {
    const out = join(dir, 'keys');
    const result = await kunci(['keygen', '--out', out, '--json']);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, string>;
    expect(printed.privateKey).toBe(join(out, 'private.pem'));
    expect(mode(join(out, 'private.pem'))).toBe(0o600);
    const privatePem = readFileSync(join(out, 'private.pem'), 'utf8');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const publicPem = readFileSync(join(out, 'public.pem'), 'utf8');
    expect(createPublicKey(privatePem).export({ type: 'spki', format: 'pem' })).toBe(publicPem);
    expect(readFileSync(join(out, 'public.base64.txt'), 'utf8').trim()).toBe(
      createPublicKey(publicPem).export({ type: 'spki', format: 'der' }).toString('base64'),
    );
    expect(result.stdout).not.toContain(privatePem.slice(100, 160));

    const again = await kunci(['keygen', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/refusing to overwrite .*private\.pem/);
    expect(readFileSync(join(out, 'private.pem'), 'utf8')).toBe(privatePem);
  });

  it('sign --json prints the timestamp, the string to sign and a signature that verifies', async () => {
    const keyFile = join(dir, 'sign.pem');
    writeFileSync(keyFile, otherKeyPair().privateKeyPem, { mode: 0o600 });
    const timestamp = '2026-11-22T10:15:30+07:00';
    const [snap, klikoo, text] = await Promise.all([
      kunci([
        'sign',
        '--provider',
        'pivot-snap',
        '--client-id',
        'my-client-id',
        '--private-key',
        `file:${keyFile}`,
        '--timestamp',
        timestamp,
        '--json',
      ]),
      kunci(
        [
          'sign',
          '--provider',
          'klikoo',
          '--client-id',
          '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02',
          '--private-key',
          'env:KUNCI_TEST_KEY',
          '--json',
        ],
        { KUNCI_TEST_KEY: otherKeyPair().privateKeyPem },
      ),
      kunci([
        'sign',
        '--provider',
        'pivot-snap',
        '--client-id',
        'my-client-id',
        '--private-key',
        `file:${keyFile}`,
        '--timestamp',
        timestamp,
      ]),
    ]);
    expect(snap.code).toBe(0);
    const signed = JSON.parse(snap.stdout) as { timestamp: string; stringToSign: string; signature: string };
    expect(Object.keys(signed)).toEqual(['timestamp', 'stringToSign', 'signature']);
    expect(signed).toMatchObject({ timestamp, stringToSign: `my-client-id|${timestamp}` });
    expect(
      verify(
        'sha256',
        Buffer.from(signed.stringToSign),
        otherKeyPair().publicKey,
        Buffer.from(signed.signature, 'base64'),
      ),
    ).toBe(true);
    const now = JSON.parse(klikoo.stdout) as { timestamp: string; stringToSign: string };
    expect(now.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    expect(now.stringToSign).toBe(`3f9c8962-4c4b-4bb6-b3c1-8fc883519c02|${now.timestamp}`);
    expect(text.stdout).toBe(
      `timestamp:      ${timestamp}\nstring to sign: my-client-id|${timestamp}\nsignature:      ${signed.signature}\n`,
    );
  });

  it('sign refuses a bad timestamp or an unreadable key with exit 2, naming no secret', async () => {
    const [badTime, noKey] = await Promise.all([
      kunci(
        [
          'sign',
          '--provider',
          'klikoo',
          '--client-id',
          'c',
          '--private-key',
          'env:KUNCI_TEST_KEY',
          '--timestamp',
          'yesterday',
        ],
        { KUNCI_TEST_KEY: otherKeyPair().privateKeyPem },
      ),
      kunci(['sign', '--provider', 'klikoo', '--client-id', 'c', '--private-key', 'env:KUNCI_TEST_KEY'], {
        KUNCI_TEST_KEY: 'not-a-key-5a1f9c',
      }),
    ]);
    expect(badTime).toMatchObject({ code: 2, stdout: '' });
    expect(badTime.stderr).toMatch(/--timestamp must look like 2026-11-22T10:15:30\+07:00 \(got yesterday\)/);
    expect(noKey).toMatchObject({ code: 2, stdout: '' });
    expect(noKey.stderr).toMatch(/--private-key is not a readable private key/);
    expect(noKey.stderr).not.toContain('5a1f9c');
  });
});

describe('kunci sign --service', () => {
  const timestamp = '2026-11-22T10:15:30+07:00';
  const token = `tok-${randomBytes(24).toString('base64url')}`;
  const secret = randomBytes(16).toString('hex');
  const env = { KUNCI_TEST_TOKEN: token, KUNCI_TEST_SECRET: secret };
  const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
  const signed = (stdout: string): { timestamp: string; stringToSign: string; signature: string } =>
    JSON.parse(stdout) as never;

  /** What the provider's own signRequest puts on the wire for the same call. */
  function providerSends(
    provider: 'pivot-snap' | 'klikoo',
    request: Omit<ServiceRequest, 'accessToken' | 'now'>,
  ): Record<string, string> {
    const base = { baseUrl: 'https://api.example', privateKey: otherKeyPair().privateKeyPem, clientSecret: secret };
    const config =
      provider === 'pivot-snap'
        ? { provider, ...base, clientId: 'my-client-id', channelId: '95221' }
        : { provider, ...base, clientId: '3f9c8962-4c4b-4bb6-b3c1-8fc883519c02' };
    const sign = createTokenProvider(config).signRequest?.bind(null);
    if (sign === undefined) throw new Error(`${provider} signs no API call`);
    return sign({ ...request, accessToken: token, now: Date.parse(timestamp) }).headers;
  }

  it("prints the signature the provider's signRequest sends for the same call; the token masked unless --reveal", async () => {
    const bodyFile = join(dir, 'inquiry.json');
    const body = '{ "partnerReferenceNo": "INV-1",\n  "note": "saldo  ✓" }';
    writeFileSync(bodyFile, body);
    const url = '/wallet-backend/snap/v1.0/balance-inquiry?lang=id';
    const snapArgs = [
      'sign',
      '--service',
      '--provider',
      'pivot-snap',
      '--url',
      url,
      '--body',
      `@${bodyFile}`,
      '--access-token',
      'env:KUNCI_TEST_TOKEN',
      '--client-secret',
      'env:KUNCI_TEST_SECRET',
      '--timestamp',
      timestamp,
    ];
    const [snap, revealed, text, klikoo] = await Promise.all([
      kunci([...snapArgs, '--json'], env),
      kunci([...snapArgs, '--json', '--reveal'], env),
      kunci(snapArgs, env),
      kunci(
        [
          'sign',
          '--service',
          '--provider',
          'klikoo',
          '--method',
          'GET',
          '--url',
          '/v1/open-api/account?id=7',
          '--access-token',
          token,
          '--client-secret',
          'env:KUNCI_TEST_SECRET',
          '--timestamp',
          timestamp,
          '--json',
        ],
        env,
      ),
    ]);
    const snapSent = providerSends('pivot-snap', { method: 'POST', url: `https://api.example${url}`, body });
    expect(snap.code).toBe(0);
    expect(signed(snap.stdout)).toEqual({
      timestamp,
      stringToSign: `POST:${url}:${token.slice(0, 4)}…:${sha256(JSON.stringify(JSON.parse(body)))}:${timestamp}`,
      signature: snapSent['X-SIGNATURE'],
    });
    expect(snapSent['X-TIMESTAMP']).toBe(timestamp);
    expect(signed(revealed.stdout)).toEqual({
      ...signed(snap.stdout),
      stringToSign: `POST:${url}:${token}:${sha256(JSON.stringify(JSON.parse(body)))}:${timestamp}`,
    });
    expect(text.stdout).toBe(
      `timestamp:      ${timestamp} (X-TIMESTAMP)\nstring to sign: ${signed(snap.stdout).stringToSign}\nsignature:      ${String(snapSent['X-SIGNATURE'])} (X-SIGNATURE)\n` +
        `body to send:   {"partnerReferenceNo":"INV-1","note":"saldo  ✓"}\n(access token masked; --reveal prints it)\n`,
    );
    const klikooSent = providerSends('klikoo', { method: 'GET', url: 'https://api.example/v1/open-api/account?id=7' });
    expect(signed(klikoo.stdout)).toEqual({
      timestamp,
      stringToSign: `GET:/v1/open-api/account?id=7:${token.slice(0, 4)}…:${sha256('')}:${timestamp}`,
      signature: klikooSent['Open-Api-Signature'],
    });
    for (const output of [snap, text, klikoo]) {
      expect(output.stdout + output.stderr).not.toContain(token.slice(4, 12));
      expect(output.stdout + output.stderr).not.toContain(secret.slice(0, 8));
    }
  });

  it('refuses a missing option, a body that is not JSON or an unknown reading with exit 2', async () => {
    const [noUrl, badBody, badCase, unset, legacy] = await Promise.all([
      kunci(
        [
          'sign',
          '--service',
          '--provider',
          'klikoo',
          '--access-token',
          'env:KUNCI_TEST_TOKEN',
          '--client-secret',
          'env:KUNCI_TEST_SECRET',
        ],
        env,
      ),
      kunci(
        [
          'sign',
          '--service',
          '--provider',
          'klikoo',
          '--url',
          '/v1/x',
          '--body',
          '{nope',
          '--access-token',
          'env:KUNCI_TEST_TOKEN',
          '--client-secret',
          'env:KUNCI_TEST_SECRET',
        ],
        env,
      ),
      kunci(
        [
          'sign',
          '--service',
          '--provider',
          'pivot-snap',
          '--url',
          '/v1/x',
          '--method-case',
          'title',
          '--access-token',
          'env:KUNCI_TEST_TOKEN',
          '--client-secret',
          'env:KUNCI_TEST_SECRET',
        ],
        env,
      ),
      kunci(
        [
          'sign',
          '--service',
          '--provider',
          'pivot-snap',
          '--url',
          '/v1/x',
          '--access-token',
          'env:KUNCI_TEST_TOKEN',
          '--client-secret',
          'env:KUNCI_UNSET_SECRET',
        ],
        env,
      ),
      kunci(['sign', '--service', '--provider', 'pivot-legacy', '--url', '/v1/x'], env),
    ]);
    expect(noUrl).toMatchObject({ code: 2, stdout: '' });
    expect(noUrl.stderr).toMatch(/required option '--url <path>' not specified/);
    expect(badBody.stderr).toMatch(/--body must be JSON/);
    expect(badCase.stderr).toMatch(/--method-case must be upper or lower \(got title\)/);
    expect(unset.stderr).toMatch(/--client-secret refers to environment variable KUNCI_UNSET_SECRET/);
    expect(legacy.stderr).toMatch(/--provider/);
    for (const output of [badBody, badCase, unset, legacy]) expect(output).toMatchObject({ code: 2, stdout: '' });
    for (const output of [noUrl, badBody, badCase, unset]) expect(output.stderr).not.toContain(token.slice(4, 12));
  });
});

describe('kunci sandbox, then kunci token and kunci check against it', () => {
  let child: ChildProcess | undefined;
  let configFile: string;
  let url: string;

  beforeAll(async () => {
    configFile = join(dir, 'sandbox.config.json');
    const started = await startKunci(['sandbox', '--config-out', configFile, '--json']);
    child = started.child;
    url = (JSON.parse(started.firstLine) as { url: string }).url;
  }, BIN_TEST_MS);
  afterAll(async () => {
    if (child !== undefined) await stop(child);
  });

  it('prints its URL and writes the ready config with mode 0600', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mode(configFile)).toBe(0o600);
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { providers: Record<string, { baseUrl: string }> };
    expect(Object.keys(config.providers)).toEqual(['pivot-snap', 'pivot-legacy', 'klikoo', 'snap']);
    expect(config.providers.klikoo?.baseUrl).toBe(`${url}/klikoo`);
  });

  it('kunci token prints a masked token (--json), the token itself with --reveal', async () => {
    const [masked, revealed, customer] = await Promise.all([
      kunci(['token', 'klikoo', '--config', configFile, '--json']),
      kunci(['token', 'pivot-legacy', '--config', configFile, '--reveal']),
      kunci(['token', 'pivot-snap', '--config', configFile, '--auth-code', 'BND-cli-0001', '--json']),
    ]);
    expect(masked.code).toBe(0);
    expect(JSON.parse(masked.stdout)).toMatchObject({
      provider: 'klikoo',
      accessToken: expect.stringMatching(/^.{4}…$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      responseCode: '200012000',
    });
    expect(revealed.code).toBe(0);
    expect(revealed.stdout).toMatch(/^accessToken:\s+eyJ[\w-]+\.[\w-]+\.[\w-]+$/m);
    expect(JSON.parse(customer.stdout)).toMatchObject({
      provider: 'pivot-snap',
      responseCode: '2007400',
      refreshToken: expect.stringMatching(/^.{4}…$/),
    });
  });

  it('kunci check prints the public half, its fingerprint and the clock offset, then the token', async () => {
    const result = await kunci(['check', 'pivot-snap', '--config', configFile, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      publicKey: { pem: string; base64: string; fingerprint: string };
      clockOffsetMs: number;
      token: { accessToken: string };
    };
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as {
      providers: { 'pivot-snap': { privateKey: string } };
    };
    expect(report.publicKey.pem).toBe(
      createPublicKey(config.providers['pivot-snap'].privateKey).export({ type: 'spki', format: 'pem' }),
    );
    expect(report.publicKey.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}=$/);
    expect(Math.abs(report.clockOffsetMs)).toBeLessThan(1_500);
    expect(report.token.accessToken).toMatch(/^.{4}…$/);
    expect(result.stdout).not.toContain(config.providers['pivot-snap'].privateKey.slice(100, 160));
  });

  it('kunci check explains a rejected signature (exit 1), a wrong name and a broken config (exit 2)', async () => {
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as {
      providers: Record<string, Record<string, string>>;
    };
    const wrongKey = join(dir, 'wrong-key.config.json');
    writeFileSync(
      wrongKey,
      JSON.stringify({
        providers: { klikoo: { ...config.providers.klikoo, privateKey: otherKeyPair().privateKeyPem } },
      }),
    );
    const broken = join(dir, 'broken.config.json');
    writeFileSync(
      broken,
      JSON.stringify({ providers: { klikoo: { ...config.providers.klikoo, clientId: 'not-a-uuid' } } }),
    );
    const [signature, name, invalid] = await Promise.all([
      kunci(['check', 'klikoo', '--config', wrongKey]),
      kunci(['token', 'stripe', '--config', configFile]),
      kunci(['token', 'klikoo', '--config', broken]),
    ]);
    expect(signature.code).toBe(1);
    expect(signature.stdout).toMatch(/^public key: {3}SHA256:/m);
    expect(signature.stderr).toMatch(/^kunci: SIGNATURE_REJECTED: /m);
    expect(signature.stderr).toMatch(
      /likely cause: The public key registered with the provider is not the half of privateKey/,
    );
    expect(name).toMatchObject({ code: 2, stdout: '' });
    expect(name.stderr).toMatch(/has no provider named "stripe"; its providers: pivot-snap, pivot-legacy, klikoo/);
    expect(invalid).toMatchObject({ code: 2, stdout: '' });
    expect(invalid.stderr).toMatch(/^kunci: CONFIG_INVALID: .*clientId/m);
    expect(invalid.stderr).toMatch(/what to do: /);
    for (const output of [signature, name, invalid])
      expect(output.stdout + output.stderr).not.toContain(config.providers.klikoo?.clientSecret);
  });

  it(
    'kunci token reports a network failure with exit 1 and what to do',
    async () => {
      const config = JSON.parse(readFileSync(configFile, 'utf8')) as {
        providers: Record<string, Record<string, string>>;
      };
      const down = join(dir, 'down.config.json');
      writeFileSync(
        down,
        JSON.stringify({
          providers: { legacy: { ...config.providers['pivot-legacy'], baseUrl: 'http://127.0.0.1:1' } },
        }),
      );
      const result = await kunciBin(['token', 'legacy', '--config', down]);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(/^kunci: NETWORK: /m);
      expect(result.stderr).toMatch(/what to do: The host could not be reached/);
    },
    BIN_TEST_MS,
  );

  it('stops on SIGTERM with exit 0', async () => {
    const running = child;
    child = undefined;
    expect(running).toBeDefined();
    await expect(stop(running as ChildProcess)).resolves.toBe(0);
  });
});
