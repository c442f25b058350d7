import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { notificationOf, sendAnswer, tokenEndpoint, verifyNotification } from '../src/entries/express';
import type { Inbound, InboundNotification } from '../src';
import {
  CLIENT_SECRET,
  DEBIT_NOTIFY,
  debitParts,
  NOW,
  otherKey,
  PARTNER_ID,
  providerKey,
  send,
  snapInbound,
  stallingRequest,
} from './fixtures';
import { jakartaTimestamp, signAsymmetric, signSymmetric, signTokenRequest } from './signer';

interface App {
  url: string;
  handled: InboundNotification[];
  refused: unknown[];
  close(): Promise<void>;
}

/** The Express set-up of docs/inbound.md: a JSON parser for the rest of the app, the raw body for these routes. */
async function startApp(inbound: Inbound, options: { rawParser?: boolean; timeoutMs?: number } = {}): Promise<App> {
  const handled: InboundNotification[] = [];
  const refused: unknown[] = [];
  const app = express();
  const onRefused = (error: unknown): void => {
    refused.push(error);
  };
  app.post('/v1.0/access-token/b2b', tokenEndpoint(inbound, { onRefused }));
  const verify = verifyNotification(inbound, { onRefused, timeoutMs: options.timeoutMs });
  if (options.rawParser === true) app.post(DEBIT_NOTIFY, express.raw({ type: '*/*' }), verify, handler);
  else app.post(DEBIT_NOTIFY, verify, handler);
  app.use(express.json());
  app.post('/other', (req, res) => {
    res.json({ parsed: req.body as unknown });
  });
  function handler(req: express.Request, res: express.Response): void {
    const notification = notificationOf(req);
    handled.push(notification);
    sendAnswer(res, inbound.reply(notification));
  }
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handled,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('@kunci/inbound/express on loopback', () => {
  let app: App;
  afterEach(() => app.close());

  it.each([
    ['reading the stream itself', false],
    ['after express.raw()', true],
  ])('verifies an asymmetric notification %s; the handler acknowledges it', async (_name, rawParser) => {
    app = await startApp(snapInbound(), { rawParser });
    const answer = await send(app.url, signAsymmetric(providerKey(), debitParts({ indent: 2 })));
    expect(answer).toMatchObject({ status: 200, json: { responseCode: '2005600', responseMessage: 'Successful' } });
    expect(app.handled).toHaveLength(1);
    expect(app.handled[0]?.body).toMatchObject({ latestTransactionStatus: '00' });
  });

  it('answers tampered, stale, replayed and wrongly keyed notifications itself; the handler never runs', async () => {
    app = await startApp(snapInbound());
    const valid = signAsymmetric(providerKey(), debitParts());
    const answers = [
      await send(app.url, { ...valid, body: valid.body.replace('00', '01') }),
      await send(app.url, signAsymmetric(providerKey(), debitParts({ timestamp: jakartaTimestamp(NOW - 600_000) }))),
      await send(app.url, signAsymmetric(otherKey(), debitParts())),
      await send(app.url, valid),
      await send(app.url, valid),
      await send(app.url, { ...valid, body: 'not json', headers: { ...valid.headers, 'x-external-id': '1' } }),
    ];
    expect(answers.map((a) => [a.status, a.json.responseCode])).toEqual([
      [401, '4015600'],
      [401, '4015600'],
      [401, '4015600'],
      [200, '2005600'],
      [409, '4095600'],
      [401, '4015600'],
    ]);
    expect(app.handled).toHaveLength(1);
    expect(app.refused.map((e) => (e as { code: string }).code)).toEqual([
      'SIGNATURE_REJECTED',
      'TIMESTAMP_REJECTED',
      'SIGNATURE_REJECTED',
      'REPLAY_REJECTED',
      'SIGNATURE_REJECTED',
    ]);
  });

  it('serves the token route, then verifies a symmetric notification signed with the token it issued', async () => {
    app = await startApp(snapInbound({ scheme: 'symmetric' }));
    const issued = await send(app.url, signTokenRequest(providerKey(), PARTNER_ID, jakartaTimestamp(NOW)));
    expect(issued.json).toMatchObject({ responseCode: '2007300', tokenType: 'Bearer', expiresIn: '900' });
    const answer = await send(app.url, signSymmetric(CLIENT_SECRET, issued.json.accessToken as string, debitParts()));
    expect(answer).toMatchObject({ status: 200, json: { responseCode: '2005600' } });
    const refusedToken = await send(app.url, signTokenRequest(otherKey(), PARTNER_ID, jakartaTimestamp(NOW)));
    expect(refusedToken).toMatchObject({
      status: 401,
      json: { responseCode: '4017300', responseMessage: 'Unauthorized. Invalid Signature' },
    });
    expect(app.refused).toEqual([expect.objectContaining({ code: 'SIGNATURE_REJECTED' })]);
  });

  it('refuses a body over the limit (413) and a sender that stalls (408), and the rest of the app still parses JSON', async () => {
    app = await startApp(snapInbound({ maxBodyBytes: 2048 }), { timeoutMs: 50 });
    const big = await send(app.url, signAsymmetric(providerKey(), debitParts({ body: { pad: 'é'.repeat(2000) } })));
    expect(big).toMatchObject({ status: 413, json: { responseCode: '4130000' } });
    const other = await send(app.url, {
      method: 'POST',
      url: '/other',
      headers: { 'content-type': 'application/json' },
      body: '{"a": 1}',
    });
    expect(other.json).toEqual({ parsed: { a: 1 } });
    const stalled = await stallingRequest(app.url, DEBIT_NOTIFY);
    expect(stalled).toMatch(/^HTTP\/1\.1 408 [^]*connection: close[^]*"responseCode":"4080000"/i);
    expect(app.refused).toEqual([
      expect.objectContaining({ code: 'REQUEST_REJECTED' }),
      expect.objectContaining({ code: 'TIMEOUT' }),
    ]);
    expect(app.handled).toEqual([]);
  });

  it('refuses what a JSON parser mounted before it left (the raw bytes are gone): 400, never a crash', async () => {
    const inbound = snapInbound();
    const parsed = express();
    parsed.use(express.json());
    parsed.post(DEBIT_NOTIFY, verifyNotification(inbound), (_req, res) => {
      res.status(200).end();
    });
    const server: Server = await new Promise((resolve) => {
      const listening = parsed.listen(0, '127.0.0.1', () => resolve(listening));
    });
    app = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      handled: [],
      refused: [],
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
    const answer = await send(app.url, signAsymmetric(providerKey(), debitParts()));
    expect(answer).toMatchObject({ status: 400, json: { responseCode: '4000000', responseMessage: 'Bad Request' } });
  });

  it('notificationOf says how to mount the middleware when it did not run', () => {
    app = { url: '', handled: [], refused: [], close: () => Promise.resolve() };
    expect(() => notificationOf({} as never)).toThrow(/verifyNotification\(inbound\)/);
  });
});
