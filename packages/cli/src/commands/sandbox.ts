import { resolve } from 'node:path';
import { SANDBOX_PROVIDERS, startSandbox, type Sandbox } from '@kunci/sandbox';
import { UsageError } from '../errors';
import { json } from '../format';
import type { Io } from '../io';
import { writePrivateFile } from '../secret-file';

export interface SandboxCommandOptions {
  port?: string;
  host?: string;
  configOut?: string;
  json?: boolean;
}

/** Starts the sandbox and writes its config; the caller keeps it running until a signal. */
export async function runSandbox(io: Io, options: SandboxCommandOptions): Promise<Sandbox> {
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be a whole number from 0 to 65535 (got ${options.port ?? ''})`);
  const sandbox = await startSandbox({ port, ...(options.host !== undefined ? { host: options.host } : {}) });
  const configOut = options.configOut !== undefined ? resolve(io.cwd, options.configOut) : undefined;
  if (configOut !== undefined) writePrivateFile(configOut, json(sandbox.config()), true);
  const baseUrls = Object.fromEntries(SANDBOX_PROVIDERS.map((provider) => [provider, sandbox.baseUrl(provider)]));
  if (options.json === true) {
    io.out(
      json({ url: sandbox.url, baseUrls, ...(configOut !== undefined ? { configOut } : {}) })
        .replace(/\n/g, ' ')
        .trimEnd() + '\n',
    );
    return sandbox;
  }
  io.out(`kunci sandbox listening on ${sandbox.url}\n`);
  for (const [provider, url] of Object.entries(baseUrls)) io.out(`  ${provider.padEnd(13)} ${url}\n`);
  if (configOut !== undefined)
    io.out(
      `config (with the generated secrets, mode 0600): ${configOut}\n  try: kunci token pivot-snap --config ${configOut}\n`,
    );
  io.out('Ctrl-C stops it.\n');
  return sandbox;
}
