// A whole application's life in a process of its own: start the stand-in, bootstrap a Nest HTTP
// app with KunciModule, call a route whose service uses an injected client (the first token is
// fetched then), close the app and the stand-in, and print what happened as one JSON line. After
// that nothing may keep the process alive: it must exit on its own.
import 'reflect-metadata';
import { createHash, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { jakartaTimestamp } from '../../../inbound/test/signer';
import { startStandIn } from '../stand-in';
import { httpGet, httpPost, NOTIFIER_KEY, NOTIFY_PATH, startHttpApp } from './payments';

function nestVersion(): string {
  const entry = require.resolve('@nestjs/core');
  return (JSON.parse(readFileSync(join(dirname(entry), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * A notification the provider signed whose body is not JSON (an object cut short): Nest's JSON
 * parser refuses it before any guard runs; the route must still answer as SNAP says.
 */
function notJsonNotification(url: string): Promise<{ status: number; body: unknown }> {
  const body = '{"originalPartnerReferenceNo":"INV-7","amount":';
  const timestamp = jakartaTimestamp(Date.now());
  const hash = createHash('sha256').update(body, 'utf8').digest('hex');
  const signature = sign('sha256', Buffer.from(`POST:${NOTIFY_PATH}:${hash}:${timestamp}`), NOTIFIER_KEY);
  return httpPost(
    `${url}${NOTIFY_PATH}`,
    {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': signature.toString('base64'),
      'x-partner-id': 'nest-app-partner',
      'x-external-id': `${Date.now()}`,
      'channel-id': '95221',
    },
    body,
  );
}

async function main(): Promise<void> {
  const standIn = await startStandIn();
  const started = performance.now();
  const { app, url } = await startHttpApp({ config: standIn.config() });
  const bootstrapped = performance.now();
  const first = await httpGet(`${url}/balance`);
  const firstToken = performance.now();
  const notJson = await notJsonNotification(url);
  await app.close();
  await standIn.close();
  process.stdout.write(
    `${JSON.stringify({
      nest: nestVersion(),
      answer: first,
      notJson,
      bootstrapMs: Math.round(bootstrapped - started),
      bootstrapToFirstTokenMs: Math.round(firstToken - started),
      closedAt: Date.now(),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  process.exitCode = 1;
});
