// `npm run bench`: builds, then measures the built packages (dist, through the workspace links).
// A benchmark, not a test: it prints one table and writes it into docs/performance.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchCachedGetToken } from './cached-get-token.mjs';
import { benchColdSingleFlight } from './cold-single-flight.mjs';
import { benchFleet } from './fleet.mjs';
import { environment, renderReport, withResults } from './lib/report.mjs';
import { benchMemory } from './memory.mjs';

const DOC = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
const started = performance.now();
const step = (name) => process.stderr.write(`bench: ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);

step('cached getToken()');
const cached = await benchCachedGetToken({ samples: 15 });
step('cold single flight');
const cold = await benchColdSingleFlight({ samples: 15 });
step('memory, in a child process with --expose-gc');
const memory = await benchMemory({ samples: 7 });
step('fleet: 4 processes, with Redis and each alone');
const fleet = await benchFleet({ samples: 5 });
step('done');

const report = renderReport(environment('npm run bench'), { cached, cold, memory, fleet });
process.stdout.write(`\n${report}\n\n`);
const document = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Performance\n';
writeFileSync(DOC, withResults(document, report));
process.stderr.write(`bench: the table is in ${DOC}\n`);
