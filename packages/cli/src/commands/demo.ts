import { performance } from 'node:perf_hooks';
import { startSandbox } from '@kunci/sandbox';
import { createTokenProviders, maskToken, TokenManager, type AccessToken, type GetTokenRequest } from '@kunci/sdk';
import { json, milliseconds, table } from '../format';
import { progress, type Io } from '../io';

export interface DemoRow {
  provider: string;
  flow: string;
  token: string;
  expiresAt: string;
  latencyMs: number;
  cacheHit: boolean;
}

export interface DemoReport {
  rows: DemoRow[];
  singleFlight: { callers: number; upstreamRequests: number; distinctTokens: number; ms: number };
  retry: { provider: string; injected: number; attempts: number; statuses: number[]; token: string };
}

const CALLERS = 1_000;
const CUSTOMER = 'BND-demo-customer-0001';
/** The sandbox's tokens live 900 s: this far ahead they have expired. */
const PAST_EXPIRY_MS = 901_000;

/**
 * Starts a sandbox, builds the real providers from its config and gets a token for every flow
 * through a TokenManager; then 1,000 concurrent callers, then one injected 503.
 */
export async function runDemo(io: Io): Promise<DemoReport> {
  progress(io, 'starting the sandbox (generating RSA-2048 keys)');
  const sandbox = await startSandbox();
  const managers: TokenManager[] = [];
  try {
    const providers = createTokenProviders(sandbox.config());
    let shift = 0;
    const manager = (name: keyof typeof providers): TokenManager => {
      const created = new TokenManager(providers[name], { clock: () => Date.now() + shift });
      managers.push(created);
      return created;
    };
    const rows: DemoRow[] = [];
    const row = async (tokens: TokenManager, provider: string, flow: string, request?: GetTokenRequest): Promise<AccessToken> => {
      const before = sandbox.count();
      const started = performance.now();
      const token = await tokens.getToken(request);
      const latencyMs = performance.now() - started;
      rows.push({ provider, flow, token: maskToken(token.accessToken) ?? '…', expiresAt: token.expiresAt.toISOString(), latencyMs, cacheHit: sandbox.count() === before });
      return token;
    };

    progress(io, 'fetching a token for every flow');
    const snap = manager('pivot-snap');
    await row(snap, 'pivot-snap', 'B2B');
    await row(snap, 'pivot-snap', 'B2B');
    await row(snap, 'pivot-snap', 'B2B2C', { authCode: CUSTOMER });
    // Past the customer token's expiry (the manager's clock only): it fetches again with the
    // refresh token the first answer returned, which the sandbox rotates.
    shift = PAST_EXPIRY_MS;
    await row(snap, 'pivot-snap', 'B2B2C refresh', { authCode: CUSTOMER });
    shift = 0;
    await row(manager('pivot-legacy'), 'pivot-legacy', 'client credentials');
    await row(manager('klikoo'), 'klikoo', 'B2B');

    progress(io, `${CALLERS} concurrent callers`);
    const crowd = manager('klikoo');
    const before = sandbox.count({ provider: 'klikoo' });
    const started = performance.now();
    const tokens = await Promise.all(Array.from({ length: CALLERS }, () => crowd.getToken()));
    const singleFlight = {
      callers: CALLERS,
      upstreamRequests: sandbox.count({ provider: 'klikoo' }) - before,
      distinctTokens: new Set(tokens.map((token) => token.accessToken)).size,
      ms: performance.now() - started,
    };

    progress(io, 'one injected 503');
    sandbox.inject({ provider: 'pivot-legacy', kind: 'status', status: 503, times: 1 });
    const retried = new TokenManager(providers['pivot-legacy'], { retry: { baseDelayMs: 50 } });
    managers.push(retried);
    let attempts = 0;
    retried.on('fetch', () => {
      attempts += 1;
    });
    const first = sandbox.requests.length;
    const token = await retried.getToken();
    const retry = {
      provider: 'pivot-legacy',
      injected: 503,
      attempts,
      statuses: sandbox.requests.slice(first).map((request) => request.status ?? 0),
      token: maskToken(token.accessToken) ?? '…',
    };
    return { rows, singleFlight, retry };
  } finally {
    for (const created of managers) await created.close();
    await sandbox.close();
  }
}

export function printDemo(io: Io, report: DemoReport, asJson: boolean): void {
  if (asJson) {
    io.out(json(report));
    return;
  }
  const rows = report.rows.map((r) => [r.provider, r.flow, r.token, r.expiresAt, milliseconds(r.latencyMs), r.cacheHit ? 'yes' : 'no']);
  io.out(`kunci demo: every flow against a local sandbox (no credentials needed)\n\n`);
  io.out(`${table(['provider', 'flow', 'token', 'expires at', 'latency', 'cache hit'], rows)}\n\n`);
  const { singleFlight: s, retry: r } = report;
  io.out(`single flight: ${s.callers} concurrent getToken() callers -> ${s.upstreamRequests} upstream request, ${s.distinctTokens} token (${milliseconds(s.ms)})\n`);
  io.out(`retry: injected ${r.injected} on ${r.provider} -> ${r.attempts} attempts (HTTP ${r.statuses.join(', then ')}), token ${r.token}\n`);
}
