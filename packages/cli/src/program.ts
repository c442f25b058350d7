import { Command, CommanderError, Option } from 'commander';
import { runCheck } from './commands/check';
import { printDemo, runDemo } from './commands/demo';
import { runKeygen } from './commands/keygen';
import { NOTIFYING_PROVIDERS, printNotify, runNotify } from './commands/notify';
import { runSandbox } from './commands/sandbox';
import { NOTIFICATION_VARIANTS } from '@kunci/sandbox';
import { BUILT_IN_PROVIDERS } from '@kunci/sdk';
import { runSign, SIGNING_PROVIDERS } from './commands/sign';
import { runToken } from './commands/token';
import { DEFAULT_CONFIG } from './config-file';
import { EXIT, reportError, UsageError } from './errors';
import type { Io } from './io';

const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  the provider or the network failed (the error's code says which)
  2  usage or config error`;

/** Resolves when the sandbox command is told to stop (Ctrl-C or SIGTERM). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** "A, B and C". */
const listed = (items: readonly string[]): string =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;

const TITLES = listed(Object.values(BUILT_IN_PROVIDERS).map((definition) => definition.title));
const SIGNING = [...SIGNING_PROVIDERS];
const TITLE_OF = new Map(Object.values(BUILT_IN_PROVIDERS).map((definition) => [definition.name, definition.title]));

function buildProgram(io: Io, setExit: (code: number) => void, json: boolean, usage: string[]): Command {
  const program = new Command('kunci')
    .description(`kunci: access tokens for ${TITLES}; a local sandbox; onboarding checks`)
    .version('0.1.0')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(kunci --help lists the commands)')
    // Under --json, commander's own complaint becomes the message of the one JSON error object.
    .configureOutput({ writeOut: io.out, writeErr: json ? (text) => void usage.push(text) : io.err })
    .exitOverride();
  const configOption = (): Option => new Option('-c, --config <file>', 'the kunci config file').default(DEFAULT_CONFIG);

  program
    .command('demo')
    .description('start a sandbox and fetch a token for every flow through a TokenManager (no credentials needed)')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => printDemo(io, await runDemo(io), options.json === true));

  program
    .command('token')
    .description('fetch a token through a named provider of a config file')
    .argument('<name>', 'the provider entry of the config file')
    .addOption(configOption())
    .option('--auth-code <code>', 'B2B2C: the customer binding id')
    .option('--json', 'print one JSON document')
    .option('--reveal', 'print the tokens unmasked')
    .action((name: string, options: Parameters<typeof runToken>[2]) => runToken(io, name, options));

  program
    .command('check')
    .description(
      "onboarding: validate an entry, print its key's public half and fingerprint, fetch a token, report the clock offset",
    )
    .argument('<name>', 'the provider entry of the config file')
    .addOption(configOption())
    .option('--json', 'print one JSON document')
    .action(async (name: string, options: Parameters<typeof runCheck>[2]) => {
      if (!(await runCheck(io, name, options))) setExit(EXIT.FAILURE);
    });

  program
    .command('sandbox')
    .description('run the sandbox in the foreground and write its ready config')
    .option('-p, --port <port>', 'the port (default: a free one)')
    .option('--host <host>', 'the interface', '127.0.0.1')
    .option(
      '--config-out <file>',
      'write the config (secrets included, mode 0600) here; default: a new file in a new temporary directory',
    )
    .option('--force', 'with --config-out: replace an existing file')
    .option(
      '--public-key <ref>',
      'also accept this RSA public key (file:PATH, env:NAME or the PEM): one client for each provider that signs with a key',
    )
    .option('--json', 'print the URLs and the config path as one JSON line')
    .action(async (options: Parameters<typeof runSandbox>[1]) => {
      const sandbox = await runSandbox(io, options);
      await untilSignal();
      await sandbox.close();
    });

  program
    .command('keygen')
    .description('generate an RSA-2048 pair: private.pem (PKCS#8, 0600), public.pem (SPKI), public.base64.txt')
    .option('-o, --out <dir>', 'the directory', '.')
    .option('--json', 'print one JSON document')
    .action((options: Parameters<typeof runKeygen>[1]) => runKeygen(io, options));

  program
    .command('sign')
    .description(
      'print the timestamp, string to sign and signature of a token request, or of an API call (--service), to debug a rejected signature',
    )
    .addOption(
      new Option('--provider <name>', 'the provider').choices(SIGNING.map(([name]) => name)).makeOptionMandatory(),
    )
    .option(
      '--client-id <id>',
      `token request: the client id (${SIGNING.map(([name, s]) => `${TITLE_OF.get(name) ?? name}: ${s.clientIdField}`).join('; ')})`,
    )
    .option('--private-key <ref>', 'token request: file:PATH, env:NAME, or the PEM itself')
    .option('--passphrase <ref>', 'token request: the private key passphrase')
    .option(
      '--service',
      `sign an API call after the token (${[...new Set(SIGNING.map(([, s]) => s.service.signatureHeader))].join(' / ')}) instead of a token request`,
    )
    .option('--method <method>', 'API call: the HTTP method', 'POST')
    .option('--url <path>', 'API call: the path and query as sent (/v1/x?a=1), or the full URL')
    .option('--body <json>', 'API call: the JSON body, or @FILE')
    .option(
      '--access-token <ref>',
      'API call: the bearer token (env:NAME, file:PATH or the value); masked in the output unless --reveal',
    )
    .option('--client-secret <ref>', 'API call: the client secret (env:NAME, file:PATH or the value)')
    .option('--exclude-query', 'API call: sign the path without its query (signing.includeQuery: false)')
    .option('--empty-body <text>', "API call: what a call without a body hashes, '' or '{}' (signing.emptyBody)")
    .option('--method-case <case>', 'API call: upper or lower (signing.methodCase)')
    .option('--reveal', 'API call: print the access token in the string to sign')
    .option('--timestamp <timestamp>', 'sign this timestamp instead of now (2026-11-22T10:15:30+07:00)')
    .option('--json', 'print { "timestamp", "stringToSign", "signature" }')
    .action((options: Parameters<typeof runSign>[1]) => runSign(io, options));

  program
    .command('notify')
    .description(
      "play the provider: send a signed notification (or each bad variant) to your backend's route and judge its answers",
    )
    .requiredOption(
      '--url <url>',
      "the backend's notification route, absolute (http://127.0.0.1:3000/v1.0/debit/notify)",
    )
    .option(
      '--provider <name>',
      `the provider that notifies: ${NOTIFYING_PROVIDERS.join(', ')}`,
      NOTIFYING_PROVIDERS[0],
    )
    .option('--scheme <scheme>', "the provider's notification scheme (default: the first the provider lists)")
    .option('--variant <variant>', `one of ${NOTIFICATION_VARIANTS.join(', ')}`, undefined)
    .option('--all-variants', 'send every variant the scheme has, one after the other')
    .option(
      '--token-url <url>',
      "symmetric: the backend's token route (default …/v1.0/access-token/b2b on the url's host)",
    )
    .option('--body <json>', 'the notification body, JSON or @FILE (default an example)')
    .option(
      '--credentials <file>',
      "the provider side's credentials and the backend's inbound config: read when the file exists, else generated and written there (mode 0600); default: a new file in a new temporary directory",
    )
    .option('--timeout <ms>', 'how long to wait for each answer', '10000')
    .option('--json', 'print one JSON document')
    .action(async (options: Parameters<typeof runNotify>[1]) => {
      const report = await runNotify(io, options);
      printNotify(io, report, options.json === true);
      if (!report.right) setExit(EXIT.FAILURE);
    });

  return program;
}

/** Runs the CLI with arguments (without `node` and the script); resolves the exit code. */
export async function run(args: readonly string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.OK;
  // Before any parsing: a failure to parse is reported as JSON too.
  const end = args.indexOf('--');
  const json = (end === -1 ? args : args.slice(0, end)).includes('--json');
  const usage: string[] = [];
  const program = buildProgram(
    io,
    (code) => {
      exitCode = code;
    },
    json,
    usage,
  );
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are exit 0; anything else commander refuses is a usage error.
      if (error.exitCode === 0) return EXIT.OK;
      if (json)
        return reportError(
          io,
          new UsageError(
            usage
              .join('')
              .replace(/^error: /, '')
              .trim() || error.message,
          ),
          true,
        );
      return EXIT.USAGE;
    }
    return reportError(io, error, json);
  }
}
