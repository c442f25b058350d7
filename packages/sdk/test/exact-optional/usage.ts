// Type-checked by tsconfig.doc-blocks.json (npm run typecheck) under exactOptionalPropertyTypes, as a
// reader's project with that option compiles it: the documented calls, every optional option given
// a value that may be undefined. kunci's inputs say `| undefined` everywhere (exact-optional.test.ts
// checks that undefined is absence at run time).
import axios from 'axios';
import { attachTokenManager, createTokenProvider, createTokenProviders, TokenManager, type Logger } from '@kunci/sdk';

declare const customer: { authCode: string; refreshToken?: string | undefined };
declare const maybeLogger: Logger | undefined;
declare const maybeNumber: number | undefined;
declare const maybeSignal: AbortSignal | undefined;
const env = process.env;

export async function usage(): Promise<void> {
  const snap = createTokenProvider({
    provider: 'pivot-snap',
    baseUrl: 'https://api.example.com',
    clientId: 'client',
    privateKey: 'env:KEY',
    privateKeyPassphrase: env.KEY_PASSPHRASE,
    timeoutMs: maybeNumber,
    maxResponseBytes: maybeNumber,
    allowInsecureHttp: undefined,
    paths: { b2b: env.B2B_PATH, b2b2c: undefined },
    timestamp: { offset: env.OFFSET, milliseconds: undefined },
    httpClient: undefined,
    clock: undefined,
  });
  createTokenProvider({
    provider: 'pivot-legacy',
    baseUrl: 'https://api.example.com',
    merchantId: 'm',
    merchantSecret: 'env:S',
    path: env.LEGACY_PATH,
  });
  createTokenProvider({
    provider: 'klikoo',
    baseUrl: 'https://api.example.com',
    clientId: 'c',
    clientSecret: 'env:S',
    privateKey: 'env:K',
    privateKeyPassphrase: env.P,
    path: undefined,
    timestamp: undefined,
  });
  createTokenProviders({
    $schema: undefined,
    providers: {
      legacy: {
        provider: 'pivot-legacy',
        baseUrl: 'https://api.example.com',
        merchantId: 'm',
        merchantSecret: 'env:S',
        timeoutMs: maybeNumber,
      },
    },
  });

  await snap.fetchToken({ authCode: customer.authCode, refreshToken: customer.refreshToken });
  await snap.fetchToken(undefined, { signal: maybeSignal, clockOffsetMs: maybeNumber, onResponse: undefined });

  const tokens = new TokenManager(snap, {
    logger: maybeLogger,
    store: undefined,
    refreshBeforeSeconds: maybeNumber,
    maxEntries: maybeNumber,
    fetchTimeoutMs: maybeNumber,
    retry: { attempts: maybeNumber, baseDelayMs: maybeNumber, maxDelayMs: undefined },
    refreshBackoff: { baseDelayMs: maybeNumber, maxDelayMs: undefined },
    lock: { waitMs: maybeNumber, pollMs: undefined },
    storeTimeoutMs: maybeNumber,
    clock: undefined,
    random: undefined,
  });
  await tokens.getToken({ authCode: customer.authCode, refreshToken: customer.refreshToken, signal: maybeSignal });

  const api = axios.create();
  attachTokenManager(api, tokens, {
    customer: () => customer.refreshToken,
    isTokenRejected: undefined,
    skipUrl: undefined,
  });
  await api.get('/balance', { kunci: { authCode: customer.refreshToken, skip: undefined, retried: undefined } });
}
