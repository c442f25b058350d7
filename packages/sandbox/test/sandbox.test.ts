import { expect } from '@jest/globals';
import { request } from 'node:http';
import { otherKeyPair, expectNoSecrets, testKeyPair } from '#test-kit';
import { createTokenProvider, createTokenProviders, TokenManager } from '@kunci/sdk';
import { startSandbox, type Sandbox, type SandboxOptions, type SandboxRequest } from '../src';
import { failure, seen, useSandbox } from './helpers';

/** A raw request to the sandbox, for what no provider would send. */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | Buffer,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const last = (requests: readonly SandboxRequest[]): SandboxRequest | undefined => requests[requests.length - 1];

describe('startSandbox: every flow over real HTTP', () => {
  const sandbox = useSandbox();

  it('serves each provider of sandbox.config() under its own base path', async () => {
    const providers = createTokenProviders(sandbox().config());
    const snap = await providers['pivot-snap'].fetchToken();
    const customer = await providers['pivot-snap'].fetchToken({ authCode: 'BND-0001' });
    const refreshed = await providers['pivot-snap'].fetchToken({
      authCode: 'BND-0001',
      refreshToken: customer.refreshToken as string,
    });
    const legacy = await providers['pivot-legacy'].fetchToken();
    const klikoo = await providers.klikoo.fetchToken();
    expect(snap).toMatchObject({ provider: 'pivot-snap', responseCode: '2007300', expiresIn: 900 });
    expect(customer).toMatchObject({ provider: 'pivot-snap', responseCode: '2007400' });
    expect(refreshed.refreshToken).not.toBe(customer.refreshToken);
    expect(legacy).toMatchObject({ provider: 'pivot-legacy', responseCode: '00' });
    expect(klikoo).toMatchObject({ provider: 'klikoo', responseCode: '200012000' });
    expect(sandbox().config().providers['pivot-snap'].baseUrl).toBe(`${sandbox().url}/pivot-snap`);
    expect(sandbox().count()).toBe(5);
    expect(sandbox().count({ provider: 'pivot-snap' })).toBe(3);
    expect(sandbox().count({ provider: 'pivot-snap', flow: 'b2b2c' })).toBe(2);
    expect(
      sandbox()
        .requests.slice(-5)
        .map((r) => [r.provider, r.flow, r.status, r.verdict]),
    ).toEqual([
      ['pivot-snap', 'b2b', 200, 'accepted'],
      ['pivot-snap', 'b2b2c', 200, 'accepted'],
      ['pivot-snap', 'b2b2c', 200, 'accepted'],
      ['pivot-legacy', 'b2b', 200, 'accepted'],
      ['klikoo', 'b2b', 200, 'accepted'],
    ]);
  });

  it('keeps every secret of its config out of printed forms of itself and its requests', () => {
    const { providers } = sandbox().config();
    const secrets = [
      providers['pivot-legacy'].merchantSecret,
      providers.klikoo.clientSecret,
      providers.klikoo.privateKey.slice(100, 160),
    ];
    expectNoSecrets(sandbox(), secrets);
    expectNoSecrets(sandbox().requests, secrets);
  });
});

