import { join } from 'node:path';
import { differences, fencedBlocks, ROOT } from '../../sdk/test/doc-blocks';

// docs/inbound.md and this package's README: every ts block compiles against the workspace sources
// (npm run typecheck, from the copies under .doc-blocks/). What the node:http and Express blocks do
// runs in node-server.ts and express.test.ts.
describe('docs/inbound.md and the README examples', () => {
  it('every ts block is written, current, under .doc-blocks/ for npm run typecheck', () => {
    const blocks = [join(ROOT, 'docs', 'inbound.md'), join(ROOT, 'packages', 'inbound', 'README.md')]
      .flatMap(fencedBlocks)
      .filter((block) => block.lang === 'ts');
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    expect(differences(blocks)).toEqual([]);
  });
});
