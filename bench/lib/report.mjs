import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { median } from './stats.mjs';

const fixed = (digits) => (value) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (value) => `${value.toFixed(2)}x`;
const count = (value) => value.toLocaleString('en-US');

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line !== undefined) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: os.cpus() names the model too
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function environment(command) {
  return {
    command,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    node: process.version,
    nproc: availableParallelism(),
    cpu: cpuModel(),
  };
}

function table(rows, align) {
  const lines = rows.map((cells) => `| ${cells.join(' | ')} |`);
  lines.splice(1, 0, `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`);
  return lines.join('\n');
}

/** Every target of the run, met or not: what `--check` fails on. */
export function targets({ cached, cold, stampede, memory, fleet, signing, instrumented }) {
  const list = [];
  const kunci = cached.results.kunci;
  list.push({ name: 'cached getToken() ≤ 2x the baseline', met: kunci.ratio <= 2 });
  for (const peer of Object.keys(cached.paths)) {
    list.push({ name: `cached getToken() ahead of ${peer}`, met: kunci.ratio < cached.results[peer].ratio });
  }
  for (const [flow, r] of Object.entries(cold.results))
    list.push({ name: `cold fetch ${flow} ≤ 1.2x bare axios`, met: r.kunci.ratio <= 1.2 });
  list.push({ name: 'stampede: 1 upstream request', met: stampede.kunci.upstream === 1 });
  list.push({ name: 'memory ≤ 1,024 B per customer', met: memory.subject <= 1024 });
  if (fleet.redis !== undefined)
    list.push({ name: 'fleet with Redis: 1 upstream request', met: fleet.redis.upstream === 1 });
  for (const [provider, r] of Object.entries(signing.results))
    list.push({
      name: `service-call signing ${provider} ≤ 1.5x the same signature by hand`,
      met: r.kunci.overFloor <= 1.5,
    });
  if (instrumented !== undefined) {
    list.push({
      name: 'cached getToken() with KunciInstrumentation ≤ 1.5x without',
      met: instrumentedOverPlain(instrumented) <= 1.5,
    });
    list.push({ name: 'a cached getToken() makes no span', met: instrumented.spansDuringCachedRuns === 0 });
  }
  return list;
}

/** The cached read with the instrumentation over the same read without it (per-sample ratios, their median). */
function instrumentedOverPlain(instrumented) {
  const { 'with instrumentation': on, 'without instrumentation': off } = instrumented.results;
  return median(on.values.map((value, i) => value / off.values[i]));
}

function instrumentationTable(instrumented) {
  const rows = [['cached token read, OpenTelemetry', 'ns per awaited call', 'ratio to baseline', 'target']];
  const { results } = instrumented;
  rows.push(['baseline (Map.get + expiry check)', fixed(1)(results.baseline.median), '1.00x', '—']);
  rows.push([
    'kunci, no subscriber',
    fixed(1)(results['without instrumentation'].median),
    ratio(results['without instrumentation'].ratio),
    '—',
  ]);
  const over = instrumentedOverPlain(instrumented);
  rows.push([
    'kunci, KunciInstrumentation registered',
    fixed(1)(results['with instrumentation'].median),
    ratio(results['with instrumentation'].ratio),
    `≤ 1.5x without (${ratio(over)}): ${met(over <= 1.5)}; spans: ${instrumented.spansDuringCachedRuns}`,
  ]);
  return table(rows, ['l', 'r', 'r', 'l']);
}

const met = (ok) => (ok ? 'met' : '**missed**');

function cachedTable(cached) {
  const kunci = cached.results.kunci;
  const rows = [['cached token read', 'ns per awaited call', 'ratio to baseline', 'target']];
  rows.push([
    'kunci `TokenManager.getToken()`',
    fixed(1)(kunci.median),
    ratio(kunci.ratio),
    `≤ 2x: ${met(kunci.ratio <= 2)}`,
  ]);
  rows.push([
    'baseline: awaited async `Map.get` + expiry check',
    fixed(1)(cached.results.baseline.median),
    '1.00x',
    '—',
  ]);
  for (const [peer, path] of Object.entries(cached.paths)) {
    const r = cached.results[peer];
    rows.push([`${peer}: ${path}`, fixed(1)(r.median), ratio(r.ratio), `kunci ahead: ${met(kunci.ratio < r.ratio)}`]);
  }
  return table(rows, ['l', 'r', 'r', 'l']);
}

function coldTable(cold) {
  const rows = [
    [
      'cold fetch, µs per token request',
      'kunci `fetchToken()`',
      'bare axios POST',
      'raw `node:http`',
      'kunci / axios',
      'raw / axios',
      'target',
    ],
  ];
  for (const [flow, r] of Object.entries(cold.results)) {
    rows.push([
      `${flow} (${r.fetches} a sample)`,
      fixed(1)(r.kunci.median),
      fixed(1)(r.axios.median),
      fixed(1)(r.raw.median),
      ratio(r.kunci.ratio),
      ratio(r.raw.ratio),
      `≤ 1.2x: ${met(r.kunci.ratio <= 1.2)}`,
    ]);
  }
  return table(rows, ['l', 'r', 'r', 'r', 'r', 'r', 'l']);
}

function stampedeTable(stampede) {
  const rows = [
    [
      'stampede: concurrent cold callers',
      'callers',
      'upstream requests (most in any sample)',
      'distinct tokens',
      'wall ms until all have one',
      'target',
    ],
  ];
  const k = stampede.kunci;
  rows.push([
    'kunci `TokenManager` (pivot-snap, RSA-signed)',
    count(k.callers),
    String(k.upstream),
    String(k.distinct),
    `${fixed(2)(k.ms)} (one bare \`fetchToken()\`: ${fixed(2)(k.baselineMs)})`,
    `1: ${met(k.upstream === 1)}`,
  ]);
  for (const [peer, r] of Object.entries(stampede.peers)) {
    rows.push([peer, count(r.callers), String(r.upstream), String(r.distinct), fixed(2)(r.ms), '—']);
  }
  return table(rows, ['l', 'r', 'r', 'r', 'r', 'l']);
}

