// A one-shot script, as a cron job or a CLI would be: nothing but kunci holds its event loop.
// Each scenario prints the token it got; a process that ends early prints fewer lines.
import axios from 'axios';
import { attachTokenManager, createTokenProvider, TokenManager, type TokenManagerOptions } from '@kunci/sdk';

const [entry, serverUrl] = process.argv.slice(2) as [string, string];
const SCENARIOS = ['retry', 'retry-after', 'slow'] as const;
const OPTIONS: TokenManagerOptions = { retry: { attempts: 3, baseDelayMs: 300, maxDelayMs: 300 }, random: () => 0.99 };

function provider(scenario: string) {
  return createTokenProvider({
    provider: 'pivot-legacy',
    baseUrl: `${serverUrl}/${scenario}`,
    merchantId: 'lifetime-merchant',
    merchantSecret: 'lifetime-secret-0123456789abcdef',
  });
}

async function tokenFor(scenario: string): Promise<string> {
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

async function closeWhileBusy(): Promise<void> {
  const cached = new TokenManager(provider('ok'), OPTIONS);
  await cached.getToken();
  const hanging = new TokenManager(provider('hang'), OPTIONS);
  const pending = hanging.getToken().then(
    () => 'resolved',
    (error: unknown) => (error as Error).name,
  );
  const waiting = new TokenManager(provider('unavailable'), {
    ...OPTIONS,
    retry: { attempts: 5, baseDelayMs: 5_000, maxDelayMs: 5_000 },
  });
  const retrying = waiting.getToken().then(
    () => 'resolved',
    (error: unknown) => (error as Error).name,
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  await Promise.all([cached.close(), hanging.close(), waiting.close()]);
  console.log(`closed ${await pending} ${await retrying}`);
}

async function main(): Promise<void> {
  if (entry === 'close') return closeWhileBusy();
  const scenarios = entry === 'fetchToken' ? (['slow'] as const) : SCENARIOS;
  for (const scenario of scenarios) console.log(`${scenario} ${await tokenFor(scenario)}`);
}

void main();
