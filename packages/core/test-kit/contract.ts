import { randomBytes } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import axios, { AxiosError } from 'axios';
import nock from 'nock';
import { inspect } from 'node:util';
import { AUTH_ERROR_CODES, isAuthError, type AuthError } from '../src/errors';
import { startLoopbackServer } from '../src/loopback-server';
import { TokenManager } from '../src/manager';
import type { AccessToken } from '../src/token';
import type { TokenProvider } from '../src/provider';
import { BODY_SHAPES, hostileBody, leakedRuns, randomProviderToken, SeededRandom } from './hostile-bodies';
import { badReplies } from './bad-input';
import { configFieldPaths, withOption } from './config-fields';
import { withPath } from './body-paths';
import { expectNoSecrets, printedForms } from './secrets';
import { useStrictNock } from './strict-nock';
import { FIXED_NOW, type FlowContract, type ProviderContract } from './types';
import { deferred } from './deferred';
import { useFakeTimeouts } from './fake-timeouts';

/** Runs a promise that must reject with an AuthError, and returns that error. */
export async function expectAuthError(promise: Promise<unknown>, code?: string): Promise<AuthError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  if (!isAuthError(caught))
    throw new Error(`expected an AuthError, got ${caught === undefined ? 'a result' : inspect(caught)}`);
  if (code !== undefined)
    expect({ code: caught.code, message: caught.message }).toEqual({ code, message: caught.message });
  expect(AUTH_ERROR_CODES).toContain(caught.code);
  expect(caught.message).toContain(caught.provider);
  return caught;
}

function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** A server's answer that never comes. */
const never = (): Promise<never> => new Promise<never>(() => undefined);

/**
 * Expects `fetch` to end in TIMEOUT when its `timeoutMs` runs out while the server holds the
 * request. Only setTimeout is faked (sockets, immediates and promises run as they do), so the
 * request really is sent and received (`arrived`); then the fake clock moves: at `timeoutMs` - 1
 * nothing has ended, at `timeoutMs` the TIMEOUT comes, whatever the machine's load.
 */
async function expectTimeoutAfterArrival(
  fetch: () => Promise<unknown>,
  arrived: Promise<void>,
  timeoutMs: number,
): Promise<AuthError> {
  useFakeTimeouts();
  try {
    let settled = false;
    const pending = fetch().finally(() => {
      settled = true;
    });
    // The server has the request, or the fetch ended without it reaching the server (reported below).
    await Promise.race([arrived, pending.catch(() => undefined)]);
    const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    await turn();
    jest.advanceTimersByTime(timeoutMs - 1);
    await turn();
    if (settled) {
      const outcome = await pending.then(String, (error: unknown) => inspect(error));
      throw new Error(`the fetch ended before its timeoutMs ran out: ${outcome}`);
    }
    jest.advanceTimersByTime(1);
    return await expectAuthError(pending, 'TIMEOUT');
  } finally {
    jest.useRealTimers();
  }
}

/**
 * The provider contract: every provider package runs it in one call. It covers the documented
 * bodies, the code table, every malformed answer, the transport failures, config validation and
 * the redaction promise, with strict nock; and each flow once over a real loopback server.
 */
