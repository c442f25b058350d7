import { join } from 'node:path';
import { entryNames } from '../../core/test/entry-names';
import * as otel from '../src';

describe('@kunci/opentelemetry entry point', () => {
  it('exactly these names (an API change must show here)', () => {
    expect(entryNames(join(__dirname, '..', 'src', 'index.ts'), otel)).toEqual({
      values: ['KUNCI_ATTRIBUTES', 'KUNCI_METRICS', 'KUNCI_SPANS', 'KunciInstrumentation'],
      types: ['KunciInstrumentationConfig'],
    });
  });

  it('carries no copy of @opentelemetry/api: a peer dependency only', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const manifest = require('../package.json') as Record<string, Record<string, string> | undefined>;
    expect(manifest.dependencies).toEqual({ '@kunci/core': '0.1.0' });
    expect(Object.keys(manifest.peerDependencies ?? {})).toEqual(['@opentelemetry/api']);
  });
});