describe("startSandbox: refusals, each with the provider's documented code and a verdict", () => {
  const sandbox = useSandbox();
  const entry = <N extends 'pivot-snap' | 'pivot-legacy' | 'klikoo'>(name: N) => sandbox().config().providers[name];

  it.each([
    ['pivot-snap', 'SIGNATURE_REJECTED', '4017300'],
    ['klikoo', 'SIGNATURE_REJECTED', '400016508'],
  ] as const)('%s: a signature made with another key', async (name, code, providerCode) => {
    const provider = createTokenProvider({ ...entry(name), privateKey: otherKeyPair().privateKeyPem });
    await expect(provider.fetchToken()).rejects.toMatchObject({ code, providerCode });
    expect(last(sandbox().requests)?.verdict).toMatch(
      /^signature does not verify against the registered key for client \S+$/,
    );
  });

  it.each([
    ['pivot-snap', '4007301'],
    ['klikoo', '400016505'],
  ] as const)('%s: a timestamp six minutes old', async (name, providerCode) => {
    const provider = createTokenProvider({ ...entry(name), clock: () => Date.now() - 6 * 60_000 });
    await expect(provider.fetchToken()).rejects.toMatchObject({ code: 'TIMESTAMP_REJECTED', providerCode });
    expect(last(sandbox().requests)?.verdict).toMatch(
      /^timestamp \d{4}-\d\d-\d\dT[\d:]+\+07:00 is 6 min behind the server clock/,
    );
  });

  it.each([
    [
      'pivot-legacy',
      { merchantSecret: 'not-the-merchant-secret' },
      'credentials_invalid',
      /^wrong merchant secret for merchant M-SANDBOX-/,
    ],
    [
      'klikoo',
      { clientSecret: 'ffffffffffffffffffffffffffffffff' },
      '401016570',
      /^wrong client secret for client [\da-f-]{36}$/,
    ],
  ] as const)('%s: a wrong secret', async (name, change, providerCode, verdict) => {
    const provider = createTokenProvider({ ...entry(name), ...change });
    await expect(provider.fetchToken()).rejects.toMatchObject({ code: 'CREDENTIALS_REJECTED', providerCode });
    expect(last(sandbox().requests)?.verdict).toMatch(verdict);
  });

  it.each([
    ['pivot-snap', { clientId: 'never-registered' }, '4017300', 'client never-registered is not registered'],
    ['pivot-legacy', { merchantId: 'M-NEVER' }, 'credentials_invalid', 'merchant M-NEVER is not registered'],
    [
      'klikoo',
      { clientId: '0b6f3c1e-2a4d-4e8f-9b1c-3d5e7f9a1b2c' },
      '401016570',
      'client 0b6f3c1e-2a4d-4e8f-9b1c-3d5e7f9a1b2c is not registered',
    ],
  ] as const)('%s: an unknown client', async (name, change, providerCode, verdict) => {
    const provider = createTokenProvider({ ...entry(name), ...change });
    await expect(provider.fetchToken()).rejects.toMatchObject({ code: 'CREDENTIALS_REJECTED', providerCode });
    expect(last(sandbox().requests)?.verdict).toBe(verdict);
  });

  it('pivot-snap B2B2C: a refresh token that was already used (rotated)', async () => {
    const provider = createTokenProvider(entry('pivot-snap'));
    const first = await provider.fetchToken({ authCode: 'BND-rotation' });
    await provider.fetchToken({ authCode: 'BND-rotation', refreshToken: first.refreshToken as string });
    const error = await failure(
      provider.fetchToken({ authCode: 'BND-rotation', refreshToken: first.refreshToken as string }),
    );
    expect(error).toMatchObject({ code: 'GRANT_REJECTED', providerCode: '4017402' });
    expect(last(sandbox().requests)?.verdict).toMatch(/refresh token is not the current one/);
    expectNoSecrets(error, [first.refreshToken as string]);
  });

  it("registers a client of the user's own, with its public key", async () => {
    sandbox().register({ provider: 'pivot-snap', clientId: 'my-own-client', publicKey: otherKeyPair().publicKeyPem });
    const provider = createTokenProvider({
      ...entry('pivot-snap'),
      clientId: 'my-own-client',
      privateKey: otherKeyPair().privateKeyPem,
    });
    await expect(provider.fetchToken()).resolves.toMatchObject({ provider: 'pivot-snap' });
  });
});