export function runProviderContract(contract: ProviderContract): void {
  const tokens = { accessToken: randomToken('at_'), refreshToken: randomToken('rt_') };
  const secrets = [...contract.secrets, tokens.accessToken, tokens.refreshToken];
  const make = (overrides: Record<string, unknown> = {}): TokenProvider =>
    contract.create({ ...contract.validConfig(), clock: () => FIXED_NOW, ...overrides });

  describe(`${contract.provider}: provider contract`, () => {
    describe('over nock', () => {
      useStrictNock();
      // A provider holds its config and nothing of a call: one serves every case with the valid config.
      let validProvider: TokenProvider | undefined;
      const provider = (): TokenProvider => (validProvider ??= make());
      let violations: string[] = [];
      afterEach(() => {
        const seen = violations;
        violations = [];
        expect(seen).toEqual([]);
      });

      /** One interceptor for the flow's path that checks the request and answers as told. */
      const intercept = (
        flow: FlowContract,
        status: number,
        body: string,
        headers: Record<string, string> = {},
      ): nock.Scope =>
        nock(contract.baseUrl)
          .post(flow.path)
          .reply(function reply(_uri, requestBody) {
            const sent = typeof requestBody === 'string' ? (JSON.parse(requestBody) as unknown) : requestBody;
            const lower: Record<string, string> = {};
            for (const [name, value] of Object.entries(this.req.headers)) lower[name.toLowerCase()] = String(value);
            violations.push(...flow.verifyRequest(lower, sent).map((problem) => `${flow.name}: ${problem}`));
            return [
              status,
              body,
              { 'content-type': 'application/json', date: new Date(FIXED_NOW).toUTCString(), ...headers },
            ];
          });

      /** One interceptor for the flow's path that takes the request and never answers; settles once it has it. */
      const hold = (flow: FlowContract): Promise<void> => {
        const arrival = deferred();
        nock(contract.baseUrl)
          .post(flow.path)
          .reply(() => {
            arrival.resolve();
            return never();
          });
        return arrival.promise;
      };

      for (const flow of contract.flows) {
        describe(`${flow.name} flow`, () => {
          it('turns the documented success body into the normalized AccessToken', async () => {
            intercept(flow, 200, JSON.stringify(flow.fixture));
            const token = await provider().fetchToken(flow.request);
            expect(token).toMatchObject({ ...flow.expected, tokenType: 'Bearer', provider: contract.provider });
            expect(token.issuedAt).toEqual(new Date(FIXED_NOW));
            expect(token.expiresAt.getTime()).toBe(FIXED_NOW + token.expiresIn * 1000);
            expect(Number.isInteger(token.expiresIn)).toBe(true);
          });

          it('accepts a lower-case token type and normalizes it', async () => {
            intercept(flow, 200, JSON.stringify(withPath(flow.successBody(tokens), flow.fields.tokenType, 'bearer')));
            const token = await provider().fetchToken(flow.request);
            expect(token.tokenType).toBe('Bearer');
            expect(token.accessToken).toBe(tokens.accessToken);
          });

          if (flow.fields.expiresIn !== undefined) {
            it('accepts expiresIn as a number and as a string of digits', async () => {
              const path = flow.fields.expiresIn as string;
              intercept(flow, 200, JSON.stringify(withPath(flow.successBody(tokens), path, 900)));
              intercept(flow, 200, JSON.stringify(withPath(flow.successBody(tokens), path, '900')));
              const provider = make();
              expect((await provider.fetchToken(flow.request)).expiresIn).toBe(900);
              expect((await provider.fetchToken(flow.request)).expiresIn).toBe(900);
            });
          }

          it('never prints the token it got', async () => {
            intercept(flow, 200, JSON.stringify(flow.successBody(tokens)));
            const token = await provider().fetchToken(flow.request);
            expect(token.accessToken).toBe(tokens.accessToken);
            expectNoSecrets(token, secrets);
            expectNoSecrets({ nested: { token } }, secrets);
            expect(JSON.stringify(token)).toContain(`${tokens.accessToken.slice(0, 4)}…`);
          });

          describe('bad answers are typed errors, never tokens', () => {
            // A repeat reads its answers with the normalizer its original ran these through: one is enough.
            const replies = badReplies(flow, tokens);
            for (const reply of contract.repeatOf === undefined ? replies : replies.slice(0, 1)) {
              it(`${reply.title} → ${reply.expected}`, async () => {
                intercept(flow, reply.status, reply.body, reply.headers);
                const error = await expectAuthError(provider().fetchToken(flow.request), reply.expected);
                expect(error.status).toBe(reply.status);
                expectNoSecrets(error, secrets);
              });
            }
          });

          it('an error code inside HTTP 200 is an error, not a token', async () => {
            const row = contract.codeCases.find((c) => c.flow === flow.name) ?? contract.codeCases[0];
            if (row === undefined) throw new Error('the contract needs code cases');
            intercept(flow, 200, JSON.stringify(flow.errorBody(row.code, row.message)));
            const error = await expectAuthError(provider().fetchToken(flow.request), row.expected);
            expect(error.providerCode).toBe(row.code);
          });

          it('a body over maxResponseBytes → RESPONSE_INVALID', async () => {
            const huge = { ...flow.successBody(tokens), padding: 'x'.repeat(4096) };
            intercept(flow, 200, JSON.stringify(huge));
            await expectAuthError(make({ maxResponseBytes: 2048 }).fetchToken(flow.request), 'RESPONSE_INVALID');
          });

          it('a server that never answers → TIMEOUT within timeoutMs', async () => {
            const arrived = hold(flow);
            const timeoutMs = 30_000;
            const error = await expectTimeoutAfterArrival(
              () => make({ timeoutMs }).fetchToken(flow.request),
              arrived,
              timeoutMs,
            );
            expect(error.message).toContain(`within ${timeoutMs} ms`);
            expect(error.retryable).toBe(true);
          });

          it.each(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EAI_AGAIN'])(
            'a transport failure %s → NETWORK, retryable',
            async (code) => {
              // An axios adapter failing as axios does: the real refused and reset connections are
              // proven over loopback below; this pins the mapping for failures loopback cannot stage.
              const failing = axios.create({
                adapter: (config) => Promise.reject(new AxiosError(`connect ${code}`, code, config)),
              });
              const error = await expectAuthError(make({ httpClient: failing }).fetchToken(flow.request), 'NETWORK');
              expect(error.retryable).toBe(true);
              expect(error.message).toContain(code);
              expectNoSecrets(error, secrets);
            },
          );

          it('an aborted caller → TIMEOUT, and nothing is printed of the request', async () => {
            const arrived = hold(flow);
            const controller = new AbortController();
            const pending = provider().fetchToken(flow.request, { signal: controller.signal });
            // The caller gives up while the server holds the request.
            await arrived;
            controller.abort();
            const error = await expectAuthError(pending, 'TIMEOUT');
            expect(error.message).toContain('abandoned by the caller');
            expectNoSecrets(error, secrets);
          });
        });
      }

      // The same implementation's table ran in full under the contract this one repeats.
      describe('the code table', () => {
        for (const row of contract.repeatOf === undefined ? contract.codeCases : contract.codeCases.slice(0, 1)) {
          it(`${row.flow} ${row.code} "${row.message}" (HTTP ${row.status}) → ${row.expected}`, async () => {
            const flow = contract.flows.find((f) => f.name === row.flow);
            if (flow === undefined) throw new Error(`no flow ${row.flow}`);
            intercept(flow, row.status, JSON.stringify(flow.errorBody(row.code, row.message)));
            const error = await expectAuthError(provider().fetchToken(flow.request), row.expected);
            expect(error).toMatchObject({ providerCode: row.code, providerMessage: row.message, status: row.status });
            expect(error.retryable).toBe(
              ['RATE_LIMITED', 'PROVIDER_UNAVAILABLE', 'TIMEOUT', 'NETWORK'].includes(row.expected),
            );
            expectNoSecrets(error, secrets);
          });
        }
      });
    });

    // Generative parts that read no setting of a contract repeating another: run once, under that one.
    const full = (title: string, body: () => void): void => {
      if (contract.repeatOf === undefined) describe(title, body);
    };

    const sweep = contract.sweptBy === undefined ? full : (): void => undefined;
    sweep('redaction of hostile answers (seeded property test)', () => {
      const random = SeededRandom.fromEnv();
      // Random values for the plain secret fields (a key stays the test key), the same length as given.
      const valid = contract.validConfig();
      const config: Record<string, unknown> = { ...valid, clock: () => FIXED_NOW };
      const configSecrets: string[] = [];
      for (const field of contract.secretFields) {
        const value = valid[field];
        if (
          typeof value !== 'string' ||
          value.includes('-----') ||
          value.startsWith('env:') ||
          value.startsWith('file:')
        )
          continue;
        config[field] = random.string(value.length);
        configSecrets.push(config[field] as string);
      }

      for (const flow of contract.flows) {
        const customer = flow.request?.authCode !== undefined;
        for (const shape of BODY_SHAPES) {
          it(`${flow.name}: ${shape} bodies, short and long, at every status: no 8-character run of a planted value in any printed form, log line or event (seed ${random.seed})`, async () => {
            const outputs: string[] = [];
            const planted: string[] = [];
            // One provider answers every round: its client serves the round's status and body.
            let answer = { status: 0, body: '' };
            const httpClient = axios.create({
              adapter: (request) =>
                Promise.resolve({
                  data: answer.body,
                  status: answer.status,
                  statusText: String(answer.status),
                  headers: { 'content-type': shape === 'html' ? 'text/html' : 'application/json' },
                  config: request,
                  request: {},
                }),
            });
            const provider = contract.create({ ...config, httpClient });
            for (const status of [200, 400, 401, 429, 500, 503]) {
              for (const long of [false, true]) {
                const refreshToken = random.string(24 + random.int(24));
                const known = [...configSecrets, ...(customer ? [refreshToken] : [])];
                const unknown = [randomProviderToken(random), randomProviderToken(random)];
                planted.push(...known, ...unknown);
                answer = { status, body: hostileBody(random, shape, { known, unknown }, long) };
                const request = customer ? { ...flow.request, refreshToken } : flow.request;
                const direct = await provider.fetchToken(request).then(
                  () => undefined,
                  (error: unknown) => error,
                );
                expect(isAuthError(direct)).toBe(true);
                outputs.push(
                  ...printedForms(direct),
                  inspect(direct, { depth: 10 }),
                  inspect((direct as AuthError).cause, { depth: 10 }),
                );

                const lines: unknown[] = [];
                const log =
                  (level: string) =>
                  (obj: Record<string, unknown>, msg: string): void => {
                    lines.push(level, msg, JSON.stringify(obj), inspect(obj, { depth: 10 }));
                  };
                const manager = new TokenManager(provider, {
                  retry: false,
                  logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
                });
                for (const event of ['hit', 'miss', 'fetch', 'token', 'refresh', 'error', 'storeError'] as const) {
                  manager.on(event, (payload: unknown) =>
                    lines.push(event, inspect(payload, { depth: 10 }), JSON.stringify(payload)),
                  );
                }
                const managed = await manager.getToken(request).then(
                  () => undefined,
                  (error: unknown) => error,
                );
                expect(isAuthError(managed)).toBe(true);
                await manager.close();
                outputs.push(...printedForms(managed), inspect(managed, { depth: 10 }), ...lines.map(String));
              }
            }
            const leaks = leakedRuns(outputs.join('\n'), planted);
            expect({ seed: random.seed, leaks }).toEqual({ seed: random.seed, leaks: [] });
          });
        }
      }
    });

    full('config', () => {
      it('accepts the valid config and prints none of its secrets', () => {
        const provider = make();
        expect(provider.provider).toBe(contract.provider);
        expectNoSecrets(provider, secrets);
      });

      it('reports every missing required field by path in one CONFIG_INVALID', () => {
        const config = contract.validConfig();
        for (const field of contract.requiredFields) delete config[field];
        const error = catchSync(() => contract.create(config));
        expect(error.code).toBe('CONFIG_INVALID');
        for (const field of contract.requiredFields) expect(error.message).toContain(field);
      });

      // As from JSON: every option of the config class, nested ones included, of a wrong JSON type
      // (-1.5 is no option's number: none takes a negative or a fraction).
      const { fields, objects } = configFieldPaths(contract.configClass);
      const wrongTypes: ReadonlyArray<[string, unknown]> = [
        ['null', null],
        ['a number', -1.5],
        ['an array', ['x']],
        ['an object', { x: 1 }],
      ];
      const rows = fields.flatMap((field) =>
        wrongTypes
          // An option object takes an object: `{ x: 1 }` there is an unknown option, checked elsewhere.
          .filter(([name]) => !(name === 'an object' && objects.includes(field)))
          .map(([name, value]) => [field, name, value] as const),
      );
      it.each(rows)('%s given %s → CONFIG_INVALID naming it, never a TypeError', (field, _name, value) => {
        const error = catchSync(() => contract.create(withOption(contract.validConfig(), field, value)));
        expect(error.code).toBe('CONFIG_INVALID');
        expect(error.message).toContain(field);
      });

      it('never echoes a secret value in CONFIG_INVALID', () => {
        const config: Record<string, unknown> = {
          ...contract.validConfig(),
          baseUrl: 'ftp://nowhere',
          unknownOption: 1,
        };
        for (const field of contract.secretFields) config[field] = 12345;
        const error = catchSync(() => contract.create(config));
        expect(error.code).toBe('CONFIG_INVALID');
        expect(error.message).toContain('unknownOption');
        for (const field of contract.secretFields) expect(error.message).toContain(field);
        expectNoSecrets(error, secrets);
      });

      it.each([
        ['http to a public host', 'http://api.example.com'],
        ['not a URL', 'api example com'],
        ['credentials in the URL', 'https://user:pass@api.example.com'],
        ['a query string', 'https://api.example.com/?x=1'],
        ['another scheme', 'ftp://api.example.com'],
      ])('refuses a baseUrl with %s', (_title, baseUrl) => {
        const error = catchSync(() => make({ baseUrl }));
        expect(error.code).toBe('CONFIG_INVALID');
        expect(error.message).toContain('baseUrl');
      });

      it('allows http to a public host only with allowInsecureHttp, and to loopback always', () => {
        expect(make({ baseUrl: 'http://api.example.com', allowInsecureHttp: true }).provider).toBe(contract.provider);
        expect(make({ baseUrl: 'http://127.0.0.1:8080' }).provider).toBe(contract.provider);
        expect(make({ baseUrl: 'http://localhost:8080' }).provider).toBe(contract.provider);
      });

      it.each([
        ['a string', 'not an object'],
        ['null', null],
        ['an array', []],
      ])('refuses %s as config', (_t, value) => {
        expect(catchSync(() => contract.create(value as unknown as Record<string, unknown>)).code).toBe(
          'CONFIG_INVALID',
        );
      });

      describe('header-bound fields', () => {
        const BAD_VALUES: ReadonlyArray<[string, string]> = [
          ['a CR', 'value\rX-Injected: 1'],
          ['an LF', 'value\nX-Injected: 1'],
          ['a NUL', 'value\u0000tail'],
          ['a DEL', 'value\u007ftail'],
          ['another control character (ESC)', 'value\u001btail'],
          ['a tab', 'value\ttail'],
          ['a non-ASCII letter', 'valué-tail'],
          ['an emoji', 'value-🔑-tail'],
          ['an over-long value (1,025 characters)', 'v'.repeat(1025)],
        ];
        for (const field of contract.headerFields) {
          for (const secretReference of contract.secretFields.includes(field) ? [false, true] : [false]) {
            it.each(BAD_VALUES)(
              `${field}${secretReference ? ' (given as env:NAME)' : ''} with %s → CONFIG_INVALID naming ${field}, value not echoed`,
              (_title, bad) => {
                // A random tail: the message must not hold the value, whatever it is.
                const value = `${bad}${randomBytes(12).toString('hex')}`;
                const variable = `KUNCI_CONTRACT_${randomBytes(6).toString('hex').toUpperCase()}`;
                process.env[variable] = value;
                try {
                  const error = catchSync(() => make({ [field]: secretReference ? `env:${variable}` : value }));
                  expect(error.code).toBe('CONFIG_INVALID');
                  expect(error.message).toMatch(new RegExp(`\\b${field}\\b`));
                  expectNoSecrets(error, [value, value.slice(-24), ...secrets]);
                } finally {
                  delete process.env[variable];
                }
              },
            );
          }
        }
      });

      describe('options named like Object.prototype members', () => {
        it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'])(
          '%s is an unknown option',
          (name) => {
            const config = { ...contract.validConfig(), [name]: 'x' };
            const error = catchSync(() => contract.create(config));
            expect(error.code).toBe('CONFIG_INVALID');
            expect(error.message).toContain(`${name} is not a known option`);
          },
        );

        it('a JSON "__proto__" key is an unknown option and reaches no prototype', () => {
          const config = JSON.parse(
            `{"__proto__": {"baseUrl": "https://evil.example.com", "polluted": true}, ${JSON.stringify(contract.validConfig()).slice(1)}`,
          ) as Record<string, unknown>;
          const error = catchSync(() => contract.create(config));
          expect(error.code).toBe('CONFIG_INVALID');
          expect(error.message).toContain('__proto__ is not a known option');
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        });

        it('a nested option object is checked the same way', () => {
          const error = catchSync(() =>
            make({ timestamp: JSON.parse('{"__proto__": {"offset": "Z"}, "constructor": 1}') as unknown }),
          );
          expect(error.code).toBe('CONFIG_INVALID');
          expect(error.message).toMatch(/timestamp(\.__proto__ is not a known option|\b)/);
        });
      });

      it.each([
        ['null', null],
        ['a number', 5],
        ['a string', 'axios'],
        ['an object without request()', {}],
        ['a function without request()', () => undefined],
        ['an object whose request is not a function', { request: 'yes' }],
      ])('httpClient as %s → CONFIG_INVALID, not a TypeError', (_title, httpClient) => {
        const error = catchSync(() => make({ httpClient }));
        expect(error.code).toBe('CONFIG_INVALID');
        expect(error.message).toContain('httpClient must be an axios instance');
      });

      it('refuses bad timeouts and a non-axios httpClient', () => {
        const error = catchSync(() => make({ timeoutMs: -1, httpClient: {} }));
        expect(error.message).toContain('timeoutMs');
        expect(error.message).toContain('httpClient');
      });
    });

    describe('over a real loopback server (no nock)', () => {
      for (const flow of contract.flows) {
        it(`${flow.name}: the emulator accepts the request and the token comes back normalized`, async () => {
          const emulator = contract.emulator(Date.now);
          const server = await startLoopbackServer((request) => emulator.handle(request));
          try {
            const provider = contract.create({ ...contract.validConfig(), baseUrl: server.url });
            const token: AccessToken = await provider.fetchToken(flow.request);
            expect(token).toMatchObject({ tokenType: 'Bearer', provider: contract.provider });
            expect(token.accessToken.length).toBeGreaterThan(8);
            expect(token.expiresAt.getTime()).toBeGreaterThan(Date.now());
            expect(server.requests).toHaveLength(1);
            expect(server.requests[0]?.path).toBe(flow.path);
          } finally {
            await server.close();
          }
        });
      }

      it('a closed loopback port → NETWORK', async () => {
        const server = await startLoopbackServer(() => ({ status: 200, body: '' }));
        const { url } = server;
        await server.close();
        await expectAuthError(
          contract.create({ ...contract.validConfig(), baseUrl: url }).fetchToken(contract.flows[0]?.request),
          'NETWORK',
        );
      });

      it('a loopback server that resets the connection → NETWORK', async () => {
        const server = createNetServer((socket) => socket.destroy());
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        try {
          const { port } = server.address() as AddressInfo;
          await expectAuthError(
            contract
              .create({ ...contract.validConfig(), baseUrl: `http://127.0.0.1:${port}` })
              .fetchToken(contract.flows[0]?.request),
            'NETWORK',
          );
        } finally {
          await new Promise((resolve) => server.close(resolve));
        }
      });

      it('a loopback server that never answers → TIMEOUT', async () => {
        const arrival = deferred();
        const server = await startLoopbackServer(() => {
          arrival.resolve();
          return never();
        });
        try {
          const timeoutMs = 30_000;
          await expectTimeoutAfterArrival(
            () =>
              contract
                .create({ ...contract.validConfig(), baseUrl: server.url, timeoutMs })
                .fetchToken(contract.flows[0]?.request),
            arrival.promise,
            timeoutMs,
          );
          expect(server.requests).toHaveLength(1);
        } finally {
          await server.close();
        }
      });
    });
  });
}

export function catchSync(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (error) {
    if (isAuthError(error)) return error;
    throw error;
  }
  throw new Error('expected an AuthError to be thrown');
}

/** The token a normalizer returned; fails the test (with the error) when it returned an AuthError. */
export function tokenOf(result: AccessToken | AuthError): AccessToken {
  if (isAuthError(result)) throw result;
  return result;
}

/** The AuthError a normalizer returned; fails the test when it returned a token. */
export function errorOf(result: AccessToken | AuthError): AuthError {
  if (!isAuthError(result)) throw new Error('expected an AuthError, got a token');
  return result;
}
