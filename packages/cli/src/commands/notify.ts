import { generateKeyPair } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { readJsonFile } from '@kunci/core/provider';
import {
  NOTIFICATION_VARIANTS,
  SANDBOX_NOTIFICATIONS,
  startSandbox,
  type NotificationVariant,
  type NotifyResult,
  type Sandbox,
  type SandboxProvider,
} from '@kunci/sandbox';
import { UsageError } from '../errors';
import { json, table } from '../format';
import { progress, type Io } from '../io';
import { writePrivateFile } from '../secret-file';
import { bodyOption } from './sign';

export interface NotifyCommandOptions {
  url: string;
  provider?: string;
  scheme?: string;
  variant?: string;
  allVariants?: boolean;
  tokenUrl?: string;
  body?: string;
  credentials?: string;
  timeout?: string;
  json?: boolean;
}

const generateRsa = promisify(generateKeyPair);

let clientKey: Promise<string> | undefined;

/**
 * One RSA pair for every client of the short-lived sandboxes this command starts (only the
 * notifier's side is used), generated once per process: a process that runs the command again
 * (a test suite) spares the generation, as the sandbox spares its own.
 */
function clientKeyPem(): Promise<string> {
  if (clientKey === undefined) {
    clientKey = generateRsa('rsa', { modulusLength: 2048 }).then(({ privateKey }) =>
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
    // A generation that failed is not kept: the next run tries again.
    clientKey.catch(() => (clientKey = undefined));
  }
  return clientKey;
}

/** The providers that send notifications, the default first. */
export const NOTIFYING_PROVIDERS = Object.keys(SANDBOX_NOTIFICATIONS) as SandboxProvider[];

/**
 * The credentials file: the sandbox's side (its private key, its secrets) and the config each
 * scheme's backend verifies it with. Written once, read by every later run.
 */
interface CredentialsFile {
  provider: string;
  sender: unknown;
  inbound: Record<string, unknown>;
}

export interface NotifyReport {
  provider: string;
  scheme: string;
  url: string;
  /** The file holding the credentials and the backend's inbound config (secrets: never printed). */
  credentials: string;
  /** Whether the file was written by this run (the backend must be given its inbound config). */
  created: boolean;
  results: NotifyResult[];
  /** Every answer was the right one. */
  right: boolean;
}

function absoluteUrl(option: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    // reported below
  }
  throw new UsageError(`${option} must be an absolute http(s) URL, e.g. http://127.0.0.1:3000/v1.0/debit/notify`);
}

function choose(options: NotifyCommandOptions): {
  provider: SandboxProvider;
  scheme: string;
  variants: NotificationVariant[];
} {
  const provider = (options.provider ?? NOTIFYING_PROVIDERS[0] ?? '') as SandboxProvider;
  const schemes = SANDBOX_NOTIFICATIONS[provider];
  if (schemes === undefined)
    throw new UsageError(`--provider must be one of ${NOTIFYING_PROVIDERS.join(', ')} (got ${provider})`);
  const scheme = options.scheme ?? Object.keys(schemes)[0] ?? '';
  const known = schemes[scheme];
  if (known === undefined)
    throw new UsageError(`--scheme must be one of ${Object.keys(schemes).join(', ')} for ${provider} (got ${scheme})`);
  if (options.allVariants === true) {
    if (options.variant !== undefined) throw new UsageError('--variant and --all-variants exclude each other');
    return { provider, scheme, variants: [...known] };
  }
  const variant = (options.variant ?? 'good') as NotificationVariant;
  if (!NOTIFICATION_VARIANTS.includes(variant))
    throw new UsageError(`--variant must be one of ${NOTIFICATION_VARIANTS.join(', ')} (got ${variant})`);
  if (!known.includes(variant))
    throw new UsageError(`--variant ${variant} means nothing for ${scheme} notifications (${known.join(', ')} do)`);
  return { provider, scheme, variants: [variant] };
}

/** The credentials file to read (it exists) or to write (a new one), checked before anything starts. */
function credentialsFile(
  io: Io,
  option: string | undefined,
  provider: string,
): { path: string; existing: CredentialsFile | undefined } {
  if (option === undefined)
    return { path: join(mkdtempSync(join(tmpdir(), 'kunci-notify-')), 'kunci-notify.json'), existing: undefined };
  const path = resolve(io.cwd, option);
  if (!existsSync(path)) {
    const dir = dirname(path);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new UsageError(`--credentials ${option}: the directory ${dir} does not exist`);
    return { path, existing: undefined };
  }
  const read = readJsonFile(path);
  if (!read.ok) throw new UsageError(`--credentials ${option}: the file ${read.problem}`);
  const value = read.value as Partial<CredentialsFile> | null;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof value.provider !== 'string' ||
    typeof value.sender !== 'object' ||
    value.sender === null
  )
    throw new UsageError(`--credentials ${option}: not a file kunci notify wrote (no provider and sender)`);
  if (value.provider !== provider)
    throw new UsageError(
      `--credentials ${option} holds ${value.provider}'s credentials: add --provider ${value.provider}, or name another file`,
    );
  return { path, existing: value as CredentialsFile };
}

