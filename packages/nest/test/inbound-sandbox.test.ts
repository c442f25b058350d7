import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Module, Post, Req, Res, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { testKeyPair } from '#test-kit';
import { createInbound, type InboundNotification } from '@kunci/inbound';
import { SANDBOX_NOTIFICATIONS, startSandbox, type NotifyResult, type Sandbox } from '@kunci/sandbox';
import { VerifiedNotification, VerifyNotification, serveInboundToken } from '../src';

const NOTIFY_PATH = '/v1.0/debit/notify';
const SNAP_SCHEMES = Object.keys(SANDBOX_NOTIFICATIONS['pivot-snap'] ?? {});

interface App {
  url: string;
  handled: unknown[];
  app: INestApplication;
}

/** A Nest 11 app (rawBody: true) whose guard and token route use the sandbox's inbound config for one scheme. */
async function startApp(sandbox: Sandbox, scheme: string): Promise<App> {
  const inbound = createInbound(sandbox.inboundConfig('pivot-snap', scheme));
  const handled: unknown[] = [];

  @Controller()
  class NotificationsController {
    @Post('v1.0/access-token/b2b')
    token(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
      return serveInboundToken(inbound, req, res);
    }

    @Post('v1.0/debit/notify')
    @VerifyNotification(inbound)
    notify(@VerifiedNotification() notification: InboundNotification): Record<string, unknown> {
      handled.push(notification.body);
      return inbound.reply(notification).body;
    }
  }

  @Module({ controllers: [NotificationsController] })
  class AppModule {}

  const app = await NestFactory.create(AppModule, { rawBody: true, logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  return { app, handled, url: await app.getUrl() };
}

describe('@kunci/nest InboundGuard verifies what sandbox.notify sends (Nest app, rawBody: true)', () => {
  let sandbox: Sandbox | undefined;
  const apps: App[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ privateKey: testKeyPair().privateKeyPem });
  });
  afterAll(async () => {
    await Promise.all(apps.map(({ app }) => app.close()));
    await sandbox?.close();
  });

  it('knows both SNAP schemes', () => {
    expect(SNAP_SCHEMES).toEqual(['asymmetric', 'symmetric']);
  });

  it.each(SNAP_SCHEMES)('%s: every variant with a JSON body is answered as the provider expects', async (scheme) => {
    const own = sandbox as Sandbox;
    const app = await startApp(own, scheme);
    apps.push(app);
    const variants = own.notificationVariants('pivot-snap', scheme).filter((v) => v !== 'malformed');
    expect(variants).toEqual(expect.arrayContaining(['good', 'tampered', 'stale', 'wrong-key', 'replayed']));
    const results: NotifyResult[] = [];
    for (const variant of variants)
      results.push(await own.notify({ provider: 'pivot-snap', scheme, variant, url: `${app.url}${NOTIFY_PATH}` }));
    expect(results.filter((r) => !r.right)).toEqual([]);
    const statuses = Object.fromEntries(results.map((r) => [r.variant, r.answers.map((a) => a.status)]));
    expect(statuses).toEqual({
      good: [200],
      tampered: [401],
      stale: [401],
      'wrong-key': [401],
      replayed: [200, 409],
    });
    // The good one and the first sending of the replay reached the handler; nothing bad did.
    expect(app.handled).toHaveLength(2);
  });

  // Nest's JSON parser refuses the body before any guard runs; the route's answer is still the SNAP one.
  it.each(SNAP_SCHEMES)('%s: a body that is not JSON gets the SNAP 400xx00 answer', async (scheme) => {
    const own = sandbox as Sandbox;
    const app = await startApp(own, scheme);
    apps.push(app);
    const result = await own.notify({
      provider: 'pivot-snap',
      scheme,
      variant: 'malformed',
      url: `${app.url}${NOTIFY_PATH}`,
    });
    expect(result.problem).toBeUndefined();
    expect(result.right).toBe(true);
  });
});
