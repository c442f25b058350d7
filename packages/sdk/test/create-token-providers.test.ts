import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catchSync, expectNoSecrets, testKeyPair, useStrictNock } from '#test-kit';
import { createTokenProviders, type KunciConfig, type KunciConfigFile } from '../src';
import {
  KLIKOO_CLIENT_ID,
  klikooConfig,
  legacyConfig,
  MERCHANT_ID,
  MERCHANT_SECRET,
  secrets,
  SNAP_CLIENT_ID,
  snapConfig,
  useEmulatorServer,
} from './fixtures';

useStrictNock();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kunci-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(content: unknown, name = 'kunci.config.json'): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

describe('createTokenProviders from an object', () => {
  it('returns one provider per name, each of the provider its entry names', () => {
    const providers = createTokenProviders({
      providers: {
        pivot: snapConfig('https://api-stg.pivot-payment.com'),
        pivotLegacy: legacyConfig('https://api-stg.pivot-payment.com'),
        klikoo: klikooConfig('https://openapi.klikoo.example'),
      },
    });
    expect(Object.keys(providers)).toEqual(['pivot', 'pivotLegacy', 'klikoo']);
    expect(providers.pivot).toMatchObject({
      provider: 'pivot-snap',
      clientId: SNAP_CLIENT_ID,
      supportsCustomerTokens: true,
    });
    expect(providers.pivotLegacy).toMatchObject({
      provider: 'pivot-legacy',
      clientId: MERCHANT_ID,
      supportsCustomerTokens: false,
    });
    expect(providers.klikoo).toMatchObject({
      provider: 'klikoo',
      clientId: KLIKOO_CLIENT_ID,
      supportsCustomerTokens: false,
    });
    expectNoSecrets(providers, secrets());
  });

  it('validates every entry and reports all their problems in one CONFIG_INVALID that names each bad entry', () => {
    const config = {
      providers: {
        good: legacyConfig('https://api.example.com'),
        noClient: { ...snapConfig('https://api.example.com'), clientId: undefined },
        typo: { ...legacyConfig('https://api.example.com'), provider: 'pivot-legasi' },
        insecure: { ...klikooConfig('http://api.example.com'), timeoutMs: 'soon' },
      },
    };
    const error = catchSync(() => createTokenProviders(config as unknown as KunciConfig));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', provider: 'kunci', retryable: false });
    expect(error.message).toMatch(/^The kunci config has 3 invalid entries\. /);
    expect(error.message).toContain('config entry "noClient" (pivot-snap)');
    expect(error.message).toContain('clientId');
    expect(error.message).toContain('config entry "typo" (kunci)');
    expect(error.message).toContain('"pivot-legacy"');
    expect(error.message).toContain('config entry "insecure" (klikoo)');
    expect(error.message).toContain('baseUrl uses http to a non-loopback host');
    expect(error.message).toContain('timeoutMs');
    expect(error.message).not.toContain('"good"');
    expect(error.cause).toEqual({ entries: ['noClient', 'typo', 'insecure'] });
    expectNoSecrets(error, secrets());
  });

  it("keeps the entry's provider when only one entry is bad", () => {
    const error = catchSync(() =>
      createTokenProviders({
        providers: { ok: legacyConfig('https://a.example'), pivot: snapConfig('ftp://a.example') },
      }),
    );
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', provider: 'pivot-snap' });
    expect(error.message).toMatch(
      /^The kunci config has 1 invalid entry\. The config entry "pivot" \(pivot-snap\) has a problem: baseUrl/,
    );
  });

  it.each([
    ['no providers object', {}, 'providers must be an object of named provider configs'],
    ['providers as an array', { providers: [] }, 'providers must be an object of named provider configs'],
    ['an empty providers object', { providers: {} }, 'providers names no provider'],
    [
      'an unknown top-level option',
      { provider: 'pivot-snap', providers: { a: legacyConfig('https://a.example') } },
      'provider is not a known option (expected "providers" or "store")',
    ],
    ['not an object', 'kunci.config.json', undefined],
  ])('refuses %s', (_title, config, problem) => {
    // A string is a path: this one does not exist relative to the working directory.
    const error = catchSync(() => createTokenProviders(config as unknown as KunciConfig));
    expect(error.code).toBe('CONFIG_INVALID');
    if (problem !== undefined) expect(error.message).toContain(problem);
  });

  it('accepts a $schema field, as editors like to have one', () => {
    expect(
      Object.keys(
        createTokenProviders({ $schema: './kunci.schema.json', providers: { a: legacyConfig('https://a.example') } }),
      ),
    ).toEqual(['a']);
  });
});