/**
 * Sends one notification (or each variant) to the backend's route as the provider would, and
 * judges every answer. The provider's credentials come from `--credentials` when the file exists,
 * else they are generated and written there (mode 0600) with the inbound config the backend needs:
 * its path is printed, never its secrets.
 */
export async function runNotify(io: Io, options: NotifyCommandOptions): Promise<NotifyReport> {
  const url = absoluteUrl('--url', options.url);
  const tokenUrl = options.tokenUrl === undefined ? undefined : absoluteUrl('--token-url', options.tokenUrl);
  const timeoutMs = options.timeout === undefined ? undefined : Number(options.timeout);
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000))
    throw new UsageError(`--timeout must be milliseconds from 1 to 600000 (got ${options.timeout ?? ''})`);
  const { provider, scheme, variants } = choose(options);
  const bodyText = bodyOption(io, options.body) as string | undefined;
  const body: unknown = bodyText === undefined ? undefined : JSON.parse(bodyText);
  const file = credentialsFile(io, options.credentials, provider);

  progress(
    io,
    file.existing === undefined ? 'generating the provider side (RSA-2048 keys)' : 'reading the credentials',
  );
  const sandbox: Sandbox = await startSandbox({
    privateKey: await clientKeyPem(),
    ...(file.existing !== undefined ? { notifyCredentials: { [provider]: file.existing.sender } } : {}),
  });
  try {
    if (file.existing === undefined) {
      const schemes = Object.keys(SANDBOX_NOTIFICATIONS[provider] ?? {});
      const written: CredentialsFile = {
        provider,
        sender: sandbox.notifyCredentials(provider),
        inbound: Object.fromEntries(schemes.map((name) => [name, sandbox.inboundConfig(provider, name)])),
      };
      try {
        writePrivateFile(file.path, json(written), false);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        throw new UsageError(
          `--credentials ${file.path} cannot be written (${typeof code === 'string' ? code : 'error'})`,
        );
      }
    }
    const results: NotifyResult[] = [];
    for (const variant of variants) {
      progress(io, `sending a ${variant} notification`);
      results.push(
        await sandbox.notify({
          provider,
          scheme,
          variant,
          url,
          ...(tokenUrl !== undefined ? { tokenUrl } : {}),
          ...(body !== undefined ? { body } : {}),
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        }),
      );
    }
    return {
      provider,
      scheme,
      url,
      credentials: file.path,
      created: file.existing === undefined,
      results,
      right: results.every((result) => result.right),
    };
  } finally {
    await sandbox.close();
  }
}

const answerText = (result: NotifyResult): string =>
  result.answers.length === 0
    ? '(none)'
    : result.answers
        .map((a) => [String(a.status), a.code, a.message].filter((part) => part !== undefined && part !== '').join(' '))
        .join(', then ');

export function printNotify(io: Io, report: NotifyReport, asJson: boolean): void {
  if (asJson) {
    io.out(json(report));
    return;
  }
  io.out(`kunci notify: ${report.provider} ${report.scheme} notifications to ${report.url}\n`);
  io.out(`credentials (mode 0600): ${report.credentials}\n`);
  if (report.created)
    io.out(
      `  new: give the backend's createInbound the "inbound"."${report.scheme}" entry of that file (its public key, client id and secrets), then run again with --credentials ${report.credentials}\n`,
    );
  io.out('\n');
  const rows = report.results.map((r) => [
    r.variant,
    answerText(r),
    r.expected.join(', then ') || '-',
    r.right ? 'right' : 'WRONG',
  ]);
  io.out(`${table(['variant', 'answer', 'expected', 'verdict'], rows)}\n\n`);
  const wrong = report.results.filter((r) => !r.right);
  if (wrong.length === 0) io.out('every answer was the right one\n');
  else {
    io.out(`${wrong.length} of ${report.results.length} wrong:\n`);
    for (const r of wrong) io.out(`  ${r.variant}: ${r.problem ?? ''}\n`);
  }
}
