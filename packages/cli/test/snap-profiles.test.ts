import { expect } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testKeyPair } from '#test-kit';
import { startSandbox, type Sandbox } from '@kunci/sandbox';
import type { Io } from '../src/io';
import { run } from '../src/program';

// `kunci token <name>` and `kunci sign` for two SNAP profiles named in one config file beside the
// other providers, against the sandbox: the CLI asks the definitions, it names no profile itself.
let dir: string;
let sandbox: Sandbox;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kunci-snap-'));
  sandbox = await startSandbox({ port: 0, privateKey: testKeyPair().privateKeyPem });
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

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

describe('a config naming two SNAP profiles with the other providers, through the CLI', () => {
  it('kunci token fetches each entry, the SNAP profiles included', async () => {
    const config = {
      providers: {
        ...sandbox.config().providers,
        bri: sandbox.config({ snap: 'bri' }).providers.snap,
        dana: sandbox.config({ snap: 'dana' }).providers.snap,
      },
    };
    writeFileSync(join(dir, 'kunci.config.json'), JSON.stringify(config), { mode: 0o600 });
    for (const name of Object.keys(config.providers)) {
      const answer = await kunci('token', name, '--json');
      expect({ name, code: answer.code, err: answer.err }).toEqual({ name, code: 0, err: '' });
      expect(JSON.parse(answer.out)).toMatchObject({ provider: name === 'bri' || name === 'dana' ? 'snap' : name });
    }
  });

  it('kunci sign --provider snap signs the token request from the definition (clientId|X-TIMESTAMP, RSA-SHA256)', async () => {
    writeFileSync(join(dir, 'key.pem'), sandbox.config({ snap: 'bri' }).providers.snap.privateKey, { mode: 0o600 });
    const answer = await kunci(
      'sign',
      '--provider',
      'snap',
      '--client-id',
      'my-client',
      '--private-key',
      `file:${join(dir, 'key.pem')}`,
    );
    expect({ code: answer.code, err: answer.err }).toEqual({ code: 0, err: '' });
    expect(answer.out).toMatch(/my-client\|\d{4}-\d{2}-\d{2}T/);
    expect(answer.out).toMatch(/signature: +[A-Za-z0-9+/]{342}==/);
  });
});
