import { expect } from '@jest/globals';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  createTokenProvider,
  KUNCI_CHANNELS,
  TokenManager,
  type ProviderConfig,
  type TokenManagerEvent,
  type TokenManagerEvents,
  type TokenRetryMessage,
} from '@kunci/sdk';
import type { SandboxProvider } from '../src';
import { useFakeTimeouts } from '#test-kit';
import { failure, seen, useSandbox } from './helpers';

// Faults against the real providers and a TokenManager. Each test has a sandbox of its own: every
// request it sees is one of the test's, and no other test's request can use up a fault. Only the
// managers' clock is moved; the providers sign and the sandbox checks timestamps with the real one.
//
// setTimeout runs on jest's fake clock (useFakeTimeouts): a client's timeoutMs, the manager's
// waits and the sandbox's latency each pass when the test advances that clock, once the request
// it times has reached the sandbox. No test waits on the wall clock, and no outcome depends on how
// loaded the machine is.

const managers: TokenManager[] = [];
// Registered before useSandbox's: afterEach hooks run in the order they are declared, so the
// managers close (and abort anything in flight) before the sandbox does.
afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.close();
});
let shift = 0;
beforeEach(() => {
  shift = 0;
  useFakeTimeouts();
});

const sandbox = useSandbox({ random: () => 0.25 });

// After the sandbox's close, which clears its pending delays on the fake clock.
afterEach(() => {
  jest.useRealTimers();
});

function entry(name: SandboxProvider, change: Partial<ProviderConfig> = {}): ProviderConfig {
  return { ...sandbox().config().providers[name], ...change } as ProviderConfig;
}

function manager(config: ProviderConfig, options: ConstructorParameters<typeof TokenManager>[1] = {}): TokenManager {
  // random 0: every backoff wait is zero, so a retry needs no timer.
  const created = new TokenManager(createTokenProvider(config), {
    clock: () => Date.now() + shift,
    random: () => 0,
    ...options,
  });
  managers.push(created);
  return created;
}

/** The next `event` of a manager that `matches`. */
function next<E extends TokenManagerEvent>(
  target: TokenManager,
  event: E,
  matches: (payload: TokenManagerEvents[E]) => boolean = () => true,
): Promise<TokenManagerEvents[E]> {
  return new Promise((resolve) => {
    const off = target.on(event, (payload) => {
      if (!matches(payload)) return;
      off();
      resolve(payload);
    });
  });
}

/** The next refresh that ends (succeeded or failed). */
const nextRefresh = (target: TokenManager): Promise<TokenManagerEvents['refresh']> =>
  next(target, 'refresh', (event) => event.phase !== 'started');

/** A promise and whether it has settled yet. */
function watch<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  const settle = (): void => {
    settled = true;
  };
  promise.then(settle, settle);
  return { promise, settled: () => settled };
}

const verdicts = (): Array<[number | undefined, string]> => sandbox().requests.map((r) => [r.status, r.verdict]);

/** 870 s into a 900 s token: due for refresh, still valid. */
const INTO_REFRESH_WINDOW_MS = 870_000;

