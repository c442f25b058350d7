import { isAuthError } from '@kunci/core';
import { configDir, providerFromFile, publicHalf, type PublicHalf } from '../config-file';
import { LIKELY_CAUSE } from '../errors';
import { json } from '../format';
import { progress, type Io } from '../io';
import { describeToken } from './token';

export interface CheckOptions {
  config?: string;
  json?: boolean;
}

export interface CheckReport {
  entry: string;
  provider: string;
  clientId: string;
  publicKey?: PublicHalf;
  token?: Record<string, unknown>;
  /** The provider's clock minus ours, from its `Date` header (whole seconds). */
  clockOffsetMs?: number;
  error?: { code: string; message: string; providerCode?: string; likelyCause: string };
}

/**
 * Onboarding diagnosis: validates the entry, prints the public half of its key (to compare with
 * what was registered), fetches a token and reports the clock offset. Resolves false on failure.
 */
export async function runCheck(io: Io, name: string, options: CheckOptions): Promise<boolean> {
  const { provider, entry, path } = providerFromFile(io, name, options.config);
  const report: CheckReport = { entry: name, provider: provider.provider, clientId: provider.clientId };
  if (typeof entry.privateKey === 'string') {
    const passphrase = typeof entry.privateKeyPassphrase === 'string' ? entry.privateKeyPassphrase : undefined;
    report.publicKey = publicHalf(entry.privateKey, passphrase, io.env, configDir(path), provider.provider);
  }
  progress(io, `fetching a ${provider.provider} token for ${name}`);
  try {
    const token = await provider.fetchToken(undefined, {
      onResponse: (info) => {
        if (info.serverDate !== undefined) report.clockOffsetMs = info.serverDate.getTime() - info.receivedAt.getTime();
      },
    });
    report.token = describeToken(token, false);
  } catch (error) {
    if (!isAuthError(error)) throw error;
    report.error = {
      code: error.code,
      message: error.message,
      ...(error.providerCode !== undefined ? { providerCode: error.providerCode } : {}),
      likelyCause: LIKELY_CAUSE[error.code],
    };
  }
  if (options.json === true) io.out(json(report));
  else printCheck(io, report, path);
  return report.error === undefined;
}

function printCheck(io: Io, report: CheckReport, path: string): void {
  io.out(`entry:        ${report.entry} in ${path} (valid)\n`);
  io.out(`provider:     ${report.provider}, client ${report.clientId}\n`);
  if (report.publicKey !== undefined) {
    io.out(`public key:   ${report.publicKey.fingerprint}\n`);
    io.out(`${report.publicKey.pem.trimEnd()}\n`);
    io.out(`public key, Base64 (what Klikoo's dashboard asks for):\n${report.publicKey.base64}\n`);
  }
  if (report.clockOffsetMs !== undefined) {
    const seconds = Math.round(report.clockOffsetMs / 1000);
    io.out(
      `clock offset: ${seconds >= 0 ? '+' : ''}${seconds} s (the provider's Date header minus this machine's clock)\n`,
    );
  }
  if (report.token !== undefined) {
    io.out(`token:        ok, ${String(report.token.accessToken)} expires ${String(report.token.expiresAt)}\n`);
    return;
  }
  const { error } = report;
  if (error === undefined) return;
  io.err(`kunci: ${error.code}: ${error.message}\n`);
  io.err(`  likely cause: ${error.likelyCause}\n`);
}
