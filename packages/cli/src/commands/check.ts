import { isAuthError } from '@kunci/core';
import type { PublicKeyForm } from '@kunci/core/provider';
import { BUILT_IN_PROVIDERS } from '@kunci/sdk';
import { configDir, providerFromFile, publicHalf, type PublicHalf } from '../config-file';
import { likelyCause } from '../errors';
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
  /**
   * The provider's clock minus ours, as a TokenManager corrects it: measured from the `Date` header,
   * 0 when under a second (the header counts whole seconds, so a smaller difference is its rounding).
   */
  clockOffsetMs?: number;
  /** What the measurement allows: the header's second and the time the request took. */
  clockOffsetRangeMs?: { min: number; max: number };
  error?: { code: string; message: string; providerCode?: string; likelyCause: string };
}

/** A `Date` header counts whole seconds: a smaller difference is its rounding (the TokenManager's rule). */
const DATE_HEADER_RESOLUTION_MS = 1_000;

/**
 * The clock offset a `Date` header shows. The provider stamped it between `sentAt` and
 * `receivedAt` (local clock) and cut it to the second, so its clock then read from the header's
 * value to a second more.
 */
export function clockOffset(
  serverDate: Date,
  sentAt: number,
  receivedAt: Date,
): Pick<CheckReport, 'clockOffsetMs' | 'clockOffsetRangeMs'> {
  const measured = serverDate.getTime() - receivedAt.getTime();
  if (!Number.isFinite(measured)) return {};
  return {
    clockOffsetMs: Math.abs(measured) > DATE_HEADER_RESOLUTION_MS ? measured : 0,
    clockOffsetRangeMs: { min: measured, max: serverDate.getTime() + DATE_HEADER_RESOLUTION_MS - sentAt },
  };
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
  const sentAt = Date.now();
  try {
    const token = await provider.fetchToken(undefined, {
      onResponse: (info) => {
        if (info.serverDate !== undefined) Object.assign(report, clockOffset(info.serverDate, sentAt, info.receivedAt));
      },
    });
    report.token = describeToken(token, false);
  } catch (error) {
    if (!isAuthError(error)) throw error;
    report.error = {
      code: error.code,
      message: error.message,
      ...(error.providerCode !== undefined ? { providerCode: error.providerCode } : {}),
      likelyCause: likelyCause(error),
    };
  }
  if (options.json === true) io.out(json(report));
  else printCheck(io, report, path);
  return report.error === undefined;
}

/** The forms of the public key the provider's onboarding asks for, in its words; PEM for a provider that names none. */
function publicKeyForms(provider: string): readonly PublicKeyForm[] {
  const definition = Object.values(BUILT_IN_PROVIDERS).find((d) => d.name === provider);
  return definition?.signing?.publicKeyForms ?? [{ encoding: 'pem', label: 'PEM' }];
}

function printCheck(io: Io, report: CheckReport, path: string): void {
  io.out(`entry:        ${report.entry} in ${path} (valid)\n`);
  io.out(`provider:     ${report.provider}, client ${report.clientId}\n`);
  if (report.publicKey !== undefined) {
    io.out(`public key:   ${report.publicKey.fingerprint}\n`);
    for (const form of publicKeyForms(report.provider))
      io.out(`public key, ${form.label}:\n${report.publicKey[form.encoding].trimEnd()}\n`);
  }
  if (report.clockOffsetMs !== undefined && report.clockOffsetRangeMs !== undefined) {
    const signed = (ms: number): string => `${ms > 0 ? '+' : ms < 0 ? '−' : ''}${Math.abs(ms)} ms`;
    const { min, max } = report.clockOffsetRangeMs;
    io.out(
      `clock offset: ${signed(report.clockOffsetMs)} (the provider's clock minus this machine's, between ${signed(min)} and ${signed(max)}; its Date header counts whole seconds, so under a second counts as zero)\n`,
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
