import nock from 'nock';
import { klikooErrorBody } from '@kunci/klikoo/emulator';
import { pivotLegacyErrorBody } from '@kunci/pivot-legacy/emulator';
import { pivotSnapErrorBody } from '@kunci/pivot-snap/emulator';
import { jsonResponse, startLoopbackServer, type EmulatedResponse, type LoopbackServer } from '@kunci/core/emulator';
import type { TokenManagerEvents } from '@kunci/core';
import { expectNoSecrets, useStrictNock } from '#test-kit';
import { createTokenProvider, TokenManager, type AccessToken, type ProviderConfig, type TokenRequest } from '../src';
import { AUTH_CODE, emulators, klikooConfig, legacyConfig, secrets, snapConfig } from './fixtures';

// A TokenManager over each real provider, against that provider's emulator on a loopback
// server. Only the manager's clock is injected: the providers sign and the emulators check
// timestamps with the real one, as in production.

useStrictNock();
beforeAll(() => nock.enableNetConnect(/^127\.0\.0\.1:\d+$/));

interface Subject {
  name: string;
  provider: string;
  /** What getToken asks for: nothing for a B2B token, an auth code for a B2B2C customer's. */
  request: TokenRequest | undefined;
  config(baseUrl: string): ProviderConfig;
  /** The same provider with credentials its emulator does not know. */
  wrongCredentials(baseUrl: string): ProviderConfig;
  /** The provider's own 503 answer. */
  unavailable: EmulatedResponse;
}

const snapB2b: Subject = {
  name: 'pivot-snap B2B',
  provider: 'pivot-snap',
  request: undefined,
  config: snapConfig,
  wrongCredentials: (url) => ({ ...snapConfig(url), clientId: 'client-pivot-never-registered' }),
  unavailable: jsonResponse(503, pivotSnapErrorBody('5037300', 'Service Unavailable')),
};

const snapCustomer: Subject = {
  ...snapB2b,
  name: 'pivot-snap B2B2C customer',
  request: { authCode: AUTH_CODE },
  unavailable: jsonResponse(503, pivotSnapErrorBody('5037400', 'Service Unavailable')),
};

const subjects: Subject[] = [
  snapB2b,
  snapCustomer,
  {
    name: 'pivot-legacy',
    provider: 'pivot-legacy',
    request: undefined,
    config: legacyConfig,
    wrongCredentials: (url) => ({ ...legacyConfig(url), merchantSecret: 'ms_wrong_00000000000000000000000000000000' }),
    unavailable: jsonResponse(503, pivotLegacyErrorBody('service_unavailable', 'Service unavailable')),
  },
  {
    name: 'klikoo',
    provider: 'klikoo',
    request: undefined,
    config: klikooConfig,
    wrongCredentials: (url) => ({ ...klikooConfig(url), clientSecret: 'ks_wrong_0123456789abcdefghijklm' }),
    unavailable: jsonResponse(503, klikooErrorBody('503010001', 'Supplier sedang gangguan')),
  },
];

const REFRESH_BEFORE_SECONDS = 60;
/** The emulators issue 15-minute tokens: 870 s later one is due (30 s left) but still valid. */
const INTO_REFRESH_WINDOW_MS = 870_000;

/** Everything a test opened, closed after it whatever happened: managers first, then servers. */
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

interface Rig {
  server: LoopbackServer;
  /** Answers to send instead of the emulator's, to the next requests in order. */
  faults: EmulatedResponse[];
  /** Moves the managers' clock (never the providers' or the emulators'). */
  advance(ms: number): void;
  manager(config?: ProviderConfig): TokenManager;
}

async function startRig(subject: Subject): Promise<Rig> {
  const emulator = emulators().find((candidate) => candidate.provider === subject.provider);
  if (emulator === undefined) throw new Error(`no emulator for ${subject.provider}`);
  const faults: EmulatedResponse[] = [];
  const server = await startLoopbackServer((request) => faults.shift() ?? emulator.handle(request));
  opened.push(server);
  let shift = 0;
  return {
    server,
    faults,
    advance: (ms) => {
      shift += ms;
    },
    manager(config = subject.config(server.url)) {
      // random 0: every backoff wait is zero, so a retry needs no timer.
      const manager = new TokenManager(createTokenProvider(config), {
        refreshBeforeSeconds: REFRESH_BEFORE_SECONDS,
        clock: () => Date.now() + shift,
        random: () => 0,
      });
      opened.push(manager);
      return manager;
    },
  };
}

function nextEvent<E extends keyof TokenManagerEvents>(
  manager: TokenManager,
  event: E,
  matches: (payload: TokenManagerEvents[E]) => boolean = () => true,
): Promise<TokenManagerEvents[E]> {
  return new Promise((resolve) => {
    const off = manager.on(event, (payload) => {
      if (!matches(payload)) return;
      off();
      resolve(payload);
    });
  });
}

