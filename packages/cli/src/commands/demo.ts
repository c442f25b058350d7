import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import axios from 'axios';
import { createInbound, readRawBody, type Inbound, type InboundAnswer } from '@kunci/inbound';
import { SANDBOX_NOTIFICATIONS, startSandbox, type Sandbox, type SandboxProvider } from '@kunci/sandbox';
import {
  attachTokenManager,
  BUILT_IN_PROVIDERS,
  createTokenProviders,
  maskToken,
  TokenManager,
  type AccessToken,
  type GetTokenRequest,
  type ProviderDefinition,
  type TokenProvider,
} from '@kunci/sdk';
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

/** One signed API call through `attachTokenManager`, as the sandbox judged it. */
export interface DemoCall {
  provider: string;
  method: string;
  path: string;
  status: number;
  responseCode: string;
  responseMessage: string;
  verdict: string;
  /** The signature header sent, masked. */
  signatureHeader: string;
  signature: string;
  latencyMs: number;
}

/** One notification the sandbox sent, as the demo's backend (`createInbound` on node:http) took it. */
export interface DemoNotification {
  provider: string;
  scheme: string;
  path: string;
  /** The backend's verify passed. */
  verified: boolean;
  status: number;
  /** The acknowledgement's code, in the provider's own format. */
  ackCode: string;
  /** The sandbox judged the answer the right one. */
  right: boolean;
  latencyMs: number;
}

export interface DemoReport {
  rows: DemoRow[];
  calls: DemoCall[];
  notification: DemoNotification;
  singleFlight: { callers: number; upstreamRequests: number; distinctTokens: number; ms: number };
  retry: { provider: string; injected: number; attempts: number; statuses: number[]; token: string };
}

const CALLERS = 1_000;
const CUSTOMER = 'BND-demo-customer-0001';
/** The sandbox's tokens live 900 s: this far ahead they have expired. */
const PAST_EXPIRY_MS = 901_000;

const definitionOf = (name: string): ProviderDefinition | undefined =>
  Object.values(BUILT_IN_PROVIDERS).find((definition) => definition.name === name);

/**
 * The provider's example API call, POSTed through an axios client with the manager attached:
 * signed, sent, judged by the sandbox. Undefined for a provider that signs no API call.
 */
async function signedCall(
  sandbox: Sandbox,
  tokens: TokenManager,
  provider: SandboxProvider,
): Promise<DemoCall | undefined> {
  const definition = definitionOf(provider);
  if (definition?.signing === undefined) return undefined;
  const { example, signatureHeader } = definition.signing.service;
  const { path, body } = example;
  const api = axios.create({ baseURL: sandbox.baseUrl(provider), validateStatus: () => true });
  attachTokenManager(api, tokens);
  const started = performance.now();
  const response = await api.post<Record<string, unknown>>(path, body);
  const latencyMs = performance.now() - started;
  const data = typeof response.data === 'object' && response.data !== null ? response.data : {};
  const code = definition.readCode(data);
  const sent = response.config.headers.get(signatureHeader);
  return {
    provider,
    method: 'POST',
    path,
    status: response.status,
    responseCode: code?.code ?? '',
    responseMessage: code?.message ?? '',
    verdict: [...sandbox.requests].reverse().find((request) => request.provider === provider)?.verdict ?? '',
    signatureHeader,
    signature: maskToken(typeof sent === 'string' ? sent : undefined) ?? '(none)',
    latencyMs,
  };
}

