import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import axios, { type AxiosResponse } from 'axios';
import { configError, parseJsonText } from '@kunci/core/provider';
import { createTokenProvider, type GetTokenRequest, type ProviderConfig } from '@kunci/sdk';
import { configSide } from './config-client';
import { assertPublishable, FIXTURE_FORMAT, scrubValue, type FixtureExchange, type ProviderFixture } from './fixture';
import type { SandboxFlow } from './faults';

export interface RecordProviderOptions {
  /** The JSON file to write (its directory is created). */
  fixture: string;
  /** A provider with customer tokens: also record the B2B2C flow, with this customer's auth code (binding id). */
  authCode?: string;
}

interface Captured {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  contentType: string | undefined;
  text: string;
  receivedAt: number;
}

/** A JSON body as its value, any other text as itself. */
const parsed = (text: string): unknown => parseJsonText(text) ?? text;

/** What the HTTP client adds on its own: not the provider's contract (it changes with the client's version or the body's length). */
const TRANSPORT_HEADERS = new Set(['user-agent', 'content-length', 'accept-encoding', 'host', 'connection']);

function capture(response: AxiosResponse, receivedAt: number): Captured {
  const { config } = response;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers.toJSON())) {
    const lower = name.toLowerCase();
    if (value !== undefined && value !== null && !TRANSPORT_HEADERS.has(lower))
      headers[lower] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const contentType = (response.headers as Record<string, unknown>)['content-type'];
  return {
    method: (config.method ?? 'post').toUpperCase(),
    url: config.url ?? '',
    headers,
    body: typeof config.data === 'string' ? config.data : '',
    status: response.status,
    contentType: typeof contentType === 'string' ? contentType : undefined,
    text: typeof response.data === 'string' ? response.data : JSON.stringify(response.data),
    receivedAt,
  };
}

/**
 * Records one real exchange per flow of a provider config (B2B; B2B2C too, given an
 * `authCode`) into a JSON fixture for `replayProvider`. The provider itself makes the requests,
 * through an axios instance that sees what it sends and receives; every secret, identity, token,
 * refresh token, signature, auth code and timestamp is replaced by a placeholder, and the file is
 * written only when none of them is left in it. A flow that fails rejects with its AuthError and
 * nothing is written.
 */
export async function recordProvider(config: ProviderConfig, options: RecordProviderOptions): Promise<ProviderFixture> {
  const side = configSide(config);
  const { known } = side;
  const clock = config.clock ?? Date.now;
  const http = config.httpClient ?? axios.create();
  const captured: Captured[] = [];
  const interceptor = http.interceptors.response.use((response) => {
    captured.push(capture(response, clock()));
    return response;
  });
  const flows: Array<{ flow: SandboxFlow; request?: GetTokenRequest }> = [{ flow: 'b2b' }];
  const exchanges: FixtureExchange[] = [];
  const removed = new Set<string>();
  try {
    const provider = createTokenProvider({ ...config, httpClient: http });
    if (options.authCode !== undefined) {
      if (!provider.supportsCustomerTokens)
        throw configError(side.provider, [`authCode: ${side.provider} has no customer (B2B2C) flow to record`]);
      flows.push({ flow: 'b2b2c', request: { authCode: options.authCode } });
      removed.add(options.authCode);
    }
    for (const { flow, request } of flows) {
      captured.length = 0;
      await provider.fetchToken(request);
      const exchange = captured[captured.length - 1];
      if (exchange === undefined)
        throw configError(side.provider, ['httpClient: the provider sent nothing through it']);
      const path = new URL(exchange.url).pathname.slice(side.mount.prefix.length) || '/';
      exchanges.push({
        flow,
        request: {
          method: exchange.method,
          path,
          headers: scrubValue(exchange.headers, '', known, 'request', exchange.receivedAt, removed) as Record<
            string,
            string
          >,
          body: scrubValue(parsed(exchange.body), '', known, 'request', exchange.receivedAt, removed),
        },
        response: {
          status: exchange.status,
          headers: exchange.contentType !== undefined ? { 'content-type': exchange.contentType } : {},
          body: scrubValue(parsed(exchange.text), '', known, 'response', exchange.receivedAt, removed),
        },
      });
    }
  } finally {
    http.interceptors.response.eject(interceptor);
  }
  const fixture: ProviderFixture = { format: FIXTURE_FORMAT, provider: side.provider, exchanges };
  assertPublishable(fixture, known, removed);
  mkdirSync(dirname(options.fixture), { recursive: true });
  writeFileSync(options.fixture, `${JSON.stringify(fixture, null, 2)}\n`);
  return fixture;
}
