import { expect } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import nock from 'nock';
import { otherKeyPair } from '#test-kit';
import { createTokenProvider, type ProviderConfig } from '@kunci/sdk';
import { recordProvider, replayProvider, type ProviderFixture } from '@kunci/sandbox/nock';
import type { SandboxProvider } from '../src';
import { failure, useSandbox } from './helpers';

// Recorded contract tests: one exchange per flow recorded against the sandbox into a fixture file,
// which must hold nothing secret, then replayed through nock with the sandbox out of the way. Each
// test records what it replays, against its own sandbox into its own directory.

const sandbox = useSandbox();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kunci-fixtures-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  nock.cleanAll();
  nock.enableNetConnect();
});

const PROVIDERS: readonly SandboxProvider[] = ['pivot-snap', 'pivot-legacy', 'klikoo'];
const AUTH_CODE = `BND-${Math.random().toString(36).slice(2)}-rec`;
const entry = (name: SandboxProvider): ProviderConfig => sandbox().config().providers[name];
const fixtureFile = (name: SandboxProvider): string => join(dir, `${name}.json`);

/** Every value the recording saw go by that must not be published: sent headers and bodies, answers. */
interface Seen {
  values: string[];
}

/** Records the provider's flows (pivot-snap's B2B2C too, with AUTH_CODE) into `fixtureFile(name)`. */
async function record(name: SandboxProvider, seen: Seen = { values: [] }): Promise<ProviderFixture> {
  const config = { ...entry(name), httpClient: watchingClient(seen) } as ProviderConfig;
  return recordProvider(config, {
    fixture: fixtureFile(name),
    ...(name === 'pivot-snap' ? { authCode: AUTH_CODE } : {}),
  });
}

function watchingClient(seen: Seen) {
  const http = axios.create();
  http.interceptors.response.use((response) => {
    const sent = response.config.headers;
    for (const name of [
      'x-signature',
      'x-timestamp',
      'open-api-signature',
      'open-api-timestamp',
      'x-merchant-secret',
    ]) {
      const value = sent.get(name);
      if (typeof value === 'string') seen.values.push(value);
    }
    const collect = (value: unknown, key: string): void => {
      if (typeof value === 'string' && /token|time|code/i.test(key) && !/type|responsecode|response_code/i.test(key))
        seen.values.push(value);
      else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) collect(v, k);
    };
    collect(JSON.parse(String(response.data)), '');
    return response;
  });
  return http;
}

/** The config's secrets and identities, and the private key's Base64 body. */
function configSecrets(config: ProviderConfig): string[] {
  const record = config as unknown as Record<string, unknown>;
  const values = ['clientId', 'clientSecret', 'merchantId', 'merchantSecret']
    .map((field) => record[field])
    .filter((v): v is string => typeof v === 'string');
  const key = record.privateKey;
  if (typeof key === 'string') values.push(key.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''));
  return values;
}

/** Each 8-character run of each secret found in the text. */
function eightCharRuns(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i += 1)
      if (text.includes(secret.slice(i, i + 8))) found.push(secret.slice(i, i + 8));
  }
  return found;
}