describe('startSandbox: what no provider client would send', () => {
  const sandbox = useSandbox();
  const json = { 'content-type': 'application/json' };

  it.each([
    ['pivot-snap', '/pivot-snap/open-api/v1/access-token/b2b', 400, '4007302'],
    ['pivot-legacy', '/pivot-legacy/v1/access-token', 400, 'api_validation_error'],
    ['klikoo', '/klikoo/v1/open-api/access-token', 400, '400016510'],
  ])('%s: bad JSON without its headers gets the documented error', async (_name, path, status, code) => {
    const answer = await raw(sandbox().url, 'POST', path, json, '{"grantType":');
    expect(answer.status).toBe(status);
    expect(answer.body).toContain(code);
  });

  it.each([
    ['pivot-snap', '/pivot-snap/open-api/v1/access-token/b2b', '4137300'],
    ['pivot-legacy', '/pivot-legacy/v1/access-token', 'payload_too_large'],
    ['klikoo', '/klikoo/v1/open-api/access-token', '413010000'],
  ])("%s: a body over the cap is refused with 413 and the provider's body", async (_name, path, code) => {
    const answer = await raw(sandbox().url, 'POST', path, json, Buffer.alloc(200 * 1024, 'a'));
    expect(answer.status).toBe(413);
    expect(answer.body).toContain(code);
    expect(last(sandbox().requests)?.verdict).toBe('body larger than 65536 bytes');
  });

  it.each([
    ['GET', '/pivot-snap/open-api/v1/access-token/b2b', /no pivot-snap token endpoint at GET/],
    ['POST', '/pivot-legacy/v2/payments', /no pivot-legacy token endpoint at POST \/v2\/payments/],
    ['GET', '/klikoo/v1/open-api/access-token', /no klikoo token endpoint at GET/],
    ['POST', '/stripe/v1/tokens', /no provider at \/stripe\/v1\/tokens/],
  ])('%s %s: a wrong method or path is a 404', async (method, path, verdict) => {
    const answer = await raw(sandbox().url, method, path, json, method === 'GET' ? '' : '{}');
    expect(answer.status).toBe(404);
    expect(last(sandbox().requests)?.verdict).toMatch(verdict);
  });

  it.each([
    ['pivot-snap', '/pivot-snap/wallet-backend/snap/v1.0/balance-inquiry', 400, '4000002'],
    ['klikoo', '/klikoo/v1/open-api/account/inquiry', 401, '401006500'],
  ])(
    "%s: an unsigned API call beside the token endpoint is refused with the provider's code",
    async (_name, path, status, code) => {
      const answer = await raw(sandbox().url, 'POST', path, json, '{}');
      expect(answer.status).toBe(status);
      expect(answer.body).toContain(code);
    },
  );
});

describe('startSandbox: close()', () => {
  it('ends a request left hanging, so nothing keeps the process alive', async () => {
    const sandbox = await startSandbox({ privateKey: otherKeyPair().privateKeyPem });
    sandbox.inject({ kind: 'hang' });
    const pending = raw(sandbox.url, 'POST', '/klikoo/v1/open-api/access-token', {}, '{}').catch(
      (error: unknown) => error,
    );
    await seen(sandbox, 1);
    await sandbox.close();
    await expect(pending).resolves.toMatchObject({ code: 'ECONNRESET' });
  });

  it('refuses a malformed fault with CONFIG_INVALID naming the field', async () => {
    const sandbox = await startSandbox({ privateKey: otherKeyPair().privateKeyPem });
    try {
      expect(() => sandbox.inject({ kind: 'status', status: 200 })).toThrow(
        expect.objectContaining({
          code: 'CONFIG_INVALID',
          message: expect.stringContaining('status must be a 4xx or 5xx status'),
        }),
      );
      expect(() => sandbox.inject({ kind: 'boom' as never })).toThrow(/kind must be one of status, retryAfter/);
    } finally {
      await sandbox.close();
    }
  });
});

describe('startSandbox: a TokenManager over it', () => {
  const sandbox = useSandbox();
  it('works from sandbox.config() at once', async () => {
    const providers = createTokenProviders(sandbox().config());
    const manager = new TokenManager(providers.klikoo);
    try {
      const tokens = await Promise.all(Array.from({ length: 50 }, () => manager.getToken()));
      expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
      expect(sandbox().count({ provider: 'klikoo' })).toBe(1);
    } finally {
      await manager.close();
    }
  });
});

