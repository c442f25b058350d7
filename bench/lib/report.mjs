import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const fixed = (digits) => (value) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (value) => `${value.toFixed(2)}x`;

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line !== undefined) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: os.cpus() names the model too
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function environment(command) {
  return { command, date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), node: process.version, nproc: availableParallelism(), cpu: cpuModel() };
}

/** The fleet measure: 4 processes on one Redis against the same 4 each alone, in the same run. */
function fleetRows(fleet, met) {
  if (fleet === undefined) return [];
  const what = `${fleet.processes} processes x ${fleet.callers.toLocaleString('en-US')} concurrent callers on a cold key`;
  if (fleet.skipped !== undefined) return [[`fleet: ${what}`, `skipped: ${fleet.skipped}`, '—', '—', '—']];
  return [
    [
      `fleet: upstream requests, ${what}`,
      `${fleet.redis.upstream} with Redis (most in any sample)`,
      `${fleet.alone.upstream} (each instance alone)`,
      '—',
      `1: ${met(fleet.redis.upstream === 1)}`,
    ],
    [
      `fleet: wall ms until every caller of every process has the token`,
      `${fixed(2)(fleet.redis.ms)} with Redis`,
      `${fixed(2)(fleet.alone.ms)} (each instance alone)`,
      ratio(fleet.redis.ms / fleet.alone.ms),
      '—',
    ],
  ];
}

/** One Markdown table (it reads as well in a terminal), with where and how it was measured above it. */
export function renderReport(env, { cached, cold, memory, fleet }) {
  const met = (ok) => (ok ? 'met' : '**missed**');
  const maxUpstream = Math.max(...cold.upstream);
  const rows = [
    ['measure', 'kunci', 'baseline', 'kunci / baseline', 'target'],
    [
      `cached \`getToken()\`, ns per awaited call (${cached.calls.toLocaleString('en-US')} calls a sample)`,
      fixed(1)(cached.subject),
      `${fixed(1)(cached.baseline)} (awaited async \`Map.get\` + expiry check)`,
      ratio(cached.ratio),
      `≤ 2x: ${met(cached.ratio <= 2)}`,
    ],
    [
      `cold single flight: upstream requests for ${cold.callers.toLocaleString('en-US')} concurrent callers`,
      `${maxUpstream} (most in any sample)`,
      '1 (one bare `provider.fetchToken()`)',
      '—',
      `1: ${met(maxUpstream === 1)}`,
    ],
    [
      `cold single flight: wall ms until all ${cold.callers.toLocaleString('en-US')} callers have the token`,
      fixed(2)(cold.subject),
      `${fixed(2)(cold.baseline)} (one bare \`provider.fetchToken()\`)`,
      ratio(cold.ratio),
      '—',
    ],
    [
      `memory: heap bytes per cached B2B2C customer at ${memory.customers.toLocaleString('en-US')}`,
      fixed(0)(memory.subject),
      `${fixed(0)(memory.baseline)} (the token objects alone in a \`Map\`)`,
      ratio(memory.ratio),
      `≤ 1,024 B: ${met(memory.subject <= 1024)}`,
    ],
    ...fleetRows(fleet, met),
  ];
  const table = rows.map((cells) => `| ${cells.join(' | ')} |`);
  table.splice(1, 0, '|---|---:|---:|---:|---|');
  return [
    `\`${env.command}\` on ${env.date}: Node ${env.node}, ${env.nproc} CPUs (${env.cpu})`,
    `Medians of ${cached.subjectValues.length} (cached), ${cold.subjectValues.length} (cold), ${memory.subjectValues.length} (memory)${fleet?.redis !== undefined ? ` and ${fleet.redis.samples} (fleet)` : ''} samples, kunci and baseline alternating; the ratio is the median of the per-sample ratios (for the fleet, of the medians).`,
    '',
    ...table,
  ].join('\n');
}

/** Replaces the generated block of docs/performance.md (or appends one), keeping the prose around it. */
export function withResults(document, report) {
  const block = `${START}\n${report}\n${END}`;
  const start = document.indexOf(START);
  const end = document.indexOf(END);
  if (start === -1 || end < start) return `${document.trimEnd()}\n\n${block}\n`;
  return `${document.slice(0, start)}${block}${document.slice(end + END.length)}`;
}
