import 'reflect-metadata';
import { createPrivateKey, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { Controller, Module, Post, Req, Res, UseGuards, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { otherKeyPair, testKeyPair } from '#test-kit';
import { createInbound, type InboundNotification } from '@kunci/inbound';
import { send, testClock, NOW } from '../../inbound/test/fixtures';
import { jakartaTimestamp, signAsymmetric, signSymmetric, signTokenRequest } from '../../inbound/test/signer';
import {
  InboundGuard,
  VerifiedNotification,
  VerifyNotification,
  sendInboundAnswer,
  serveInboundToken,
  verifiedNotificationOf,
} from '../src';

const CLIENT_ID = 'partner-nest-2291';
const CLIENT_SECRET = `notify-${randomBytes(12).toString('hex')}`;
const clock = testClock();
const providerKey = createPrivateKey(testKeyPair().privateKeyPem);
const otherKey = createPrivateKey(otherKeyPair().privateKeyPem);
const common = {
  provider: 'snap',
  clientId: CLIENT_ID,
  publicKey: testKeyPair().publicKeyPem,
  clock: clock.now,
} as const;
const routes = { '/v1.0/debit/notify': { serviceCode: '56' }, '/sym/v1.0/debit/notify': { serviceCode: '56' } };
const asymmetric = createInbound({ ...common, scheme: 'asymmetric', routes });
const symmetric = createInbound({ ...common, scheme: 'symmetric', clientSecret: CLIENT_SECRET, routes });

const received: unknown[] = [];
const refused: unknown[] = [];
const onRefused = (error: unknown): void => void refused.push(error);

@Controller()
class NotificationsController {
  @Post('v1.0/debit/notify')
  @VerifyNotification(asymmetric, { onRefused })
  notify(@VerifiedNotification() notification: InboundNotification): Record<string, unknown> {
    received.push(notification.body);
    return asymmetric.reply(notification).body;
  }

  @Post('sym/v1.0/access-token/b2b')
  token(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    return serveInboundToken(symmetric, req, res, { onRefused });
  }

  @Post('sym/v1.0/debit/notify')
  @UseGuards(new InboundGuard(symmetric, { onRefused }))
  notifySymmetric(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    const notification = verifiedNotificationOf(req);
    received.push(notification.body);
    sendInboundAnswer(res, symmetric.reply(notification));
  }
}

@Module({ controllers: [NotificationsController] })
class AppModule {}

let serial = 0;
function parts(path = '/v1.0/debit/notify'): Parameters<typeof signAsymmetric>[1] {
  serial += 1;
  return {
    path,
    body: {
      originalPartnerReferenceNo: `INV-${serial}`,
      amount: { value: '150000.00', currency: 'IDR' },
      note: 'é ok',
    },
    indent: serial % 2 === 0 ? 2 : 0,
    timestamp: jakartaTimestamp(NOW),
    partnerId: CLIENT_ID,
    externalId: `${9_000_000 + serial}`,
  };
}

async function start(rawBody: boolean): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(AppModule, { rawBody, logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('@kunci/nest InboundGuard in a Nest app on loopback (rawBody: true)', () => {
  let app: INestApplication | undefined;
  let url = '';
  beforeAll(async () => {
    ({ app, url } = await start(true));
  });
  afterAll(() => app?.close());
  afterEach(() => {
    received.length = 0;
    refused.length = 0;
  });

  it('a signed notification passes the guard and is acknowledged; its copy is refused as a replay', async () => {
    const notification = signAsymmetric(providerKey, parts());
    const answer = await send(url, notification);
    expect([answer.status, answer.json.responseCode]).toEqual([200, '2005600']);
    expect(received).toEqual([JSON.parse(notification.body)]);
    const copy = await send(url, notification);
    expect([copy.status, copy.json]).toEqual([409, { responseCode: '4095600', responseMessage: 'Conflict' }]);
    expect(received).toHaveLength(1);
    expect(refused).toEqual([expect.objectContaining({ code: 'REPLAY_REJECTED' })]);
  });

  it('a tampered body, a stale timestamp and a wrong key get the SNAP answer; the handler never runs', async () => {
    const signed = signAsymmetric(providerKey, parts());
    const tampered = { ...signed, body: signed.body.replace('150000.00', '150001.00') };
    const stale = signAsymmetric(providerKey, { ...parts(), timestamp: jakartaTimestamp(NOW - 600_000) });
    const wrongKey = signAsymmetric(otherKey, parts());
    for (const [request, message] of [
      [tampered, 'Unauthorized. Invalid Signature'],
      [stale, 'Unauthorized. Invalid Timestamp'],
      [wrongKey, 'Unauthorized. Invalid Signature'],
    ] as const) {
      const answer = await send(url, request);
      expect([answer.status, answer.json]).toEqual([401, { responseCode: '4015600', responseMessage: message }]);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
    }
    expect(received).toEqual([]);
    expect(refused).toHaveLength(3);
  });

  it('the token route issues a token from a controller, and a notification signed with it passes the guard', async () => {
    const tokenAnswer = await send(url, {
      ...signTokenRequest(providerKey, CLIENT_ID, jakartaTimestamp(NOW)),
      url: '/sym/v1.0/access-token/b2b',
    });
    expect([tokenAnswer.status, tokenAnswer.json.responseCode]).toEqual([200, '2007300']);
    expect(tokenAnswer.headers['cache-control']).toBe('no-store');
    const token = String(tokenAnswer.json.accessToken);
    const notification = signSymmetric(CLIENT_SECRET, token, parts('/sym/v1.0/debit/notify'));
    const answer = await send(url, notification);
    expect([answer.status, answer.json.responseCode]).toEqual([200, '2005600']);
    const forged = signSymmetric(CLIENT_SECRET, randomBytes(32).toString('base64url'), parts('/sym/v1.0/debit/notify'));
    const refusedAnswer = await send(url, forged);
    expect([refusedAnswer.status, refusedAnswer.json.responseCode]).toEqual([401, '4015601']);
    const badToken = await send(url, {
      ...signTokenRequest(otherKey, CLIENT_ID, jakartaTimestamp(NOW)),
      url: '/sym/v1.0/access-token/b2b',
    });
    expect([badToken.status, badToken.json.responseCode]).toEqual([401, '4017300']);
    expect(refused).toHaveLength(2);
    for (const text of [
      JSON.stringify(refused),
      inspect(refused, { depth: 5 }),
      String(refused),
      refusedAnswer.text,
      badToken.text,
    ]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(CLIENT_SECRET);
    }
  });

  it('a body Nest did not parse (not JSON by its content type) is read by the guard itself', async () => {
    const notification = signAsymmetric(providerKey, parts());
    const answer = await send(url, {
      ...notification,
      headers: { ...notification.headers, 'content-type': 'text/plain' },
    });
    expect([answer.status, answer.json.responseCode]).toEqual([200, '2005600']);
  });
});

describe('@kunci/nest InboundGuard without rawBody: true', () => {
  it('refuses with 500 General Error and says why to onRefused (nothing verified from a re-serialized body)', async () => {
    const { app, url } = await start(false);
    try {
      const answer = await send(url, signAsymmetric(providerKey, parts()));
      expect([answer.status, answer.json.responseCode]).toEqual([500, '5000000']);
      expect(String(refused[0])).toMatch(/rawBody: true/);
      expect(received).toEqual([]);
    } finally {
      refused.length = 0;
      await app.close();
    }
  });
});