/** A backend's notification route on node:http: every request verified by `inbound` and answered. */
async function serveNotifications(
  inbound: Inbound,
): Promise<{ url: string; verified: number; close(): Promise<void> }> {
  const state = { verified: 0 };
  const server = createServer((req, res) => {
    const send = (answer: InboundAnswer): void => {
      res.writeHead(answer.status, answer.headers);
      res.end(JSON.stringify(answer.body));
    };
    void (async () => {
      try {
        const body = await readRawBody(req);
        const notification = await inbound.verify({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
        });
        state.verified += 1;
        send(inbound.reply(notification));
      } catch (error) {
        send(inbound.reply(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get verified() {
      return state.verified;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The other direction: a backend built with `createInbound` from the sandbox's inbound config
 * receives one signed notification of the first provider that sends them.
 */
async function receiveNotification(sandbox: Sandbox): Promise<DemoNotification> {
  const provider = Object.keys(SANDBOX_NOTIFICATIONS)[0] as SandboxProvider;
  const scheme = Object.keys(SANDBOX_NOTIFICATIONS[provider] ?? {})[0] ?? '';
  const backend = await serveNotifications(createInbound(sandbox.inboundConfig(provider, scheme)));
  try {
    const path = '/notify';
    const started = performance.now();
    const result = await sandbox.notify({ provider, scheme, url: `${backend.url}${path}` });
    const latencyMs = performance.now() - started;
    const answer = result.answers[0];
    return {
      provider,
      scheme,
      path,
      verified: backend.verified === 1,
      status: answer?.status ?? 0,
      ackCode: answer?.code ?? '',
      right: result.right,
      latencyMs,
    };
  } finally {
    await backend.close();
  }
}

/**
 * Starts a sandbox, builds the real providers from its config and gets a token for every flow
 * through a TokenManager; signs one API call per signing provider; then 1,000 concurrent callers,
 * then one injected 503.
 */
export async function runDemo(io: Io): Promise<DemoReport> {
  progress(io, 'starting the sandbox (generating RSA-2048 keys)');
  const sandbox = await startSandbox();
  const managers: TokenManager[] = [];
  try {
    const providers: Record<string, TokenProvider> = createTokenProviders(sandbox.config());
    const names = Object.keys(providers) as SandboxProvider[];
    let shift = 0;
    const manager = (name: string): TokenManager => {
      const created = new TokenManager(providers[name] as TokenProvider, { clock: () => Date.now() + shift });
      managers.push(created);
      return created;
    };
    const rows: DemoRow[] = [];
    const row = async (
      tokens: TokenManager,
      provider: string,
      flow: string,
      request?: GetTokenRequest,
    ): Promise<AccessToken> => {
      const before = sandbox.count();
      const started = performance.now();
      const token = await tokens.getToken(request);
      const latencyMs = performance.now() - started;
      rows.push({
        provider,
        flow,
        token: maskToken(token.accessToken),
        expiresAt: token.expiresAt.toISOString(),
        latencyMs,
        cacheHit: sandbox.count() === before,
      });
      return token;
    };

    progress(io, 'fetching a token for every flow');
    const byName = new Map<SandboxProvider, TokenManager>();
    for (const [index, name] of names.entries()) {
      const tokens = manager(name);
      byName.set(name, tokens);
      await row(tokens, name, 'B2B');
      // The first provider's second getToken() shows the cache.
      if (index === 0) await row(tokens, name, 'B2B');
      if (definitionOf(name)?.flows.includes('b2b2c') === true) {
        await row(tokens, name, 'B2B2C', { authCode: CUSTOMER });
        // Past the customer token's expiry (the manager's clock only): it fetches again with the
        // refresh token the first answer returned, which the sandbox rotates.
        shift = PAST_EXPIRY_MS;
        await row(tokens, name, 'B2B2C refresh', { authCode: CUSTOMER });
        shift = 0;
      }
    }

    progress(io, 'signed API calls');
    const calls: DemoCall[] = [];
    for (const [name, tokens] of byName) {
      const call = await signedCall(sandbox, tokens, name);
      if (call !== undefined) calls.push(call);
    }

    progress(io, `${CALLERS} concurrent callers`);
    const crowdProvider = names[names.length - 1] as SandboxProvider;
    const crowd = manager(crowdProvider);
    const before = sandbox.count({ provider: crowdProvider });
    const started = performance.now();
    const tokens = await Promise.all(Array.from({ length: CALLERS }, () => crowd.getToken()));
    const singleFlight = {
      callers: CALLERS,
      upstreamRequests: sandbox.count({ provider: crowdProvider }) - before,
      distinctTokens: new Set(tokens.map((token) => token.accessToken)).size,
      ms: performance.now() - started,
    };

    progress(io, 'one injected 503');
    // On the first provider that signs nothing: the retry alone, without signatures to follow.
    const plain = names.find((name) => definitionOf(name)?.signing === undefined) ?? crowdProvider;
    sandbox.inject({ provider: plain, kind: 'status', status: 503, times: 1 });
    const retried = new TokenManager(providers[plain] as TokenProvider, { retry: { baseDelayMs: 50 } });
    managers.push(retried);
    let attempts = 0;
    retried.on('fetch', () => {
      attempts += 1;
    });
    const first = sandbox.requests.length;
    const token = await retried.getToken();
    const retry = {
      provider: plain,
      injected: 503,
      attempts,
      statuses: sandbox.requests
        .slice(first)
        .filter((request) => request.provider === plain)
        .map((request) => request.status ?? 0),
      token: maskToken(token.accessToken),
    };

    progress(io, 'one notification to a createInbound backend');
    const notification = await receiveNotification(sandbox);
    return { rows, calls, notification, singleFlight, retry };
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
  const rows = report.rows.map((r) => [
    r.provider,
    r.flow,
    r.token,
    r.expiresAt,
    milliseconds(r.latencyMs),
    r.cacheHit ? 'yes' : 'no',
  ]);
  io.out(`kunci demo: every flow against a local sandbox (no credentials needed)\n\n`);
  io.out(`${table(['provider', 'flow', 'token', 'expires at', 'latency', 'cache hit'], rows)}\n\n`);
  io.out('signed API calls (HMAC-SHA512 with the client secret, verified by the sandbox):\n');
  const width = Math.max(...report.calls.map((c) => c.provider.length));
  for (const c of report.calls) {
    io.out(
      `${c.provider.padEnd(width)}  ${c.method} ${c.path} -> ${c.status} ${c.responseCode} ${c.responseMessage} (${c.verdict}), ${c.signatureHeader} ${c.signature}, ${milliseconds(c.latencyMs)}\n`,
    );
  }
  io.out('\n');
  const n = report.notification;
  io.out(`a notification to a backend (createInbound on node:http, the sandbox playing ${n.provider}):\n`);
  io.out(
    `${n.provider}  ${n.scheme} POST ${n.path} -> ${n.status} ${n.ackCode}, verified: ${n.verified ? 'yes' : 'no'}, ${n.right ? 'the right answer' : 'NOT the right answer'}, ${milliseconds(n.latencyMs)}\n\n`,
  );
  const { singleFlight: s, retry: r } = report;
  io.out(
    `single flight: ${s.callers} concurrent getToken() callers -> ${s.upstreamRequests} upstream request, ${s.distinctTokens} token (${milliseconds(s.ms)})\n`,
  );
  io.out(
    `retry: injected ${r.injected} on ${r.provider} -> ${r.attempts} attempts (HTTP ${r.statuses.join(', then ')}), token ${r.token}\n`,
  );
}