describe.each(['pivot-snap', 'pivot-legacy', 'klikoo'] as const)('%s faults', (name) => {
  it('status: a 503 is retried and the token served', async () => {
    sandbox().inject({ provider: name, kind: 'status', status: 503, times: 1 });
    await expect(manager(entry(name)).getToken()).resolves.toMatchObject({ provider: name });
    expect(verdicts()).toEqual([
      [503, 'fault: status 503'],
      [200, 'accepted'],
    ]);
  });

  it('the manager keeps serving a valid token through 5xx and a hang during its refresh', async () => {
    // The hang ends at the provider's timeoutMs, sooner than the manager's fetchTimeoutMs (30 s).
    // After a failed refresh the next waits 5 s, then 10 s, of the manager's clock: no refresh starts
    // but those this test asks for.
    const timeoutMs = 20_000;
    const tokens = manager(entry(name, { timeoutMs }), { retry: false, refreshBackoff: { baseDelayMs: 5_000 } });
    const first = await tokens.getToken();

    // Into the refresh window (the manager's clock only): the refresh meets a 500.
    shift += INTO_REFRESH_WINDOW_MS;
    sandbox().inject({ provider: name, kind: 'status', status: 500, times: 1 });
    let refresh = nextRefresh(tokens);
    let failed = next(tokens, 'error');
    await expect(tokens.getToken()).resolves.toBe(first);
    await expect(refresh).resolves.toMatchObject({ phase: 'failed' });
    await expect(failed).resolves.toMatchObject({ stale: true, background: true, error: { status: 500 } });

    // Past the backoff of the refresh that failed: the next refresh hangs.
    shift += 5_000;
    sandbox().inject({ provider: name, kind: 'hang', times: 1 });
    refresh = nextRefresh(tokens);
    failed = next(tokens, 'error');
    const hung = watch(refresh);
    await expect(tokens.getToken()).resolves.toBe(first);
    await seen(sandbox(), 3);
    // The sandbox holds the refresh's request: the valid token is still served, the refresh still runs.
    await expect(tokens.getToken()).resolves.toBe(first);
    await jest.advanceTimersByTimeAsync(timeoutMs - 1);
    expect(hung.settled()).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(refresh).resolves.toMatchObject({ phase: 'failed' });
    await expect(failed).resolves.toMatchObject({
      stale: true,
      background: true,
      error: { code: 'TIMEOUT', retryable: true },
    });

    await expect(tokens.getToken()).resolves.toBe(first);
    expect(verdicts()).toEqual([
      [200, 'accepted'],
      [500, 'fault: status 500'],
      [undefined, 'fault: hang (never answered)'],
    ]);
  });

  it('latency: an answer later than timeoutMs is a TIMEOUT; one sooner is served after the delay', async () => {
    const timeoutMs = 60_000;
    sandbox().inject({ provider: name, kind: 'latency', ms: timeoutMs + 500, times: 1 });
    const late = watch(createTokenProvider(entry(name, { timeoutMs })).fetchToken());
    // The sandbox accepted the request and holds its answer.
    await seen(sandbox(), 1);
    await jest.advanceTimersByTimeAsync(timeoutMs - 1);
    expect(late.settled()).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(late.promise).rejects.toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
      message: expect.stringContaining(`within ${timeoutMs} ms (timeoutMs)`),
    });

    sandbox().inject({ provider: name, kind: 'latency', ms: 120, times: 1 });
    const sooner = watch(createTokenProvider(entry(name, { timeoutMs })).fetchToken());
    await seen(sandbox(), 2);
    // A timer never fires early: at 119 ms the sandbox has not answered.
    await jest.advanceTimersByTimeAsync(119);
    expect(sooner.settled()).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(sooner.promise).resolves.toMatchObject({ provider: name });
    expect(sandbox().requests.map((r) => r.verdict)).toEqual(['accepted', 'accepted']);
  });

  it.each([
    ['reset', 'NETWORK'],
    ['html', 'PROVIDER_UNAVAILABLE'],
    ['malformed', 'RESPONSE_INVALID'],
  ] as const)('%s: the provider fails with %s', async (kind, code) => {
    sandbox().inject({ provider: name, kind, times: 1 });
    await expect(createTokenProvider(entry(name)).fetchToken()).rejects.toMatchObject({ code });
    expect(sandbox().requests).toEqual([expect.objectContaining({ provider: name, fault: kind, accepted: false })]);
  });
});

