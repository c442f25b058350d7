import { createTokenProvider, TokenManager, type ProviderConfig, type TokenManagerEvents } from '@kunci/sdk';
import type { SandboxProvider } from '../src';
import { failure, useSandbox } from './helpers';

// Faults against the real providers and a TokenManager. Each test has a sandbox of its own: every
// request it sees is one of the test's, and no other test's request can use up a fault. Only the
// managers' clock is moved; the providers sign and the sandbox checks timestamps with the real one.

const managers: TokenManager[] = [];
// Registered before useSandbox's: afterEach hooks run in the order they are declared, so the
// managers close (and abort anything in flight) before the sandbox does.
afterEach(async () => {
  for (const manager of managers.splice(0)) await manager.close();
});
let shift = 0;
beforeEach(() => {
  shift = 0;
});

const sandbox = useSandbox({ random: () => 0.25 }, 'each');

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

/** The next refresh that ends (succeeded or failed). */
function nextRefresh(target: TokenManager): Promise<TokenManagerEvents['refresh']> {
  return new Promise((resolve) => {
    const off = target.on('refresh', (event) => {
      if (event.phase === 'started') return;
      off();
      resolve(event);
    });
  });
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
    // The hang ends at timeoutMs: long enough that no answered request of a loaded machine reaches it.
    // After a failed refresh the next waits 5 s, then 10 s, of the manager's clock: no refresh starts
    // but those this test asks for.
    const tokens = manager(entry(name, { timeoutMs: 1_000 }), {
      retry: false,
      refreshBackoff: { baseDelayMs: 5_000 },
    });
    const first = await tokens.getToken();
    for (const fault of [{ kind: 'status', status: 500 }, { kind: 'hang' }] as const) {
      // Into the refresh window, then past the backoff of the refresh that failed (the manager's clock only).
      shift += fault.kind === 'status' ? INTO_REFRESH_WINDOW_MS : 5_000;
      sandbox().inject({ provider: name, ...fault, times: 1 });
      const refresh = nextRefresh(tokens);
      await expect(tokens.getToken()).resolves.toBe(first);
      await expect(refresh).resolves.toMatchObject({ phase: 'failed' });
    }
    await expect(tokens.getToken()).resolves.toBe(first);
    expect(verdicts()).toEqual([
      [200, 'accepted'],
      [500, 'fault: status 500'],
      [undefined, 'fault: hang (never answered)'],
    ]);
  });

  it('latency: an answer later than timeoutMs is a TIMEOUT; one sooner is served after the delay', async () => {
    // The request reaches the sandbox well within timeoutMs, however loaded the machine; the answer cannot.
    sandbox().inject({ provider: name, kind: 'latency', ms: 1_500, times: 1 });
    await expect(createTokenProvider(entry(name, { timeoutMs: 1_000 })).fetchToken()).rejects.toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });
    sandbox().inject({ provider: name, kind: 'latency', ms: 120, times: 1 });
    const started = Date.now();
    await expect(createTokenProvider(entry(name)).fetchToken()).resolves.toMatchObject({ provider: name });
    // A lower bound only: a timer never fires early, however loaded the machine.
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
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

// One provider: the wait is the manager's real second.
describe('pivot-snap 429', () => {
  it("retryAfter: a 429's Retry-After is waited before the retry", async () => {
    sandbox().inject({ provider: 'pivot-snap', kind: 'retryAfter', retryAfterSeconds: 1, times: 1 });
    await expect(manager(entry('pivot-snap')).getToken()).resolves.toMatchObject({ provider: 'pivot-snap' });
    const [limited, served] = sandbox().requests;
    expect(limited).toMatchObject({ status: 429, verdict: 'fault: retryAfter (429, Retry-After 1)' });
    expect(served).toMatchObject({ status: 200, verdict: 'accepted' });
    // A lower bound only: the manager's wait never ends early.
    expect((served?.at.getTime() ?? 0) - (limited?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(990);
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