describe('createTokenProviders from a kunci.config.json file', () => {
  const emulatorServer = useEmulatorServer();

  it('reads the file, resolves file: references next to it, and the providers fetch tokens', async () => {
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys', 'pivot.pem'), testKeyPair().pkcs1Pem);
    writeFileSync(join(dir, 'keys', 'merchant-secret'), `${MERCHANT_SECRET}\n`);
    const file: KunciConfigFile = {
      providers: {
        pivot: { ...snapConfig(emulatorServer().url), privateKey: 'file:./keys/pivot.pem' },
        legacy: { ...legacyConfig(emulatorServer().url), merchantSecret: 'file:keys/merchant-secret' },
        klikoo: klikooConfig(emulatorServer().url),
      },
    };
    // The working directory is elsewhere: the references must still resolve against the file.
    expect(process.cwd()).not.toBe(dir);
    const providers = createTokenProviders(writeConfig(file));
    expect(Object.keys(providers)).toEqual(['pivot', 'legacy', 'klikoo']);
    const tokens = await Promise.all([
      providers.pivot?.fetchToken(),
      providers.legacy?.fetchToken(),
      providers.klikoo?.fetchToken(),
    ]);
    expect(tokens.map((token) => token?.provider)).toEqual(['pivot-snap', 'pivot-legacy', 'klikoo']);
  });

  it('names the file and the entry when an entry is bad, and echoes no secret', () => {
    const path = writeConfig({
      providers: {
        legacy: { ...legacyConfig(emulatorServer().url), merchantSecret: 'file:./missing-secret', timeoutMs: 0 },
      },
    });
    const error = catchSync(() => createTokenProviders(path));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`The kunci config file ${path} has 1 invalid entry.`);
    expect(error.message).toContain('config entry "legacy" (pivot-legacy)');
    expect(error.message).toContain('timeoutMs');
    expectNoSecrets(error, secrets());
  });

  it('refuses a missing file', () => {
    const path = join(dir, 'nope.json');
    const error = catchSync(() => createTokenProviders(path));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', provider: 'kunci' });
    expect(error.message).toContain(`the config file ${path} cannot be read (ENOENT)`);
  });

  it('refuses a path that is not a readable file', () => {
    const error = catchSync(() => createTokenProviders(dir));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('cannot be read (EISDIR)');
  });

  it('reads a file that starts with a UTF-8 byte order mark', () => {
    const path = writeConfig(`\uFEFF${JSON.stringify({ providers: { legacy: legacyConfig(emulatorServer().url) } })}`);
    expect(Object.keys(createTokenProviders(path))).toEqual(['legacy']);
  });

  it('refuses a config file that never ends or is too large, naming the file', () => {
    expect(catchSync(() => createTokenProviders('/dev/zero')).message).toBe(
      'The kunci config has a problem: the config file /dev/zero is not a regular file (a device, FIFO or socket).',
    );
    const path = writeConfig(`{"providers":{}, "x": "${'x'.repeat(1024 * 1024)}"}`);
    expect(catchSync(() => createTokenProviders(path)).message).toContain(
      `the config file ${path} is larger than 1 MiB`,
    );
  });

  it('refuses invalid JSON without quoting the text, which may hold a secret', () => {
    const path = writeConfig(`{"providers": {"legacy": {"merchantSecret": "${MERCHANT_SECRET}" "baseUrl": 1}}}`);
    const error = catchSync(() => createTokenProviders(path));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`The kunci config has a problem: the config file ${path} is not valid JSON.`);
    expectNoSecrets(error, secrets());
  });

  it('refuses a file of the wrong shape, naming the file', () => {
    const path = writeConfig({ pivot: snapConfig(emulatorServer().url) });
    const error = catchSync(() => createTokenProviders(path));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`pivot is not a known option (expected "providers" or "store") (in ${path})`);
    expectNoSecrets(error, secrets());
  });

  it('keeps an entry named "__proto__" an ordinary entry', () => {
    const path = writeConfig(`{"providers": {"__proto__": ${JSON.stringify(legacyConfig(emulatorServer().url))}}}`);
    const providers = createTokenProviders(path);
    expect(Object.getPrototypeOf(providers)).toBe(Object.prototype);
    expect(Object.keys(providers)).toEqual(['__proto__']);
  });

  it.each([
    ['pivot-snap', snapConfig],
    ['pivot-legacy', legacyConfig],
    ['klikoo', klikooConfig],
  ])(
    '%s: option keys named like Object.prototype members in the JSON text are unknown options of the entry',
    (provider, config) => {
      const entry = JSON.stringify(config('https://api.example.com')).slice(1, -1);
      const path = writeConfig(
        `{"providers": {"main": {"__proto__": {"timeoutMs": 5}, "constructor": {}, "toString": "x", "hasOwnProperty": 1, ${entry}}}}`,
      );
      const error = catchSync(() => createTokenProviders(path));
      expect(error.code).toBe('CONFIG_INVALID');
      for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
        expect(error.message).toContain(`${name} is not a known option`);
      expect(error.message).toContain(`config entry "main" (${provider})`);
    },
  );

  it('httpClient: null in the object form → CONFIG_INVALID naming the entry', () => {
    const error = catchSync(() =>
      createTokenProviders({
        providers: { main: { ...legacyConfig('https://api.example.com'), httpClient: null as never } },
      }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('httpClient must be an axios instance');
  });
});
