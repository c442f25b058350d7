import { expect } from '@jest/globals';
import { expectNoSecrets, otherKeyPair } from '#test-kit';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInbound, readRawBody, type Inbound, type InboundAnswer } from '@kunci/inbound';
import { NOTIFICATION_VARIANTS, SANDBOX_NOTIFICATIONS, startSandbox, type NotifyResult, type Sandbox } from '../src';
import { useSandbox } from './helpers';

const NOTIFY_PATH = '/v1.0/debit/notify';
const TOKEN_PATH = '/v1.0/access-token/b2b';

interface Backend {
  url: string;
  /** How many notifications the backend's inbound accepted. */
  accepted: number;
  /** The tokens its token route issued. */
  issued: string[];
  close(): Promise<void>;
}

/**
 * A backend on plain node:http, as docs/inbound.md sets it up: the token route and the
 * notification route through `createInbound`. `answer` may override the inbound's answer (a
 * backend that gets it wrong).
 */
async function startBackend(
  inbound: Inbound,
  answer: (verified: InboundAnswer, rawBody: string) => InboundAnswer = (verified) => verified,
): Promise<Backend> {
  const backend = { url: '', accepted: 0, issued: [] as string[], close: (): Promise<void> => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const send = (result: InboundAnswer): void => {
      res.writeHead(result.status, result.headers);
      res.end(JSON.stringify(result.body));
    };
    void (async () => {
      let raw = '';
      try {
        const body = await readRawBody(req);
        raw = body.toString('utf8');
        const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        if (req.url === TOKEN_PATH) {
          const issued = await inbound.issueToken(request);
          if (typeof issued.body.accessToken === 'string') backend.issued.push(issued.body.accessToken);
          send(issued);
          return;
        }
        const notification = await inbound.verify(request);
        backend.accepted += 1;
        send(answer(inbound.reply(notification), raw));
      } catch (error) {
        send(answer(inbound.reply(error), raw));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  backend.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  backend.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return backend;
}

const SCHEMES = Object.entries(SANDBOX_NOTIFICATIONS).flatMap(([provider, schemes]) =>
  Object.keys(schemes ?? {}).map((scheme) => [provider, scheme] as const),
);

describe('sandbox.notify: the provider side of notifications, against a createInbound backend on loopback', () => {
  const sandbox = useSandbox();

  it('knows the schemes of the providers that notify', () => {
    expect(SCHEMES).toEqual([
      ['pivot-snap', 'asymmetric'],
      ['pivot-snap', 'symmetric'],
      ['pivot-legacy', 'api-key'],
    ]);
  });

  describe.each(SCHEMES)('%s %s', (provider, scheme) => {
    const name = provider as 'pivot-snap';
    let backend: Backend;
    beforeEach(async () => {
      backend = await startBackend(createInbound(sandbox().inboundConfig(name, scheme)));
    });
    afterEach(() => backend.close());

    it('a good notification is accepted, and that is reported as right', async () => {
      const result = await sandbox().notify({ provider: name, scheme, url: `${backend.url}${NOTIFY_PATH}` });
      expect(result).toMatchObject({ provider, scheme, variant: 'good', right: true });
      expect(result.answers).toHaveLength(1);
      expect(result.answers[0]?.status).toBe(200);
      expect(backend.accepted).toBe(1);
    });

    it('every bad variant is refused with the right answer, and reported as right', async () => {
      const variants = sandbox().notificationVariants(name, scheme);
      const results: NotifyResult[] = [];
      for (const variant of variants)
        results.push(await sandbox().notify({ provider: name, scheme, variant, url: `${backend.url}${NOTIFY_PATH}` }));
      expect(results.filter((r) => !r.right)).toEqual([]);
      for (const result of results.filter((r) => r.variant !== 'good' && r.variant !== 'replayed'))
        expect(result.answers.map((a) => a.status)).not.toContain(200);
      // The good one, and the first sending of the replay: nothing bad was accepted.
      expect(backend.accepted).toBe(variants.includes('replayed') ? 2 : 1);
    });
  });

  it('SNAP codes: 401xx00 for a tampered, stale or wrongly keyed one, 409xx00 for a replay, 400xx00 for a malformed one', async () => {
    const backend = await startBackend(createInbound(sandbox().inboundConfig('pivot-snap', 'asymmetric')));
    try {
      const url = `${backend.url}${NOTIFY_PATH}`;
      const codes: Record<string, string[]> = {};
      for (const variant of NOTIFICATION_VARIANTS) {
        const result = await sandbox().notify({ provider: 'pivot-snap', variant, url });
        codes[variant] = result.answers.map((a) => `${a.status} ${a.code ?? ''} ${a.message ?? ''}`);
      }
      expect(codes).toEqual({
        good: ['200 2000000 Successful'],
        tampered: ['401 4010000 Unauthorized. Invalid Signature'],
        stale: ['401 4010000 Unauthorized. Invalid Timestamp'],
        replayed: ['200 2000000 Successful', '409 4090000 Conflict'],
        'wrong-key': ['401 4010000 Unauthorized. Invalid Signature'],
        malformed: ['400 4000000 Bad Request'],
      });
    } finally {
      await backend.close();
    }
  });

  it.each(SCHEMES)(
    '%s %s: a backend that accepts a tampered notification is reported as wrong',
    async (provider, scheme) => {
      const name = provider as 'pivot-snap';
      const inbound = createInbound(sandbox().inboundConfig(name, scheme));
      // The wrong backend: whatever the check said, it acknowledges.
      const backend = await startBackend(inbound, (answer) => ({ ...answer, status: 200 }));
      try {
        const variant = scheme === 'api-key' ? 'wrong-key' : 'tampered';
        const result = await sandbox().notify({ provider: name, scheme, variant, url: `${backend.url}${NOTIFY_PATH}` });
        expect(result.right).toBe(false);
        expect(result.problem).toMatch(/^expected 40[01]/);
        expect(result.answers[0]?.status).toBe(200);
      } finally {
        await backend.close();
      }
    },
  );

  it('a backend that accepts a replay is reported as wrong on the second sending', async () => {
    const inbound = createInbound(sandbox().inboundConfig('pivot-snap', 'asymmetric'));
    const backend = await startBackend(inbound, (answer) =>
      answer.status === 409 ? { ...answer, status: 200, body: { responseCode: '2000000' } } : answer,
    );
    try {
      const result = await sandbox().notify({ provider: 'pivot-snap', variant: 'replayed', url: `${backend.url}/x` });
      expect(result).toMatchObject({
        right: false,
        problem: 'sending 2 of 2: expected 409, 409xx00 (Conflict), got 200, 2000000',
      });
    } finally {
      await backend.close();
    }
  });

  it('symmetric: a token route that refuses makes a wrong result that names it', async () => {
    // The backend was given another provider's key: its token route refuses the sandbox.
    const other = await startSandbox({ privateKey: otherKeyPair().privateKeyPem });
    try {
      const backend = await startBackend(createInbound(other.inboundConfig('pivot-snap', 'symmetric')));
      try {
        const result = await sandbox().notify({
          provider: 'pivot-snap',
          scheme: 'symmetric',
          url: `${backend.url}${NOTIFY_PATH}`,
        });
        expect(result.right).toBe(false);
        expect(result.problem).toBe("the backend's token route answered 401 without an accessToken");
        expect(result.answers[0]).toMatchObject({ status: 401, code: '4017300' });
      } finally {
        await backend.close();
      }
    } finally {
      await other.close();
    }
  });

  it('a backend that does not listen makes a wrong result, not a rejection', async () => {
    const backend = await startBackend(createInbound(sandbox().inboundConfig('pivot-snap')));
    const url = `${backend.url}${NOTIFY_PATH}`;
    await backend.close();
    const result = await sandbox().notify({ provider: 'pivot-snap', url });
    expect(result.right).toBe(false);
    expect(result.problem).toMatch(/^no answer: /);
  });

  it('a variant without meaning for the scheme is reported, not sent', async () => {
    const result = await sandbox().notify({
      provider: 'pivot-legacy',
      variant: 'replayed',
      url: 'http://127.0.0.1:9/',
    });
    expect(result).toMatchObject({
      right: false,
      answers: [],
      problem: 'a replayed notification means nothing for api-key notifications',
    });
  });

  it.each([
    [
      'a provider that sends none',
      { provider: 'klikoo', url: 'http://127.0.0.1:9/' },
      /provider must be one that sends notifications/,
    ],
    [
      'an unknown scheme',
      { provider: 'pivot-snap', scheme: 'hmac', url: 'http://127.0.0.1:9/' },
      /scheme must be one of asymmetric, symmetric/,
    ],
    ['a relative url', { provider: 'pivot-snap', url: '/notify' }, /url must be an absolute http\(s\) URL/],
    [
      'an unknown variant',
      { provider: 'pivot-snap', url: 'http://127.0.0.1:9/', variant: 'odd' },
      /variant must be one of/,
    ],
  ])('rejects %s with CONFIG_INVALID', async (_name, options, message) => {
    await expect(sandbox().notify(options as never)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message });
  });

  it('a later sandbox started with the credentials of an earlier one is accepted by the backend configured then', async () => {
    const first: Sandbox = sandbox();
    const backend = await startBackend(createInbound(first.inboundConfig('pivot-snap', 'symmetric')));
    const later = await startSandbox({
      privateKey: otherKeyPair().privateKeyPem,
      notifyCredentials: { 'pivot-snap': first.notifyCredentials('pivot-snap') },
    });
    try {
      const result = await later.notify({
        provider: 'pivot-snap',
        scheme: 'symmetric',
        url: `${backend.url}${NOTIFY_PATH}`,
      });
      expect(result.right).toBe(true);
    } finally {
      await later.close();
      await backend.close();
    }
  });

  it('no secret, private key or issued token in a result, whatever the variant', async () => {
    const results: NotifyResult[] = [];
    const secrets: string[] = [];
    for (const [provider, scheme] of SCHEMES) {
      const name = provider as 'pivot-snap';
      const config = sandbox().inboundConfig(name, scheme) as unknown as Record<string, unknown>;
      const backend = await startBackend(createInbound(config as never));
      try {
        for (const variant of sandbox().notificationVariants(name, scheme))
          results.push(
            await sandbox().notify({ provider: name, scheme, variant, url: `${backend.url}${NOTIFY_PATH}` }),
          );
      } finally {
        await backend.close();
      }
      secrets.push(...backend.issued);
      for (const field of ['clientSecret', 'callbackApiKey'])
        if (typeof config[field] === 'string') secrets.push(config[field]);
      const own = sandbox().notifyCredentials(name) as Record<string, unknown>;
      if (typeof own.privateKeyPem === 'string')
        secrets.push(own.privateKeyPem, own.privateKeyPem.split('\n')[1] ?? '');
    }
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    expect(results.every((r) => r.right)).toBe(true);
    expectNoSecrets(results, secrets);
  });
});