describe('startSandbox: the RSA pairs of its clients', () => {
  const started: Sandbox[] = [];
  const start = async (options: SandboxOptions = {}): Promise<Sandbox> => {
    const sandbox = await startSandbox(options);
    started.push(sandbox);
    return sandbox;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sandbox) => sandbox.close()));
  });

  const notifier = (sandbox: Sandbox): { partnerId: string; privateKeyPem: string } =>
    sandbox.notifyCredentials('pivot-snap') as { partnerId: string; privateKeyPem: string };

  /** The private key of each generated client that signs, and of the provider side of notifications. */
  const keysOf = (sandbox: Sandbox): Record<string, string> => {
    const { providers } = sandbox.config();
    return {
      'pivot-snap': providers['pivot-snap'].privateKey,
      snap: providers.snap.privateKey,
      klikoo: providers.klikoo.privateKey,
      notifier: notifier(sandbox).privateKeyPem,
    };
  };

  it("are generated once per process: a later sandbox reuses them, with ids and secrets of its own, and refuses the other's config", async () => {
    const first = await start();
    const second = await start();
    const keys = keysOf(first);
    expect(keysOf(second)).toEqual(keys);
    // One pair per client, as with fresh pairs: no client of a sandbox signs with another's key.
    expect(new Set(Object.values(keys)).size).toBe(4);
    const [a, b] = [first.config().providers, second.config().providers];
    expect(b['pivot-snap'].clientId).not.toBe(a['pivot-snap'].clientId);
    expect(b['pivot-snap'].clientSecret).not.toBe(a['pivot-snap'].clientSecret);
    expect(b.klikoo.clientId).not.toBe(a.klikoo.clientId);
    expect(b.klikoo.clientSecret).not.toBe(a.klikoo.clientSecret);
    expect(notifier(second).partnerId).not.toBe(notifier(first).partnerId);

    await expect(createTokenProvider(b['pivot-snap']).fetchToken()).resolves.toMatchObject({ provider: 'pivot-snap' });
    await expect(createTokenProvider(b.klikoo).fetchToken()).resolves.toMatchObject({ provider: 'klikoo' });
    const elsewhere = { baseUrl: second.baseUrl('pivot-snap') };
    await expect(createTokenProvider({ ...a['pivot-snap'], ...elsewhere }).fetchToken()).rejects.toMatchObject({
      code: 'CREDENTIALS_REJECTED',
    });
    await expect(
      createTokenProvider({ ...a.klikoo, baseUrl: second.baseUrl('klikoo') }).fetchToken(),
    ).rejects.toMatchObject({ code: 'CREDENTIALS_REJECTED' });
    expect(second.requests.slice(-2).map((r) => r.verdict)).toEqual([
      `client ${a['pivot-snap'].clientId} is not registered`,
      `client ${a.klikoo.clientId} is not registered`,
    ]);
  });

  it("freshKeys: new pairs for that sandbox alone; a signature with the process's key is refused", async () => {
    const shared = await start();
    const fresh = await start({ freshKeys: true });
    const sharedKeys = keysOf(shared);
    const freshKeys = keysOf(fresh);
    for (const role of Object.keys(sharedKeys)) expect(freshKeys[role]).not.toBe(sharedKeys[role]);
    expect(new Set(Object.values(freshKeys)).size).toBe(4);

    const entry = fresh.config().providers['pivot-snap'];
    await expect(createTokenProvider(entry).fetchToken()).resolves.toMatchObject({ provider: 'pivot-snap' });
    await expect(
      createTokenProvider({ ...entry, privateKey: sharedKeys['pivot-snap']! }).fetchToken(),
    ).rejects.toMatchObject({ code: 'SIGNATURE_REJECTED', providerCode: '4017300' });
    expect(last(fresh.requests)?.verdict).toMatch(/^signature does not verify against the registered key for client /);
    // The fresh pairs are that sandbox's: a later one gets the process's pairs again.
    expect(keysOf(await start())).toEqual(sharedKeys);
  });

  it('privateKey: every generated client and the provider side of notifications sign with it', async () => {
    const sandbox = await start({ privateKey: testKeyPair().pkcs1Pem });
    expect(new Set(Object.values(keysOf(sandbox)))).toEqual(new Set([testKeyPair().privateKeyPem]));
    await expect(startSandbox({ privateKey: 'not-a-key-5d1c' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('privateKey'),
    });
  });
});
