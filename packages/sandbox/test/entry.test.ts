import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

describe('@kunci/sandbox entries', () => {
  it('the main entry (and the umbrella) never load nock; the ./nock entry does', () => {
    const loaded = (entry: string): string =>
      execFileSync(
        process.execPath,
        [
          '-r',
          './scripts/from-source.cjs',
          '-e',
          `require('${entry}'); process.stdout.write(String(Object.keys(require.cache).some((p) => p.includes('/node_modules/nock/'))))`,
        ],
        { cwd: ROOT, encoding: 'utf8' },
      );
    expect(loaded('@kunci/sandbox')).toBe('false');
    expect(loaded('@kunci/sdk')).toBe('false');
    expect(loaded('@kunci/sandbox/nock')).toBe('true');
  });
});
