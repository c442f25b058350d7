// A whole application's life in a process of its own: start the stand-in, bootstrap a Nest HTTP
// app with KunciModule, call a route whose service uses an injected client (the first token is
// fetched then), close the app and the stand-in, and print what happened as one JSON line. After
// that nothing may keep the process alive: it must exit on its own.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startStandIn } from '../stand-in';
import { httpGet, startHttpApp } from './payments';

function nestVersion(): string {
  const entry = require.resolve('@nestjs/core');
  return (JSON.parse(readFileSync(join(dirname(entry), 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  const standIn = await startStandIn();
  const started = performance.now();
  const { app, url } = await startHttpApp({ config: standIn.config() });
  const bootstrapped = performance.now();
  const first = await httpGet(`${url}/balance`);
  const firstToken = performance.now();
  await app.close();
  await standIn.close();
  process.stdout.write(
    `${JSON.stringify({
      nest: nestVersion(),
      answer: first,
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