function sentBody(server: LoopbackServer, index: number): Record<string, unknown> {
  const request = server.requests[index];
  if (request === undefined) throw new Error(`the server saw ${server.requests.length} requests, not ${index + 1}`);
  return JSON.parse(request.body) as Record<string, unknown>;
}

describe.each(subjects)('TokenManager end to end: $name', (subject) => {
  const get = (manager: TokenManager): Promise<AccessToken> => manager.getToken(subject.request);

  it('fetches once, then serves the cached token without another request', async () => {
    const rig = await startRig(subject);
    const manager = rig.manager();
    const first = await get(manager);
    expect(first).toMatchObject({ provider: subject.provider, tokenType: 'Bearer' });
    expect(rig.server.requests).toHaveLength(1);
    await expect(get(manager)).resolves.toBe(first);
    expect(rig.server.requests).toHaveLength(1);
  });

  it('lets 100 concurrent cold callers share one request', async () => {
    const rig = await startRig(subject);
    const manager = rig.manager();
    const tokens = await Promise.all(Array.from({ length: 100 }, () => get(manager)));
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(rig.server.requests).toHaveLength(1);
  });

  it('fetches again after invalidate()', async () => {
    const rig = await startRig(subject);
    const manager = rig.manager();
    const first = await get(manager);
    await manager.invalidate();
    const second = await get(manager);
    expect(rig.server.requests).toHaveLength(2);
    expect(second.accessToken).not.toBe(first.accessToken);
    await expect(get(manager)).resolves.toBe(second);
    expect(rig.server.requests).toHaveLength(2);
  });

  it('serves a due token at once while one background refresh reaches the server', async () => {
    const rig = await startRig(subject);
    const manager = rig.manager();
    const first = await get(manager);
    rig.advance(INTO_REFRESH_WINDOW_MS);
    const refreshed = nextEvent(manager, 'refresh', (event) => event.phase !== 'started');
    const served = await Promise.all(Array.from({ length: 10 }, () => get(manager)));
    expect(served.every((token) => token === first)).toBe(true);
    // Served before the refresh reached the server: the callers did not wait for it.
    expect(rig.server.requests).toHaveLength(1);
    await expect(refreshed).resolves.toMatchObject({ phase: 'succeeded' });
    expect(rig.server.requests).toHaveLength(2);
    const next = await get(manager);
    expect(next.accessToken).not.toBe(first.accessToken);
    // Not due: serving it starts no other refresh.
    expect(rig.server.requests).toHaveLength(2);
  });

  it('retries a 503, then serves the token', async () => {
    const rig = await startRig(subject);
    const manager = rig.manager();
    const attempts: number[] = [];
    manager.on('fetch', (event) => attempts.push(event.attempt));
    rig.faults.push(subject.unavailable);
    const token = await get(manager);
    expect(token).toMatchObject({ provider: subject.provider, tokenType: 'Bearer' });
    expect(rig.server.requests).toHaveLength(2);
    expect(attempts).toEqual([1, 2]);
  });

  it('does not retry a 401 for credentials the provider does not know', async () => {
    const rig = await startRig(subject);
    const manager = rig.manager(subject.wrongCredentials(rig.server.url));
    const error: unknown = await get(manager).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      name: 'AuthError',
      code: 'CREDENTIALS_REJECTED',
      status: 401,
      retryable: false,
      provider: subject.provider,
    });
    expect(rig.server.requests).toHaveLength(1);
    expectNoSecrets(error, secrets());
  });
});

describe('TokenManager end to end: pivot-snap B2B2C refresh-token rotation', () => {
  it('sends, on each fetch, the refresh token the previous answer returned', async () => {
    const rig = await startRig(snapCustomer);
    const manager = rig.manager();
    const first = await manager.getToken({ authCode: AUTH_CODE });
    expect(first.refreshToken).toMatch(/^[\w-]{43}$/);
    expect(sentBody(rig.server, 0)).toEqual({
      grantType: 'authorization_code',
      authCode: AUTH_CODE,
      additionalInfo: {},
    });

    // A background refresh ahead of expiry.
    rig.advance(INTO_REFRESH_WINDOW_MS);
    const refreshed = nextEvent(manager, 'refresh', (event) => event.phase !== 'started');
    await manager.getToken({ authCode: AUTH_CODE });
    await expect(refreshed).resolves.toMatchObject({ phase: 'succeeded' });
    expect(sentBody(rig.server, 1)).toMatchObject({ authCode: AUTH_CODE, refreshToken: first.refreshToken });

    // A fetch after the access token expired: the manager kept the rotated refresh token.
    const second = await manager.getToken({ authCode: AUTH_CODE });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    rig.advance(INTO_REFRESH_WINDOW_MS + 60_000);
    const third = await manager.getToken({ authCode: AUTH_CODE });
    expect(sentBody(rig.server, 2)).toMatchObject({ authCode: AUTH_CODE, refreshToken: second.refreshToken });
    expect(third.refreshToken).not.toBe(second.refreshToken);
    expect(rig.server.requests).toHaveLength(3);
  });
});
