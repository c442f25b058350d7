// `npm run soak [-- --seconds N] [-- --write-docs]`: a TokenManager under steady load against a sandbox that fails
// a quarter of the token requests, for N seconds (default 60, at most 120). Prints the counts,
// writes them under bench/out/ (and into docs/performance.md with --write-docs), and exits 1 if a caller failed while a valid token existed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { TokenManager } from '@kunci/core';
import { createPivotSnapProvider } from '@kunci/pivot-snap';
import { environment, withResults } from './lib/report.mjs';

// Through require: the sandbox's CommonJS build is all this needs.
const { startSandbox } = createRequire(import.meta.url)('@kunci/sandbox');

const LIFETIME_SECONDS = 20;
const CALLS_PER_SECOND = 250;
const TICK_MS = 20;
const HANG_RATE = 0.05;
const ERROR_RATE = 0.2;
const TIMEOUT_MS = 2_000;

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1];
}
const seconds = Number(option('--seconds', '60'));
if (!Number.isFinite(seconds) || seconds < 5 || seconds > 120) {
  process.stderr.write('soak: --seconds takes 5 to 120\n');
  process.exit(2);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const sandbox = await startSandbox({ tokenLifetimeSeconds: LIFETIME_SECONDS });
// One fault answers a request; a hang is drawn first, so the 5xx rate is of the requests left.
sandbox.inject({ provider: 'pivot-snap', kind: 'hang', rate: HANG_RATE });
sandbox.inject({ provider: 'pivot-snap', kind: 'status', status: 503, rate: ERROR_RATE / (1 - HANG_RATE) });
const config = sandbox.config().providers['pivot-snap'];
const provider = createPivotSnapProvider({ ...config, timeoutMs: TIMEOUT_MS });
const manager = new TokenManager(provider);
const refreshFailures = { count: 0 };
manager.on('refresh', (event) => {
  if (event.phase === 'failed') refreshFailures.count++;
});

const latencies = [];
let calls = 0;
let failuresWithValidToken = 0;
let failuresWithout = 0;
let latest;
const tokens = new Set();
const errors = new Map();
const pending = new Set();

async function call() {
  calls++;
  const started = performance.now();
  try {
    const token = await manager.getToken();
    latencies.push(performance.now() - started);
    if (!tokens.has(token.accessToken)) tokens.add(token.accessToken);
    if (latest === undefined || token.expiresAt > latest.expiresAt) latest = token;
  } catch (error) {
    latencies.push(performance.now() - started);
    const valid = latest !== undefined && latest.expiresAt.getTime() > Date.now();
    if (valid) failuresWithValidToken++;
    else failuresWithout++;
    const key = `${error.code ?? error.name}${valid ? ' (a valid token existed)' : ''}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
}

process.stderr.write(
  `soak: ${seconds} s, ${CALLS_PER_SECOND} getToken() a second, ${LIFETIME_SECONDS} s tokens, ${HANG_RATE * 100}% hangs and ${ERROR_RATE * 100}% 503s\n`,
);
const started = performance.now();
const perTick = (CALLS_PER_SECOND * TICK_MS) / 1000;
await new Promise((resolve) => {
  let ticks = 0;
  const timer = setInterval(() => {
    // On schedule whatever the timer's drift: as many calls as the elapsed time asks for.
    const due = Math.floor(((performance.now() - started) / 1000) * CALLS_PER_SECOND) - calls;
    for (let i = 0; i < Math.max(due, perTick); i++) {
      const promise = call().finally(() => pending.delete(promise));
      pending.add(promise);
    }
    if (++ticks % Math.round(10_000 / TICK_MS) === 0)
      process.stderr.write(
        `soak: ${Math.round((performance.now() - started) / 1000)} s, ${calls} calls, ${tokens.size} tokens, ${sandbox.count({ provider: 'pivot-snap' })} requests\n`,
      );
    if (performance.now() - started >= seconds * 1000) {
      clearInterval(timer);
      resolve();
    }
  }, TICK_MS);
});
await Promise.all(pending);
const elapsed = (performance.now() - started) / 1000;
await manager.close();
await sandbox.close();

latencies.sort((a, b) => a - b);
const result = {
  seconds: Number(elapsed.toFixed(1)),
  calls,
  callsPerSecond: Math.round(calls / elapsed),
  failuresWithValidToken,
  failuresWithoutToken: failuresWithout,
  errors: Object.fromEntries(errors),
  upstreamRequests: sandbox.count({ provider: 'pivot-snap' }),
  hung: sandbox.requests.filter((r) => r.fault === 'hang').length,
  answered503: sandbox.requests.filter((r) => r.fault === 'status').length,
  tokensServed: tokens.size,
  refreshFailures: refreshFailures.count,
  p50Ms: percentile(latencies, 50),
  p99Ms: percentile(latencies, 99),
  maxMs: latencies[latencies.length - 1],
};
const env = environment(`npm run soak -- --seconds ${seconds}`);
const ms = (value) => value.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const missed = result.failuresWithValidToken > 0 || result.callsPerSecond < 200 || result.tokensServed < 2;
const table = [
  `\`${env.command}\` on ${env.date}: Node ${env.node}, ${env.nproc} CPUs (${env.cpu})`,
  `One TokenManager over pivot-snap against \`startSandbox()\` with ${LIFETIME_SECONDS} s tokens; faults on every token request: ${HANG_RATE * 100}% hang (the request gives up after ${TIMEOUT_MS.toLocaleString('en-US')} ms) and ${ERROR_RATE * 100}% 503.`,
  '',
  '| measure | value | target |',
  '|---|---:|---|',
  `| \`getToken()\` calls (${result.seconds} s) | ${result.calls.toLocaleString('en-US')} (${result.callsPerSecond} a second) | ≥ 200 a second: ${result.callsPerSecond >= 200 ? 'met' : '**missed**'} |`,
  `| failures while a valid token existed | ${result.failuresWithValidToken} | 0: ${result.failuresWithValidToken === 0 ? 'met' : '**missed**'} |`,
  `| failures before the first token | ${result.failuresWithoutToken} | — |`,
  `| upstream token requests: all / hung / answered 503 | ${result.upstreamRequests} / ${result.hung} / ${result.answered503} | — |`,
  `| distinct tokens served (first fetch and refreshes) | ${result.tokensServed} | ≥ 2 |`,
  `| background refreshes that failed (events) | ${result.refreshFailures} | — |`,
  `| \`getToken()\` latency p50 / p99 / max, ms | ${ms(result.p50Ms)} / ${ms(result.p99Ms)} / ${ms(result.maxMs)} | — |`,
].join('\n');
process.stdout.write(`\n${table}\n\n`);
if (Object.keys(result.errors).length > 0) process.stdout.write(`errors: ${JSON.stringify(result.errors)}\n`);
const out = fileURLToPath(new URL('./out/', import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(`${out}soak.md`, `${table}\n`);
writeFileSync(`${out}soak.json`, `${JSON.stringify({ environment: env, ...result }, null, 2)}\n`);
process.stderr.write(`soak: written to ${out}soak.md\n`);
if (process.argv.includes('--write-docs')) {
  const doc = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
  writeFileSync(doc, withResults(readFileSync(doc, 'utf8'), table, 'soak'));
  process.stderr.write(`soak: the table is in ${doc}\n`);
}
process.exitCode = missed ? 1 : 0;
