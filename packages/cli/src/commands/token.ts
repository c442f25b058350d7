import { createStoreFromConfig, maskToken, TokenManager, type AccessToken } from '@kunci/sdk';
import { providerFromFile, type NamedProvider } from '../config-file';
import { UsageError } from '../errors';
import { json } from '../format';
import { progress, type Io } from '../io';

export interface TokenOptions {
  config?: string;
  json?: boolean;
  reveal?: boolean;
  authCode?: string;
}

/** What `kunci token` prints: tokens masked unless revealed. */
export function describeToken(token: AccessToken, reveal: boolean): Record<string, unknown> {
  const shown = (value: string | undefined): string | undefined => (reveal ? value : maskToken(value));
  return {
    provider: token.provider,
    accessToken: shown(token.accessToken),
    tokenType: token.tokenType,
    expiresIn: token.expiresIn,
    expiresAt: token.expiresAt.toISOString(),
    ...(token.refreshToken !== undefined ? { refreshToken: shown(token.refreshToken) } : {}),
    ...(token.refreshTokenExpiresAt !== undefined
      ? { refreshTokenExpiresAt: token.refreshTokenExpiresAt.toISOString() }
      : {}),
    responseCode: token.responseCode,
    responseMessage: token.responseMessage,
  };
}

/** As long as a provider takes a grant (core's token request check). */
const MAX_AUTH_CODE_LENGTH = 2048;

/** Why `--auth-code` cannot be sent for this entry, found before anything is sent. */
function authCodeProblem(authCode: string, named: NamedProvider): string | undefined {
  if (!named.provider.supportsCustomerTokens)
    return `"${named.name}" is a ${named.provider.provider} entry, which has no customer (B2B2C) tokens: leave --auth-code out`;
  if (authCode.trim() === '') return 'is empty: give the customer binding id';
  if (authCode.length > MAX_AUTH_CODE_LENGTH) return `must be at most ${MAX_AUTH_CODE_LENGTH} characters`;
  if (!/^[\x21-\x7e]+$/.test(authCode)) return 'must be visible ASCII characters without spaces';
  return undefined;
}

/**
 * Fetches a token for a named entry. When the file names a shared store, through a TokenManager on
 * that store: a token another process (or an earlier run) put there is used, and a new one is put
 * there for the rest of the fleet.
 */
export async function runToken(io: Io, name: string, options: TokenOptions): Promise<void> {
  const named = providerFromFile(io, name, options.config);
  const { provider } = named;
  const problem = options.authCode !== undefined ? authCodeProblem(options.authCode, named) : undefined;
  if (problem !== undefined) throw new UsageError(`--auth-code ${problem}`);
  const request = options.authCode !== undefined ? { authCode: options.authCode } : undefined;
  const store = named.hasStore ? createStoreFromConfig(named.path) : undefined;
  progress(io, `fetching a ${provider.provider} token for ${name}${store !== undefined ? ' (through the store)' : ''}`);
  let token: AccessToken;
  if (store === undefined) token = await provider.fetchToken(request);
  else {
    const manager = new TokenManager(provider, { store });
    try {
      token = await manager.getToken(request);
    } finally {
      await manager.close();
      await store.close();
    }
  }
  const described = describeToken(token, options.reveal === true);
  if (options.json === true) {
    io.out(json(described));
    return;
  }
  for (const [field, value] of Object.entries(described)) io.out(`${`${field}:`.padEnd(23)} ${String(value)}\n`);
  if (options.reveal !== true) io.out('(tokens masked; --reveal prints them)\n');
}
