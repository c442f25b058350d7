import { join } from 'node:path';
import { fencedBlocks, ROOT, typeCheckBlocks } from '../../sdk/test/doc-blocks';

// The examples of docs/observability.md and of this package's README, type-checked as a reader's
// project compiles them: the Node SDK's set-up, registerInstrumentations, a channel subscriber.
const blocks = [join(ROOT, 'docs', 'observability.md'), join(ROOT, 'packages', 'opentelemetry', 'README.md')]
  .flatMap(fencedBlocks)
  .filter((block) => block.lang === 'ts');

describe('docs of @kunci/opentelemetry', () => {
  it('every ts block type-checks', () => {
    expect(blocks).toHaveLength(4);
    expect(typeCheckBlocks(blocks)).toEqual([]);
  });
});