function fleetAndMemoryTable(memory, fleet) {
  const rows = [['measure', 'kunci', 'baseline', 'kunci / baseline', 'target']];
  rows.push([
    `memory: heap bytes per cached B2B2C customer at ${count(memory.customers)}`,
    fixed(0)(memory.subject),
    `${fixed(0)(memory.baseline)} (the token objects alone in a \`Map\`)`,
    ratio(memory.ratio),
    `≤ 1,024 B: ${met(memory.subject <= 1024)}`,
  ]);
  const what = `${fleet.processes} processes x ${count(fleet.callers)} concurrent callers on a cold key`;
  if (fleet.skipped !== undefined) {
    rows.push([`fleet: ${what}`, `skipped: ${fleet.skipped}`, '—', '—', '—']);
  } else {
    rows.push([
      `fleet: upstream requests, ${what}`,
      `${fleet.redis.upstream} with Redis (most in any sample)`,
      `${fleet.alone.upstream} (each instance alone)`,
      '—',
      `1: ${met(fleet.redis.upstream === 1)}`,
    ]);
    rows.push([
      'fleet: wall ms until every caller of every process has the token',
      `${fixed(2)(fleet.redis.ms)} with Redis`,
      `${fixed(2)(fleet.alone.ms)} (each instance alone)`,
      ratio(fleet.redis.ms / fleet.alone.ms),
      '—',
    ]);
  }
  return table(rows, ['l', 'r', 'r', 'r', 'l']);
}

function signingTable(signing) {
  const rows = [
    [
      `service-call signing, ns per call (POST, ${signing.bodyBytes}-byte JSON body)`,
      'kunci `signRequest()`',
      'by hand (JSON.stringify, SHA-256 of the body, HMAC)',
      'bare HMAC-SHA512 of the finished string',
      'kunci / by hand',
      'kunci / HMAC',
      'by hand / HMAC',
      'target',
    ],
  ];
  for (const [provider, r] of Object.entries(signing.results)) {
    const overFloor = r.kunci.overFloor;
    rows.push([
      provider,
      fixed(0)(r.kunci.median),
      fixed(0)(r['by hand'].median),
      fixed(0)(r.hmac.median),
      ratio(overFloor),
      ratio(r.kunci.ratio),
      ratio(r['by hand'].ratio),
      `≤ 1.5x by hand: ${met(overFloor <= 1.5)}`,
    ]);
  }
  return table(rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']);
}

function inboundTable(inbound) {
  const rows = [
    [
      `inbound \`verify()\`, ns per notification (POST, ${inbound.bodyBytes}-byte pretty-printed JSON body, each new)`,
      'kunci `verify()`',
      'by hand (SHA-256 of the body, the string, the check)',
      'bare check of the finished string',
      'kunci / bare',
      'kunci / by hand',
    ],
  ];
  const bare = { asymmetric: '`crypto.verify` RSA-SHA256', symmetric: 'HMAC-SHA512 + `timingSafeEqual`' };
  for (const [scheme, r] of Object.entries(inbound.results)) {
    rows.push([
      `${scheme} (bare: ${bare[scheme]})`,
      fixed(0)(r.kunci.median),
      fixed(0)(r['by hand'].median),
      fixed(0)(r.bare.median),
      ratio(r.kunci.ratio),
      ratio(r.kunci.overFloor),
    ]);
  }
  return table(rows, ['l', 'r', 'r', 'r', 'r', 'r']);
}

/** The tables (Markdown, which reads as well in a terminal), with where and how they were measured above them. */
export function renderReport(env, results) {
  const { cached, cold, stampede, memory, fleet, signing, instrumented } = results;
  const all = targets(results);
  const missed = all.filter((t) => !t.met);
  return [
    `\`${env.command}\` on ${env.date}: Node ${env.node}, ${env.nproc} CPUs (${env.cpu})`,
    `Medians of ${cached.samples} (cached), ${cold.samples} (cold), ${stampede.kunci.samples} (stampede), ${memory.subjectValues.length} (memory)${fleet?.redis !== undefined ? `, ${fleet.redis.samples} (fleet)` : ''} and ${signing.samples} (signing) samples, the subjects taking turns; a ratio is the median of the per-sample ratios. Targets: ${all.length - missed.length} of ${all.length} met${missed.length > 0 ? `; missed: ${missed.map((t) => t.name).join('; ')}` : ''}.`,
    '',
    cachedTable(cached),
    '',
    coldTable(cold),
    '',
    stampedeTable(stampede),
    '',
    signingTable(signing),
    '',
    ...(results.inbound !== undefined ? [inboundTable(results.inbound), ''] : []),
    fleetAndMemoryTable(memory, fleet),
    ...(instrumented !== undefined ? ['', instrumentationTable(instrumented)] : []),
  ].join('\n');
}

/** Replaces the generated block of docs/performance.md (or appends one), keeping the prose around it. */
export function withResults(document, report, name = 'bench') {
  const START = `<!-- ${name}:results:start -->`;
  const END = `<!-- ${name}:results:end -->`;
  const block = `${START}\n${report}\n${END}`;
  const start = document.indexOf(START);
  const end = document.indexOf(END);
  if (start === -1 || end < start) return `${document.trimEnd()}\n\n${block}\n`;
  return `${document.slice(0, start)}${block}${document.slice(end + END.length)}`;
}
