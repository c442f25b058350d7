import { join } from 'node:path';
import { differences, fencedBlocks, ROOT } from '../../sdk/test/doc-blocks';

// The examples of docs/observability.md and of this package's README, type-checked as a reader's
// project compiles them (npm run typecheck, from the copies under .doc-blocks/): the Node SDK's
// set-up, registerInstrumentations, a channel subscriber.
const blocks = [join(ROOT, 'docs', 'observability.md'), join(ROOT, 'packages', 'opentelemetry', 'README.md')]
  .flatMap(fencedBlocks)
  .filter((block) => block.lang === 'ts');

describe('docs of @kunci/opentelemetry', () => {
  it('every ts block is written, current, under .doc-blocks/ for npm run typecheck', () => {
    expect(blocks).toHaveLength(4);
    expect(differences(blocks)).toEqual([]);
  });
});
