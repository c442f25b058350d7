import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Module, Post, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createInbound, type InboundNotification } from '@kunci/inbound';
import type { Sandbox } from '@kunci/sandbox';
import { everyVariantAnswered, NOTIFY_PATH, TOKEN_PATH, type NotifiedApp } from '../../inbound/test/sandbox-variants';
import { VerifiedNotification, VerifyNotification, serveInboundToken } from '../src';

/**
 * A Nest 11 app (rawBody: true) whose guard and token route use the sandbox's inbound config for
 * one scheme. Nest's JSON parser refuses a body that is not JSON before any guard runs; the route
 * still answers as SNAP says.
 */
async function startApp(sandbox: Sandbox, scheme: string): Promise<NotifiedApp> {
  const inbound = createInbound(sandbox.inboundConfig('pivot-snap', scheme));
  let handled = 0;

  @Controller()
  class NotificationsController {
    @Post(TOKEN_PATH)
    token(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
      return serveInboundToken(inbound, req, res);
    }

    @Post(NOTIFY_PATH)
    @VerifyNotification(inbound)
    notify(@VerifiedNotification() notification: InboundNotification): Record<string, unknown> {
      handled += 1;
      return inbound.reply(notification).body;
    }
  }

  @Module({ controllers: [NotificationsController] })
  class AppModule {}

  const app = await NestFactory.create(AppModule, { rawBody: true, logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  return { url: await app.getUrl(), handled: () => handled, close: () => app.close() };
}

describe('@kunci/nest InboundGuard verifies what sandbox.notify sends (Nest app, rawBody: true)', () => {
  everyVariantAnswered(startApp);
});
