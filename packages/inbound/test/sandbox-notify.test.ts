import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { testKeyPair } from '#test-kit';
import { SANDBOX_NOTIFICATIONS, startSandbox, type NotifyResult, type Sandbox } from '@kunci/sandbox';
import { notificationOf, sendAnswer, tokenEndpoint, verifyNotification } from '../src/entries/express';
import { createInbound } from '../src';

const NOTIFY_PATH = '/v1.0/debit/notify';
const TOKEN_PATH = '/v1.0/access-token/b2b';

const SNAP_SCHEMES = Object.keys(SANDBOX_NOTIFICATIONS['pivot-snap'] ?? {});

interface App {
  url: string;
  handled: number;
  close(): Promise<void>;
}

/** An Express app on loopback configured from the sandbox's inbound config for one scheme. */
async function startApp(sandbox: Sandbox, scheme: string): Promise<App> {
  const inbound = createInbound(sandbox.inboundConfig('pivot-snap', scheme));
  const app = express();
  const state = { url: '', handled: 0, close: (): Promise<void> => Promise.resolve() };
  app.post(TOKEN_PATH, tokenEndpoint(inbound));
  app.post(NOTIFY_PATH, verifyNotification(inbound), (req, res) => {
    state.handled += 1;
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
  let sandbox: Sandbox | undefined;
  const apps: App[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ privateKey: testKeyPair().privateKeyPem });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await sandbox?.close();
  });

  it('knows both SNAP schemes', () => {
    expect(SNAP_SCHEMES).toEqual(['asymmetric', 'symmetric']);
  });

  it.each(SNAP_SCHEMES)('%s: every variant is answered as the provider expects', async (scheme) => {
    const own = sandbox as Sandbox;
    const app = await startApp(own, scheme);
    apps.push(app);
    const variants = own.notificationVariants('pivot-snap', scheme);
    expect(variants).toEqual(
      expect.arrayContaining(['good', 'tampered', 'stale', 'wrong-key', 'malformed', 'replayed']),
    );
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
      malformed: [400],
    });
    // The good one and the first sending of the replay reached the handler; nothing bad did.
    expect(app.handled).toBe(2);
  });
});
