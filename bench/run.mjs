// `npm run bench [-- --write-docs] [-- --check]`: builds, then measures the built packages (dist,
// through the workspace links) beside the peers. A benchmark, not a test: it prints the tables and
// writes them to bench/out/; `--write-docs` also puts them into docs/performance.md, and `--check`
// exits 1 when a target is missed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchCachedGetToken } from './cached-get-token.mjs';
import { benchColdFetch } from './cold-fetch.mjs';
import { benchFleet } from './fleet.mjs';
import { benchInstrumentation } from './instrumentation.mjs';
import { benchInboundVerify } from './inbound-verify.mjs';
import { environment, renderReport, targets, withResults } from './lib/report.mjs';
import { benchMemory } from './memory.mjs';
import { benchServiceSigning } from './service-signing.mjs';
import { benchStampede } from './stampede.mjs';

const KNOWN = new Set(['--write-docs', '--check']);
const flags = process.argv.slice(2);
const unknown = flags.filter((flag) => !KNOWN.has(flag));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown option ${unknown.join(' ')} (known: ${[...KNOWN].join(', ')})\n`);
  process.exit(2);
}

const DOC = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const started = performance.now();
const step = (name) =>
  process.stderr.write(`bench: ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);

step('cached token read: kunci, the baseline and the peers');
const cached = await benchCachedGetToken({ samples: 11 });
step('cold fetch: kunci, bare axios and node:http for each flow');
const cold = await benchColdFetch({ samples: 11 });
step('stampede: 10,000 cold callers on kunci and on each peer');
const stampede = await benchStampede({ samples: 5 });
step('service-call signing');
const signing = await benchServiceSigning({ samples: 11 });
step('inbound verify: asymmetric and symmetric notifications');
const inbound = await benchInboundVerify({ samples: 7 });
step('memory, in a child process with --expose-gc');
const memory = await benchMemory({ samples: 5 });
step('fleet: 4 processes, with Redis and each alone');
const fleet = await benchFleet({ samples: 5 });
step('cached token read with and without KunciInstrumentation');
const instrumented = await benchInstrumentation({ samples: 11 });
step('done');

const results = { cached, cold, stampede, signing, inbound, memory, fleet, instrumented };
const command = `npm run bench${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}`;
const env = environment(command);
const report = renderReport(env, results);
process.stdout.write(`\n${report}\n\n`);
mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}results.md`, `${report}\n`);
writeFileSync(`${OUT}results.json`, `${JSON.stringify({ environment: env, ...results }, null, 2)}\n`);
process.stderr.write(`bench: written to ${OUT}results.md and results.json\n`);
if (flags.includes('--write-docs')) {
  const document = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Performance\n';
  writeFileSync(DOC, withResults(document, report));
  process.stderr.write(`bench: the tables are in ${DOC}\n`);
}
const missed = targets(results).filter((t) => !t.met);
if (flags.includes('--check') && missed.length > 0) {
  process.stderr.write(`bench: ${missed.length} target(s) missed: ${missed.map((t) => t.name).join('; ')}\n`);
  process.exitCode = 1;
}
