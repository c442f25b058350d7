import axios from 'axios';
import { IsNotEmpty, IsString } from 'class-validator';
import { BaseProviderConfig, baseUrlProblem, SignedProviderConfig, validateConfig } from '../src/config';
import { SecretReader } from '../src/provider-config';
import { catchSync, testKeyPair } from '../test-kit';

class DemoConfig extends SignedProviderConfig {
  @IsString() @IsNotEmpty() clientId!: string;
  @IsString() secret!: string;
}

const valid = { provider: 'demo', baseUrl: 'https://api.example.com', clientId: 'c1', secret: 'top-secret-value' };

describe('validateConfig', () => {
  it('returns the typed instance and keeps runtime fields as given', () => {
    const client = axios.create();
    const clock = (): number => 1;
    const config = validateConfig(
      DemoConfig,
      { ...valid, httpClient: client, clock, timestamp: { offset: 'Z', milliseconds: true } },
      'demo',
    );
    expect(config).toBeInstanceOf(DemoConfig);
    expect(config.httpClient).toBe(client);
    expect(config.clock).toBe(clock);
    expect(config.timestamp).toEqual({ offset: 'Z', milliseconds: true });
  });

  it('reports every bad field by path in one CONFIG_INVALID, naming the entry', () => {
    const error = catchSync(() =>
      validateConfig(
        DemoConfig,
        {
          provider: 'demo',
          baseUrl: 'http://api.example.com',
          secret: 42,
          timeoutMs: 0,
          timestamp: { offset: 'WIB' },
          typo: true,
        },
        'demo',
        'pivot',
      ),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/^The config entry "pivot" \(demo\) has 6 problems: /);
    for (const path of [
      'baseUrl uses http to a non-loopback host',
      'clientId is required',
      'secret must be a string',
      'timeoutMs must not be less than 1',
      'timestamp.offset must be',
      'typo is not a known option',
    ]) {
      expect(error.message).toContain(path);
    }
    expect(error.message).not.toContain('42');
  });

  it('never echoes values, only paths', () => {
    const error = catchSync(() =>
      validateConfig(
        DemoConfig,
        { ...valid, clientId: ['very-secret-list-value'], secret: { nested: 'very-secret-object-value' } },
        'demo',
      ),
    );
    expect(error.message).not.toContain('very-secret');
  });

  it('refuses a non-axios httpClient and a non-function clock', () => {
    const error = catchSync(() =>
      validateConfig(
        BaseProviderConfig,
        { provider: 'x', baseUrl: 'https://a.example', httpClient: { get: 1 }, clock: 5 },
        'x',
      ),
    );
    expect(error.message).toContain('httpClient must be an axios instance');
    expect(error.message).toContain('clock must be a function');
  });
});

describe('baseUrlProblem', () => {
  it.each([
    ['https://api.example.com', false, undefined],
    ['https://api.example.com/prefix', false, undefined],
    ['http://127.0.0.1:8080', false, undefined],
    ['http://[::1]:8080', false, undefined],
    ['http://localhost', false, undefined],
    ['http://api.example.com', true, undefined],
    ['http://api.example.com', false, 'uses http to a non-loopback host: use https, or set allowInsecureHttp: true'],
    ['http://10.0.0.5', false, 'uses http to a non-loopback host: use https, or set allowInsecureHttp: true'],
    ['ftp://api.example.com', false, 'must use https'],
    ['https://u:p@api.example.com', false, 'must not carry credentials'],
    ['https://api.example.com/#x', false, 'must not have a query or a fragment'],
    ['nope', false, 'is not a valid URL'],
    ['', false, 'must be a URL such as https://api.example.com'],
  ])('%s (allowInsecureHttp %s) → %s', (url, insecure, problem) => {
    expect(baseUrlProblem(url, insecure)).toBe(problem);
  });
});

describe('SecretReader', () => {
  it('collects every secret and key problem, and names the variable, never a value', () => {
    const reader = new SecretReader(
      { a: 'env:KUNCI_NOT_SET_ANYWHERE', b: 'inline-value', key: 'not a key', pass: 'env:ALSO_MISSING' },
      {},
    );
    expect(reader.secret('a')).toEqual({
      ok: false,
      problem: 'a refers to environment variable KUNCI_NOT_SET_ANYWHERE, which is not set or empty',
    });
    expect(reader.secret('b')).toEqual({ ok: true, value: 'inline-value' });
    expect(reader.privateKey('key', 'pass').ok).toBe(false);
    expect(reader.optionalSecret('absent')).toEqual({ ok: true, value: undefined });
    // Key text is kept too: a provider echoing it back gets it scrubbed.
    expect(reader.values).toEqual(['inline-value', 'not a key']);
    const error = catchSync(() => reader.finish('demo', undefined, { b: reader.secret('b') }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('a refers to environment variable KUNCI_NOT_SET_ANYWHERE');
    expect(error.message).toContain('pass refers to environment variable ALSO_MISSING');
    expect(error.message).not.toContain('inline-value');
  });

  it('a check on a resolved value records its problem; finish hands back the values', () => {
    const reader = new SecretReader({ short: 'abc', long: 'abcdef' }, {});
    const tooShort = (value: string) => (value.length < 5 ? 'short must be at least 5 characters long' : undefined);
    expect(reader.check(reader.secret('long'), tooShort)).toEqual({ ok: true, value: 'abcdef' });
    expect(reader.check(reader.secret('short'), tooShort)).toEqual({
      ok: false,
      problem: 'short must be at least 5 characters long',
    });
    expect(catchSync(() => reader.finish('demo', 'main', {})).message).toContain(
      'short must be at least 5 characters long',
    );
  });

  it('loads a key once from env, with its passphrase', () => {
    const pair = testKeyPair();
    const reader = new SecretReader({ key: 'env:K', pass: 'env:P' }, { K: pair.encryptedPem, P: pair.passphrase });
    const { key } = reader.finish('demo', undefined, { key: reader.privateKey('key', 'pass') });
    expect(key.type).toBe('private');
  });
});
