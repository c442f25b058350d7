import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// scripts/check-import-circles.mjs, run by `npm run lint`, on small source trees written here.
const SCRIPT = resolve(__dirname, '../../../scripts/check-import-circles.mjs');

function runOn(files: Record<string, string>): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kunci-circles-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const run = spawnSync(process.execPath, [SCRIPT, join(dir, 'a', 'src'), join(dir, 'b', 'src')], {
      encoding: 'utf8',
    });
    return { status: run.status, out: `${run.stdout}${run.stderr}`.replaceAll(dir, '<dir>') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/check-import-circles.mjs', () => {
  it('fails on a circle of relative imports, a type-only or re-exporting link included, and names its files', () => {
    const { status, out } = runOn({
      'a/src/one.ts': "import { two } from './two';\nexport const one = () => two;\n",
      'a/src/two.ts': "export { three as two } from './nested/three';\n",
      'a/src/nested/three.ts': "import type { one } from '../one';\nexport const three = 3 as unknown as typeof one;\n",
      'b/src/index.ts': "import { one } from '@kunci/a';\nexport const b = one;\n",
    });
    expect(status).toBe(1);
    expect(out).toContain('import circles: 1');
    expect(out).toContain('<dir>/a/src/nested/three.ts <-> <dir>/a/src/one.ts <-> <dir>/a/src/two.ts');
    expect(out).not.toContain('b/src');
  });

  it('finds a circle through an index file and a require', () => {
    const { status, out } = runOn({
      'a/src/index.ts': "export { leaf } from './leaf';\n",
      'a/src/leaf.ts': "const again = require('.') as unknown;\nexport const leaf = again;\n",
      'b/src/x.ts': 'export const x = 1;\n',
    });
    expect(status).toBe(1);
    expect(out).toContain('<dir>/a/src/index.ts <-> <dir>/a/src/leaf.ts');
  });

  it('passes a tree whose imports go one way, package imports included', () => {
    const { status, out } = runOn({
      'a/src/one.ts': "import { two } from './two';\nimport axios from 'axios';\nexport const one = [two, axios];\n",
      'a/src/two.ts': 'export const two = 2;\n',
      'b/src/index.ts':
        "import { one } from '@kunci/a';\nimport { two } from '../../a/src/two';\nexport const b = [one, two];\n",
    });
    expect(out).toContain('import circles: none in 3 files');
    expect(status).toBe(0);
  });
});
