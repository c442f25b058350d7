import 'reflect-metadata';
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import {
  BadRequestException,
  Body,
  Catch,
  Controller,
  Module,
  Post,
  Req,
  Res,
  UseGuards,
  type ArgumentsHost,
  type INestApplication,
} from '@nestjs/common';
import { BaseExceptionFilter, NestFactory } from '@nestjs/core';
import { otherKeyPair, testKeyPair } from '#test-kit';
import {
  createInbound,
  DEFAULT_MAX_BODY_BYTES,
  readRawBody,
  type Inbound,
  type InboundNotification,
} from '@kunci/inbound';
import { send, testClock, NOW, type HttpAnswer } from '../../inbound/test/fixtures';
import {
  jakartaTimestamp,
  signAsymmetric,
  signSymmetric,
  signTokenRequest,
  type SignedNotification,
} from '../../inbound/test/signer';
import {
  InboundGuard,
  InboundTokenRoute,
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
const routes = {
  '/v1.0/debit/notify': { serviceCode: '56' },
  '/sym/v1.0/debit/notify': { serviceCode: '56' },
  '/batch/v1.0/transfer/notify': { serviceCode: '43' },
};
const asymmetric = createInbound({ ...common, scheme: 'asymmetric', routes });
const symmetric = createInbound({ ...common, scheme: 'symmetric', clientSecret: CLIENT_SECRET, routes });

const received: unknown[] = [];
const refused: unknown[] = [];
const onRefused = (error: unknown): void => void refused.push(error);
/** What the application's own exception filter saw: Nest's pipeline, which a parser failure elsewhere still reaches. */
const filtered: unknown[] = [];

@Catch(BadRequestException)
class RecordingFilter extends BaseExceptionFilter {
  override catch(exception: BadRequestException, host: ArgumentsHost): void {
    filtered.push(exception);
    super.catch(exception, host);
  }
}

@Controller()
class NotificationsController {
  @Post('v1.0/debit/notify')
  @VerifyNotification(asymmetric, { onRefused })
  notify(@VerifiedNotification() notification: InboundNotification): Record<string, unknown> {
    received.push(notification.body);
    return asymmetric.reply(notification).body;
  }

  @Post('sym/v1.0/access-token/b2b')
  @InboundTokenRoute(symmetric, { onRefused })
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

  @Post('orders')
  order(@Body() body: unknown): unknown {
    return body;
  }
}

/** A controller whose every route is a notification route. */
@Controller('batch')
@VerifyNotification(asymmetric, { onRefused })
class BatchNotificationsController {
  @Post('v1.0/transfer/notify')
  transfer(@VerifiedNotification() notification: InboundNotification): Record<string, unknown> {
    received.push(notification.body);
    return asymmetric.reply(notification).body;
  }
}

@Module({ controllers: [NotificationsController, BatchNotificationsController] })
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

/**
 * A notification signed over a body that is not JSON: an object cut short, without whitespace (its
 * minified form, which is hashed, is itself).
 */
function signedNotJson(path = '/v1.0/debit/notify'): SignedNotification {
  const signed = signAsymmetric(providerKey, parts(path));
  const body = `{"originalPartnerReferenceNo":"INV-${serial}","amount":`;
  const hash = createHash('sha256').update(body, 'utf8').digest('hex');
  const timestamp = signed.headers['x-timestamp'] ?? '';
  const signature = sign('sha256', Buffer.from(`POST:${path}:${hash}:${timestamp}`), providerKey).toString('base64');
  return { ...signed, headers: { ...signed.headers, 'x-signature': signature }, body };
}

/** What @kunci/inbound answers this request on its other paths (Express adapter, node:http): the inbound's own checks on the bytes. */
async function inboundAnswer(inbound: Inbound, request: SignedNotification): Promise<[number, unknown, unknown]> {
  const answer = await inbound.verify({ ...request, body: Buffer.from(request.body) }).then(
    () => {
      throw new Error('the inbound accepted the request');
    },
    (error: unknown) => inbound.reply(error),
  );
  return [answer.status, answer.body, answer.headers];
}

function answered(answer: HttpAnswer): [number, unknown, unknown] {
  return [
    answer.status,
    answer.json,
    { 'content-type': answer.headers['content-type'], 'cache-control': answer.headers['cache-control'] },
  ];
}

async function start(rawBody: boolean): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(AppModule, { rawBody, logger: false, abortOnError: false });
  app.useGlobalFilters(new RecordingFilter(app.getHttpAdapter()));
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

/**
 * The app of the describe block that calls it, started before its tests and closed after them (what
 * the tests record emptied after each): a function that sends a request to it.
 */
function serving(rawBody: boolean): (request: Parameters<typeof send>[1]) => Promise<HttpAnswer> {
  let app: INestApplication | undefined;
  let url = '';
  beforeAll(async () => {
    ({ app, url } = await start(rawBody));
  });
  afterAll(() => app?.close());
  afterEach(() => {
    received.length = 0;
    refused.length = 0;
    filtered.length = 0;
  });
  return (request) => send(url, request);
}

describe('@kunci/nest InboundGuard in a Nest app on loopback (rawBody: true)', () => {
  const post = serving(true);

  it('a signed notification passes the guard and is acknowledged; its copy is refused as a replay', async () => {
    const notification = signAsymmetric(providerKey, parts());
    const answer = await post(notification);
    expect([answer.status, answer.json.responseCode]).toEqual([200, '2005600']);
    expect(received).toEqual([JSON.parse(notification.body)]);
    const copy = await post(notification);
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
      const answer = await post(request);
      expect([answer.status, answer.json]).toEqual([401, { responseCode: '4015600', responseMessage: message }]);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
    }
    expect(received).toEqual([]);
    expect(refused).toHaveLength(3);
  });

  it('the token route issues a token from a controller, and a notification signed with it passes the guard', async () => {
    const tokenAnswer = await post({
      ...signTokenRequest(providerKey, CLIENT_ID, jakartaTimestamp(NOW)),
      url: '/sym/v1.0/access-token/b2b',
    });
    expect([tokenAnswer.status, tokenAnswer.json.responseCode]).toEqual([200, '2007300']);
    expect(tokenAnswer.headers['cache-control']).toBe('no-store');
    const token = String(tokenAnswer.json.accessToken);
    const notification = signSymmetric(CLIENT_SECRET, token, parts('/sym/v1.0/debit/notify'));
    const answer = await post(notification);
    expect([answer.status, answer.json.responseCode]).toEqual([200, '2005600']);
    const forged = signSymmetric(CLIENT_SECRET, randomBytes(32).toString('base64url'), parts('/sym/v1.0/debit/notify'));
    const refusedAnswer = await post(forged);
    expect([refusedAnswer.status, refusedAnswer.json.responseCode]).toEqual([401, '4015601']);
    const badToken = await post({
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
    const answer = await post({
      ...notification,
      headers: { ...notification.headers, 'content-type': 'text/plain' },
    });
    expect([answer.status, answer.json.responseCode]).toEqual([200, '2005600']);
  });

  describe("a body Nest's JSON parser refuses (it runs before any guard)", () => {
    it("on a notification route: the route's SNAP answer, as @kunci/inbound gives it; nothing of the body in it", async () => {
      const request = signedNotJson();
      const answer = await post(request);
      expect(answered(answer)).toEqual(await inboundAnswer(asymmetric, request));
      expect([answer.status, answer.json]).toEqual([400, { responseCode: '4005600', responseMessage: 'Bad Request' }]);
      expect(answer.text).not.toContain('INV-');
      expect(received).toEqual([]);
      expect(refused).toEqual([expect.objectContaining({ code: 'REQUEST_REJECTED', status: 400 })]);
      expect(filtered).toEqual([]);
    });

    it('the checks run in their order, as on the other paths: a body that is not JSON and not the one signed is a signature refusal', async () => {
      const request = { ...signedNotJson(), body: '{"originalPartnerReferenceNo":"INV-0","amount":1' };
      const answer = await post(request);
      expect(answered(answer)).toEqual(await inboundAnswer(asymmetric, request));
      expect([answer.status, answer.json]).toEqual([
        401,
        { responseCode: '4015600', responseMessage: 'Unauthorized. Invalid Signature' },
      ]);
      expect(refused).toEqual([expect.objectContaining({ code: 'SIGNATURE_REJECTED' })]);
    });

    it('on a controller decorated as a whole: each route answers with its own service code', async () => {
      const request = signedNotJson('/batch/v1.0/transfer/notify');
      const answer = await post(request);
      expect(answered(answer)).toEqual(await inboundAnswer(asymmetric, request));
      expect([answer.status, answer.json.responseCode]).toEqual([400, '4004300']);
      const good = await post(signAsymmetric(providerKey, parts('/batch/v1.0/transfer/notify')));
      expect([good.status, good.json.responseCode]).toEqual([200, '2004300']);
      expect(received).toHaveLength(1);
    });

    it('on the token route (@InboundTokenRoute): the answer serveInboundToken gives, and no token', async () => {
      const request = {
        ...signTokenRequest(providerKey, CLIENT_ID, jakartaTimestamp(NOW)),
        url: '/sym/v1.0/access-token/b2b',
        body: '{"grantType":"client_credentials"',
      };
      const answer = await post(request);
      const expected = await symmetric.issueToken({ ...request, body: Buffer.from(request.body) });
      expect([answer.status, answer.json]).toEqual([expected.status, expected.body]);
      expect([answer.status, answer.json]).toEqual([400, { responseCode: '4007300', responseMessage: 'Bad Request' }]);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(refused).toEqual([expect.objectContaining({ code: 'REQUEST_REJECTED' })]);
      expect(filtered).toEqual([]);
    });

    it("over the parser's limit: 413 Request Entity Too Large, as the Express adapter answers a body over its own", async () => {
      const body = `{"note":"${'x'.repeat(DEFAULT_MAX_BODY_BYTES)}"}`;
      const declared = Object.assign(Readable.from([]), { headers: { 'content-length': String(body.length) } });
      const overLimit = await readRawBody(declared as unknown as IncomingMessage).then(
        () => undefined,
        (error: unknown) => error,
      );
      for (const [path, inbound] of [
        ['/v1.0/debit/notify', asymmetric],
        ['/sym/v1.0/access-token/b2b', symmetric],
      ] as const) {
        const answer = await post({ ...signAsymmetric(providerKey, parts()), url: path, body });
        const expected = inbound.reply(overLimit);
        expect(answered(answer)).toEqual([expected.status, expected.body, expected.headers]);
        expect([answer.status, answer.json]).toEqual([
          413,
          { responseCode: '4130000', responseMessage: 'Request Entity Too Large' },
        ]);
      }
      expect(refused).toEqual([
        expect.objectContaining({ code: 'REQUEST_REJECTED', status: 413 }),
        expect.objectContaining({ code: 'REQUEST_REJECTED', status: 413 }),
      ]);
      expect(received).toEqual([]);
    });

    it("on a route kunci does not guard: Nest's own answer, through the application's exception filters", async () => {
      const notJson = await post({
        method: 'POST',
        url: '/orders',
        headers: { 'content-type': 'application/json' },
        body: '{"orderId":',
      });
      expect([notJson.status, notJson.json]).toEqual([
        400,
        { statusCode: 400, error: 'Bad Request', message: notJson.json.message },
      ]);
      expect(typeof notJson.json.message).toBe('string');
      expect(filtered).toEqual([expect.any(BadRequestException)]);
      const tooLarge = await post({
        method: 'POST',
        url: '/orders',
        headers: { 'content-type': 'application/json' },
        body: `{"note":"${'x'.repeat(DEFAULT_MAX_BODY_BYTES)}"}`,
      });
      expect(tooLarge.json).toEqual(expect.objectContaining({ statusCode: tooLarge.status }));
      expect(tooLarge.json.responseCode).toBeUndefined();
      const parsed = await post({
        method: 'POST',
        url: '/orders',
        headers: { 'content-type': 'application/json' },
        body: '{"orderId":"A-1"}',
      });
      expect([parsed.status, parsed.json]).toEqual([201, { orderId: 'A-1' }]);
      expect(refused).toEqual([]);
    });

    it("a notification kunci accepts in a charset the parser refuses: Nest answers (no handler ran), and the provider's next sending is no replay", async () => {
      const notification = signAsymmetric(providerKey, parts());
      const latin1 = {
        ...notification,
        headers: { ...notification.headers, 'content-type': 'application/json; charset=latin1' },
      };
      const answer = await post(latin1);
      const nest = await post({ ...latin1, url: '/orders' });
      expect(nest.json.responseCode).toBeUndefined();
      expect([answer.status, answer.json]).toEqual([nest.status, nest.json]);
      expect(received).toEqual([]);
      const tampered = { ...latin1, body: latin1.body.replace('150000.00', '150001.00') };
      expect(answered(await post(tampered))).toEqual(await inboundAnswer(asymmetric, tampered));
      const again = await post(notification);
      expect([again.status, again.json.responseCode]).toEqual([200, '2005600']);
      expect(received).toEqual([JSON.parse(notification.body)]);
    });
  });
});

describe('@kunci/nest InboundGuard without rawBody: true', () => {
  const post = serving(false);

  it('refuses with 500 General Error and says why to onRefused (nothing verified from a re-serialized body)', async () => {
    const answer = await post(signAsymmetric(providerKey, parts()));
    expect([answer.status, answer.json.responseCode]).toEqual([500, '5000000']);
    expect(String(refused[0])).toMatch(/rawBody: true/);
    expect(received).toEqual([]);
  });

  it("a body Nest's JSON parser refuses, its bytes not kept: 400 Bad Request, and onRefused says a parser read it", async () => {
    const answer = await post(signedNotJson());
    expect([answer.status, answer.json]).toEqual([400, { responseCode: '4000000', responseMessage: 'Bad Request' }]);
    expect(refused).toEqual([expect.objectContaining({ code: 'REQUEST_REJECTED' })]);
    expect(String(refused[0])).toMatch(/body parser ran before/);
    expect(received).toEqual([]);
  });
});
