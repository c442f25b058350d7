import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Sandbox } from '@kunci/sandbox';
import { notificationOf, sendAnswer, tokenEndpoint, verifyNotification } from '../src/entries/express';
import { createInbound } from '../src';
import { everyVariantAnswered, NOTIFY_PATH, TOKEN_PATH, type NotifiedApp } from './sandbox-variants';

/** An Express app on loopback configured from the sandbox's inbound config for one scheme. */
async function startApp(sandbox: Sandbox, scheme: string): Promise<NotifiedApp> {
  const inbound = createInbound(sandbox.inboundConfig('pivot-snap', scheme));
  const app = express();
  let handled = 0;
  const state: NotifiedApp = { url: '', handled: () => handled, close: () => Promise.resolve() };
  app.post(TOKEN_PATH, tokenEndpoint(inbound));
  app.post(NOTIFY_PATH, verifyNotification(inbound), (req, res) => {
    handled += 1;
    sendAnswer(res, inbound.reply(notificationOf(req)));
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

describe('@kunci/inbound/express verifies what sandbox.notify sends', () => {
  everyVariantAnswered(startApp);
});
