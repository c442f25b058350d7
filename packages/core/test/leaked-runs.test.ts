import { leakedRuns, SeededRandom } from '../test-kit/hostile-bodies';

/** The definition leakedRuns must keep: every 8-character run of every value, looked up in the output. */
function leakedRunsByIndexOf(output: string, values: readonly string[], run = 8): string[] {
  const leaks = new Map<string, string>();
  for (const value of values) {
    for (let i = 0; i + run <= value.length; i++) {
      const piece = value.slice(i, i + run);
      const at = output.indexOf(piece);
      if (at !== -1 && !leaks.has(piece))
        leaks.set(piece, `${piece} in ${JSON.stringify(output.slice(Math.max(0, at - 60), at + 60))}`);
    }
  }
  return [...leaks.values()];
}

describe('leakedRuns, the redaction tests’ scan for planted values', () => {
  it('reports a run of a value wherever it appears: at the start, in the middle, at the very end', () => {
    const secret = 'S3cr3tValue-0123456789';
    expect(leakedRuns(`${secret.slice(0, 8)} and more`, [secret])).toEqual([
      `S3cr3tVa in ${JSON.stringify('S3cr3tVa and more')}`,
    ]);
    expect(leakedRuns(`text ${secret.slice(5, 13)} text`, [secret])).toHaveLength(1);
    expect(leakedRuns(`ends with ${secret.slice(-8)}`, [secret])).toEqual([
      `23456789 in ${JSON.stringify('ends with 23456789')}`,
    ]);
  });

  it('reports nothing for 7 characters of a value, a value shorter than a run, or an output shorter than one', () => {
    expect(leakedRuns('a S3cr3tV b', ['S3cr3tValue-0123456789'])).toEqual([]);
    expect(leakedRuns('short S3cr3t here', ['S3cr3t'])).toEqual([]);
    expect(leakedRuns('S3cr3t', ['S3cr3tValue'])).toEqual([]);
    expect(leakedRuns('', ['S3cr3tValue'])).toEqual([]);
    expect(leakedRuns('anything at all', [])).toEqual([]);
  });

  it('shows each run once, where it first appears, in the order of the values', () => {
    const output = `x${'ABCDEFGHIJ'} y ${'ABCDEFGH'} z 12345678`;
    expect(leakedRuns(output, ['12345678', 'ABCDEFGHIJ', 'ABCDEFGH'])).toEqual([
      `12345678 in ${JSON.stringify(output)}`,
      `ABCDEFGH in ${JSON.stringify(output)}`,
      `BCDEFGHI in ${JSON.stringify(output)}`,
      `CDEFGHIJ in ${JSON.stringify(output)}`,
    ]);
  });

  it('agrees with an indexOf per run on seeded random outputs and values (repeats, overlaps, non-ASCII)', () => {
    const random = SeededRandom.fromEnv();
    for (let round = 0; round < 300; round++) {
      // A small alphabet makes runs repeat and overlap; the last letters are outside Latin-1 and astral.
      const alphabet = random.pick(['ab', 'abc', 'abcdefgh', 'aé€😀b']);
      const output = random.string(random.int(400), alphabet);
      const values = Array.from({ length: random.int(5) }, () =>
        random.int(3) === 0
          ? output.slice(random.int(output.length + 1)).slice(0, 6 + random.int(20))
          : random.string(random.int(24), alphabet),
      );
      const run = random.pick([8, 8, 8, 1, 3, 12]);
      const context = { seed: random.seed, round, output, values, run };
      expect({ ...context, leaks: leakedRuns(output, values, run) }).toEqual({
        ...context,
        leaks: leakedRunsByIndexOf(output, values, run),
      });
    }
  });
});
