// A one-shot script, as a cron job or a CLI would be: nothing but kunci holds its event loop.
// It runs each entry in turn and prints the token each scenario got; a timer kunci awaits without
// holding the process lets it end early, printing fewer lines. After each entry it prints what
// still holds the process (nothing, when the entry cleaned up after itself), so that an entry
// that left a handle behind cannot hide the next entry's early end.
import axios from 'axios';
import {
  attachTokenManager,
  createTokenProvider,
  TokenManager,
  type Logger,
  type TokenManagerOptions,
} from '@kunci/sdk';

const serverUrl = process.argv[2] as string;
const SCENARIOS = ['retry', 'retry-after', 'slow'] as const;
// Any wait tests the same thing: an unreferenced timer ends the process at once, however long it is.
const OPTIONS: TokenManagerOptions = { retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 50 }, random: () => 0.99 };

function provider(scenario: string) {
  return createTokenProvider({
    provider: 'pivot-legacy',
    baseUrl: `${serverUrl}/${scenario}`,
    merchantId: 'lifetime-merchant',
    merchantSecret: 'lifetime-secret-0123456789abcdef',
  });
}

type Entry = 'getToken' | 'fetchToken' | 'interceptor';

async function tokenFor(entry: Entry, scenario: string): Promise<string> {
  if (entry === 'fetchToken') return (await provider(scenario).fetchToken()).accessToken;
  const manager = new TokenManager(provider(scenario), OPTIONS);
  if (entry === 'getToken') {
    // A hundred callers sharing one signal, as a request handler fanning out would: stderr stays empty.
    const { signal } = new AbortController();
    const tokens = await Promise.all(Array.from({ length: 100 }, () => manager.getToken({ signal })));
    return tokens[0]!.accessToken;
  }
  const api = axios.create({ baseURL: serverUrl });
  attachTokenManager(api, manager);
  const response = await api.get<{ token: string }>('/api/echo');
  return response.data.token;
}

/** What holds the event loop now; stdout's pipe to the parent is not one of kunci's. */
function holding(): string {
  return process
    .getActiveResourcesInfo()
    .filter((resource) => resource !== 'PipeWrap')
    .join(',');
}

/** A logger whose debug line of a retry wait tells that the wait has started. */
function retryWaitStarted(): { logger: Logger; started: Promise<void> } {
  let resolve: () => void = () => undefined;
  const started = new Promise<void>((done) => (resolve = done));
  const ignore = (): void => undefined;
  const logger: Logger = {
    debug: (_obj, msg) => {
      if (msg.startsWith('kunci: retrying in ')) resolve();
    },
    info: ignore,
    warn: ignore,
    error: ignore,
  };
  return { logger, started };
}

async function closeWhileBusy(): Promise<void> {
  const cached = new TokenManager(provider('ok'), OPTIONS);
  await cached.getToken();
  const hanging = new TokenManager(provider('hang'), OPTIONS);
  const fetching = new Promise<void>((resolve) => hanging.on('fetch', () => resolve()));
  const pending = hanging.getToken().then(
    () => 'resolved',
    (error: unknown) => (error as Error).name,
  );
  const retryWait = retryWaitStarted();
  const waiting = new TokenManager(provider('unavailable'), {
    ...OPTIONS,
    retry: { attempts: 5, baseDelayMs: 5_000, maxDelayMs: 5_000 },
    logger: retryWait.logger,
  });
  const retrying = waiting.getToken().then(
    () => 'resolved',
    (error: unknown) => (error as Error).name,
  );
  // Closed while one fetch is in flight and the other manager waits out its 5 s retry delay.
  await Promise.all([fetching, retryWait.started]);
  await Promise.all([cached.close(), hanging.close(), waiting.close()]);
  console.log(`close ${await pending} ${await retrying}`);
}

async function main(): Promise<void> {
  for (const entry of ['getToken', 'fetchToken', 'interceptor'] as const) {
    const scenarios = entry === 'fetchToken' ? (['slow'] as const) : SCENARIOS;
    for (const scenario of scenarios) console.log(`${entry} ${scenario} ${await tokenFor(entry, scenario)}`);
    console.log(`${entry} holds [${holding()}]`);
  }
  // Last: the process must end right after this line.
  await closeWhileBusy();
}

void main();
