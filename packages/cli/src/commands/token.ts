import { maskToken, type AccessToken } from '@kunci/sdk';
import { providerFromFile } from '../config-file';
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

export async function runToken(io: Io, name: string, options: TokenOptions): Promise<void> {
  const { provider } = providerFromFile(io, name, options.config);
  progress(io, `fetching a ${provider.provider} token for ${name}`);
  const token = await provider.fetchToken(options.authCode !== undefined ? { authCode: options.authCode } : undefined);
  const described = describeToken(token, options.reveal === true);
  if (options.json === true) {
    io.out(json(described));
    return;
  }
  for (const [field, value] of Object.entries(described)) io.out(`${`${field}:`.padEnd(23)} ${String(value)}\n`);
  if (options.reveal !== true) io.out('(tokens masked; --reveal prints them)\n');
}