describe.each(PROVIDERS)('recordProvider(%s)', (name) => {
  it('records one exchange per flow against the sandbox', async () => {
    const recorded = await record(name);
    expect(recorded.exchanges.map((e) => e.flow)).toEqual(name === 'pivot-snap' ? ['b2b', 'b2b2c'] : ['b2b']);
    expect(JSON.parse(readFileSync(fixtureFile(name), 'utf8'))).toEqual(recorded);
    expect(recorded.exchanges[0]?.response.status).toBe(200);
  });

  it('writes a file with no 8-character run of any secret, identity, key, token, signature, auth code or timestamp', async () => {
    const seen: Seen = { values: [] };
    await record(name, seen);
    const text = readFileSync(fixtureFile(name), 'utf8');
    const secrets = [...configSecrets(entry(name)), ...seen.values, AUTH_CODE];
    expect(seen.values.length).toBeGreaterThanOrEqual(name === 'pivot-snap' ? 8 : 2);
    expect(eightCharRuns(text, secrets)).toEqual([]);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(text).toContain('{{accessToken}}');
    expect(text).toContain(name === 'pivot-legacy' ? '{{merchantSecret}}' : '{{signature}}');
  });

  it('replays for the same config with the sandbox out of the way: fresh tokens, expiries from now', async () => {
    const seen: Seen = { values: [] };
    await record(name, seen);
    nock.disableNetConnect();
    const before = sandbox().count();
    const replay = replayProvider(entry(name), { fixture: fixtureFile(name) });
    const provider = createTokenProvider(entry(name));
    const token = await provider.fetchToken();
    expect(token).toMatchObject({ provider: name, tokenType: 'Bearer', expiresIn: 900 });
    expect(seen.values).not.toContain(token.accessToken);
    expect(Math.abs(token.expiresAt.getTime() - Date.now() - 900_000)).toBeLessThan(5_000);
    if (name === 'pivot-snap') {
      const customer = await provider.fetchToken({ authCode: 'BND-replayed' });
      expect(Math.abs(customer.expiresAt.getTime() - Date.now() - 900_000)).toBeLessThan(5_000);
      const refreshed = await provider.fetchToken({
        authCode: 'BND-replayed',
        refreshToken: customer.refreshToken as string,
      });
      expect(refreshed.refreshToken).not.toBe(customer.refreshToken);
      // The emulator behind the replay still refuses a rotated refresh token.
      await expect(
        provider.fetchToken({ authCode: 'BND-replayed', refreshToken: customer.refreshToken as string }),
      ).rejects.toMatchObject({ code: 'GRANT_REJECTED' });
    }
    expect(replay.requests.every((r) => r.call === 'token')).toBe(true);
    expect(replay.requests[0]).toMatchObject({ status: 200, verdict: 'accepted' });
    replay.done();
    replay.restore();
    expect(sandbox().count()).toBe(before);
  });

  if (name === 'pivot-legacy') {
    it("fails for a config with another merchant secret, with the provider's error", async () => {
      await record(name);
      nock.disableNetConnect();
      const replay = replayProvider(entry(name), { fixture: fixtureFile(name) });
      const wrong = {
        ...entry(name),
        merchantSecret: `other-${Math.random().toString(36).slice(2)}`,
      } as ProviderConfig;
      await expect(createTokenProvider(wrong).fetchToken()).rejects.toMatchObject({
        code: 'CREDENTIALS_REJECTED',
        providerCode: 'credentials_invalid',
      });
      replay.restore();
    });
  } else {
    it("fails for a config with another key, with the provider's signature error", async () => {
      await record(name);
      nock.disableNetConnect();
      const other = { ...entry(name), privateKey: otherKeyPair().privateKeyPem } as ProviderConfig;
      // The replay plays the provider that registered the original key.
      const replay = replayProvider(entry(name), { fixture: fixtureFile(name) });
      const error = await failure(createTokenProvider(other).fetchToken());
      expect(error).toMatchObject({
        code: 'SIGNATURE_REJECTED',
        providerCode: name === 'pivot-snap' ? '4017300' : '400016508',
      });
      expect(replay.requests[0]?.verdict).toMatch(/^signature does not verify against the registered key for client /);
      replay.restore();
    });
  }
});

describe('replayProvider: the request shape', () => {
  it('refuses a request that lacks what the recording had, naming it', async () => {
    await record('klikoo');
    const fixture = JSON.parse(readFileSync(fixtureFile('klikoo'), 'utf8')) as ProviderFixture;
    const exchange = fixture.exchanges[0] as ProviderFixture['exchanges'][number];
    exchange.request.headers['x-request-id'] = '{{token}}';
    nock.disableNetConnect();
    const replay = replayProvider(entry('klikoo'), { fixture });
    await expect(createTokenProvider(entry('klikoo')).fetchToken()).rejects.toMatchObject({
      code: 'REQUEST_REJECTED',
      status: 400,
    });
    expect(replay.requests[0]?.verdict).toBe(
      'the request differs from the recorded one: the x-request-id header is missing',
    );
    replay.restore();
  });

  it('refuses a fixed value that changed and a flow that was not recorded', async () => {
    await record('pivot-snap');
    const fixture = JSON.parse(readFileSync(fixtureFile('pivot-snap'), 'utf8')) as ProviderFixture;
    (fixture.exchanges[0]?.request.body as Record<string, unknown>).grantType = 'password';
    fixture.exchanges.splice(1, 1);
    nock.disableNetConnect();
    const replay = replayProvider(entry('pivot-snap'), { fixture });
    const provider = createTokenProvider(entry('pivot-snap'));
    await expect(provider.fetchToken()).rejects.toMatchObject({ status: 400 });
    await expect(provider.fetchToken({ authCode: 'BND-1' })).rejects.toMatchObject({ status: 400 });
    expect(replay.requests.map((r) => r.verdict)).toEqual([
      'the request differs from the recorded one: body field grantType is "client_credentials", the recorded request has "password"',
      'the request differs from the recorded one: the fixture holds no b2b2c exchange (recorded flows: b2b)',
    ]);
    replay.restore();
  });

  it('refuses a fixture of another provider, or no fixture, with CONFIG_INVALID', async () => {
    await record('pivot-snap');
    expect(() => replayProvider(entry('klikoo'), { fixture: fixtureFile('pivot-snap') })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('fixture was recorded for pivot-snap, not klikoo'),
      }),
    );
    expect(() => replayProvider(entry('klikoo'), { fixture: join(dir, 'none.json') })).toThrow(
      /fixture \S+none\.json cannot be read/,
    );
  });

  it("recordProvider rejects with the flow's AuthError and writes nothing when the provider refuses", async () => {
    const file = join(dir, 'refused.json');
    const wrong = { ...entry('klikoo'), privateKey: otherKeyPair().privateKeyPem } as ProviderConfig;
    await expect(recordProvider(wrong, { fixture: file })).rejects.toMatchObject({ code: 'SIGNATURE_REJECTED' });
    expect(() => readFileSync(file)).toThrow();
    await expect(recordProvider(entry('klikoo'), { fixture: file, authCode: 'BND-1' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});
