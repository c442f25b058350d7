import { isAuthError } from '@kunci/core';
import { createTokenProvider, type ProviderConfig } from '../src';
import { klikooConfig, legacyConfig, snapConfig } from './fixtures';

type Kind = 'string' | 'secret' | 'integer' | 'boolean' | 'object';

const COMMON: Record<string, Kind> = {
  baseUrl: 'string',
  allowInsecureHttp: 'boolean',
  timeoutMs: 'integer',
  maxResponseBytes: 'integer',
};
const SIGNED: Record<string, Kind> = {
  timestamp: 'object',
  'timestamp.offset': 'string',
  'timestamp.milliseconds': 'boolean',
};
const SIGNING: Record<string, Kind> = {
  signing: 'object',
  'signing.includeQuery': 'boolean',
  'signing.emptyBody': 'string',
  'signing.methodCase': 'string',
};

/** Every option of every provider, nested ones by their path, with the type it takes. */
const FIELDS: Array<[string, ProviderConfig, Record<string, Kind>]> = [
  [
    'pivot-snap',
    snapConfig('https://snap.example'),
    {
      ...COMMON,
      ...SIGNED,
      ...SIGNING,
      clientId: 'string',
      privateKey: 'secret',
      privateKeyPassphrase: 'secret',
      clientSecret: 'secret',
      partnerId: 'string',
      channelId: 'string',
      paths: 'object',
      'paths.b2b': 'string',
      'paths.b2b2c': 'string',
    },
  ],
  [
    'pivot-legacy',
    legacyConfig('https://legacy.example'),
    { ...COMMON, merchantId: 'string', merchantSecret: 'secret', path: 'string' },
  ],
  [
    'klikoo',
    klikooConfig('https://klikoo.example'),
    {
      ...COMMON,
      ...SIGNED,
      ...SIGNING,
      clientId: 'string',
      clientSecret: 'secret',
      privateKey: 'secret',
      privateKeyPassphrase: 'secret',
      path: 'string',
    },
  ],
];

const WRONG: Record<Kind, unknown[]> = {
  string: [5, 0, true, false, {}, [], ['x'], Number.NaN],
  secret: [5, true, {}, ['env:X']],
  integer: ['5000', '', true, {}, [], Number.NaN, Number.POSITIVE_INFINITY, 1.5],
  boolean: ['true', 'yes', 1, 0, {}, []],
  object: ['x', 5, true, ['a']],
};

const EXPECTED: Record<Kind, RegExp> = {
  string: /must be (a string|a path|'|a UUID|a URL|an object)/,
  secret: /must be a string: the value, env:NAME or file:PATH/,
  integer: /must be (a number \(got ([a-z ]+|NaN|Infinity)\)|a whole number)/,
  boolean: /must be true or false \(got (a string|a number|an object|an array)\)/,
  object: /must be an object/,
};

function withValue(config: ProviderConfig, path: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) copy[head] = value;
  else copy[head] = { [tail]: value };
  return copy;
}

function problemsOf(config: Record<string, unknown>): string[] {
  try {
    createTokenProvider(config as unknown as ProviderConfig);
  } catch (error) {
    if (!isAuthError(error) || error.code !== 'CONFIG_INVALID') throw error;
    return error.message
      .replace(/^[^:]*: /, '')
      .replace(/\.$/, '')
      .split('; ');
  }
  return [];
}

describe('config messages: one clear message per problem', () => {
  it.each(FIELDS)(
    '%s: every wrong type in every option is one message that says what the option takes',
    (_name, valid, fields) => {
      for (const [path, kind] of Object.entries(fields)) {
        for (const value of WRONG[kind]) {
          const problems = problemsOf(withValue(valid, path, value));
          const about = problems.filter((problem) => problem.startsWith(`${path} `) || problem.startsWith(`${path}:`));
          const context = { path, value: String(value), problems };
          expect({ ...context, count: about.length }).toEqual({ ...context, count: 1 });
          expect({ ...context, fits: EXPECTED[kind].test(about[0] ?? '') }).toEqual({ ...context, fits: true });
          expect({ ...context, distinct: new Set(problems).size }).toEqual({ ...context, distinct: problems.length });
        }
      }
    },
  );

  it('a value too long is one bound, the field’s own', () => {
    const problems = problemsOf({ ...legacyConfig('https://legacy.example'), merchantId: 'm'.repeat(300) });
    expect(problems).toEqual(['merchantId must be at most 256 characters (it is sent in the X-MERCHANT-ID header)']);
  });

  it.each([2 ** 31, 1e12, -1, 0, Number.NaN, 2 ** 31 - 1])('timeoutMs %p is refused, naming it', (timeoutMs) => {
    const problems = problemsOf({ ...snapConfig('https://snap.example'), timeoutMs });
    expect(problems).toEqual([expect.stringMatching(/^timeoutMs must /)]);
  });
});

describe('config problems in one pass', () => {
  const UNSET = 'KUNCI_TEST_UNSET_VARIABLE_31';

  it('a bad field and an unset env: key are reported together (the configuration page’s example)', () => {
    delete process.env[UNSET];
    const problems = problemsOf({
      ...snapConfig('https://snap.example'),
      paths: { b2b: 'no-slash' },
      privateKey: `env:${UNSET}`,
    });
    expect(problems).toEqual([
      'paths.b2b must be a path starting with /',
      `privateKey refers to environment variable ${UNSET}, which is not set or empty`,
    ]);
  });

  it('a bad field and an unreadable key, a missing passphrase variable or a bad secret file, together', () => {
    delete process.env[UNSET];
    expect(
      problemsOf({ ...klikooConfig('https://klikoo.example'), timeoutMs: '5000', privateKey: 'not a key at all' }),
    ).toEqual([
      'timeoutMs must be a number (got a string)',
      'privateKey is not a readable private key (PKCS#8 or PKCS#1 PEM, or a Base64 DER body)',
    ]);
    expect(
      problemsOf({
        ...snapConfig('https://snap.example'),
        clientId: 'has space',
        privateKeyPassphrase: `env:${UNSET}`,
        clientSecret: 'file:/nonexistent/kunci/secret',
      }),
    ).toEqual([
      expect.stringMatching(/^clientId must be visible ASCII/),
      `privateKeyPassphrase refers to environment variable ${UNSET}, which is not set or empty`,
      expect.stringMatching(/^clientSecret refers to file \/nonexistent\/kunci\/secret, which cannot be read/),
    ]);
  });
});