// One provider: the manager's wait runs on the fake clock.
describe('pivot-snap 429', () => {
  it("retryAfter: a 429's Retry-After is waited before the retry", async () => {
    sandbox().inject({ provider: 'pivot-snap', kind: 'retryAfter', retryAfterSeconds: 1, times: 1 });
    const tokens = manager(entry('pivot-snap'));
    // When each attempt starts, on the timers' clock.
    const attempts: number[] = [];
    tokens.on('fetch', () => attempts.push(jest.now()));
    const retries: TokenRetryMessage[] = [];
    let retried: () => void = () => undefined;
    const scheduled = new Promise<void>((resolve) => {
      retried = resolve;
    });
    const onRetry = (message: unknown): void => {
      retries.push(message as TokenRetryMessage);
      retried();
    };
    subscribe(KUNCI_CHANNELS.tokenRetry, onRetry);
    try {
      const token = watch(tokens.getToken());
      // The manager read the 429 and chose its wait: the Retry-After, not the backoff (0 with random 0).
      await scheduled;
      expect(retries).toEqual([expect.objectContaining({ attempt: 1, errorCode: 'RATE_LIMITED', delayMs: 1_000 })]);
      await jest.advanceTimersByTimeAsync(999);
      expect(attempts).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      await expect(token.promise).resolves.toMatchObject({ provider: 'pivot-snap' });
    } finally {
      unsubscribe(KUNCI_CHANNELS.tokenRetry, onRetry);
    }
    expect(attempts.map((at) => at - (attempts[0] ?? 0))).toEqual([0, 1_000]);
    const [limited, served] = sandbox().requests;
    expect(limited).toMatchObject({ status: 429, verdict: 'fault: retryAfter (429, Retry-After 1)' });
    expect(served).toMatchObject({ status: 200, verdict: 'accepted' });
  });
});

describe.each(['pivot-snap', 'klikoo'] as const)('%s skew', (name) => {
  it('timestamps are refused and the Date header shows the skew; the manager corrects it and retries once', async () => {
    sandbox().inject({ provider: name, kind: 'skew', ms: 10 * 60_000 });
    const error = await failure(createTokenProvider(entry(name)).fetchToken());
    expect(error).toMatchObject({ code: 'TIMESTAMP_REJECTED' });
    expect((error as { serverDate?: Date }).serverDate?.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect(sandbox().requests[0]?.verdict).toMatch(
      /is 10 min behind the server clock .*\(the clock is skewed by 600000 ms\)$/,
    );

    await expect(manager(entry(name)).getToken()).resolves.toMatchObject({ provider: name });
    expect(
      sandbox()
        .requests.slice(1)
        .map((r) => r.accepted),
    ).toEqual([false, true]);
  });
});

describe('fault selection', () => {
  it('provider and flow narrow a fault; times counts matching requests only', async () => {
    sandbox().inject({ provider: 'pivot-snap', flow: 'b2b2c', kind: 'status', status: 502, times: 1 });
    const snap = createTokenProvider(entry('pivot-snap'));
    await expect(snap.fetchToken()).resolves.toMatchObject({ responseCode: '2007300' });
    await expect(createTokenProvider(entry('klikoo')).fetchToken()).resolves.toMatchObject({ provider: 'klikoo' });
    await expect(snap.fetchToken({ authCode: 'BND-selection' })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      status: 502,
      providerCode: '5027400',
    });
    await expect(snap.fetchToken({ authCode: 'BND-selection' })).resolves.toMatchObject({ responseCode: '2007400' });
  });

  it('rate hits the fraction of requests the random source picks', async () => {
    // The sandbox's random source answers 0.25: a rate above it hits, a rate at or below it does not.
    sandbox().inject({ provider: 'klikoo', kind: 'status', status: 500, rate: 0.25 });
    await expect(createTokenProvider(entry('klikoo')).fetchToken()).resolves.toMatchObject({ provider: 'klikoo' });
    sandbox().inject({ provider: 'klikoo', kind: 'status', status: 500, rate: 0.5 });
    await expect(createTokenProvider(entry('klikoo')).fetchToken()).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
    });
    sandbox().clearFaults();
    await expect(createTokenProvider(entry('klikoo')).fetchToken()).resolves.toMatchObject({ provider: 'klikoo' });
  });
});
