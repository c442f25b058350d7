import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

describe('@kunci/sandbox entries', () => {
  it('the main entry (and the umbrella) never load nock; the ./nock entry does', () => {
    // One process loads the entries in turn and says after each whether nock is loaded yet: absent
    // after the main entry and the umbrella, neither of them loads it; present after ./nock, it does.
    const script = `
      const nockLoaded = () => Object.keys(require.cache).some((p) => p.includes('/node_modules/nock/'));
      const entries = ['@kunci/sandbox', '@kunci/sdk', '@kunci/sandbox/nock'];
      process.stdout.write(JSON.stringify(entries.map((entry) => (require(entry), [entry, nockLoaded()]))));
    `;
    const loaded = execFileSync(process.execPath, ['-r', './scripts/from-source.cjs', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(JSON.parse(loaded)).toEqual([
      ['@kunci/sandbox', false],
      ['@kunci/sdk', false],
      ['@kunci/sandbox/nock', true],
    ]);
  });
});
