import { getMetadataStorage } from 'class-validator';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import type { ConfigClass } from './types';

// class-transformer keeps `@Type` metadata in a storage its main entry does not export.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: MetadataStorage;
};

/** Options set at run time (functions and instances), beside the validated ones. */
const RUNTIME_OPTIONS = ['httpClient', 'clock'];

/**
 * Every option of a config class by dot path, nested option objects included: read from the
 * class's validation rules (and class-transformer's `@Type` for nested objects), so a new field is
 * covered without a list to keep up to date. `objects` are the paths that take an option object.
 */
export function configFieldPaths(cls: ConfigClass, prefix = ''): { fields: string[]; objects: string[] } {
  const names = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false)
      .map((rule) => rule.propertyName),
  );
  const fields: string[] = [];
  const objects: string[] = [];
  for (const name of names) {
    const path = `${prefix}${name}`;
    fields.push(path);
    const nested = defaultMetadataStorage.findTypeMetadata(cls, name)?.typeFunction() as ConfigClass | undefined;
    if (nested !== undefined) {
      objects.push(path);
      const inner = configFieldPaths(nested, `${path}.`);
      fields.push(...inner.fields);
      objects.push(...inner.objects);
    }
  }
  if (prefix === '') fields.push(...RUNTIME_OPTIONS);
  return { fields, objects };
}

/** A copy of `config` with the option at `path` set to `value` (creating its parent objects). */
export function withOption(config: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...config, [head]: value };
  const parent = config[head];
  return {
    ...config,
    [head]: withOption(
      typeof parent === 'object' && parent !== null ? (parent as Record<string, unknown>) : {},
      rest.join('.'),
      value,
    ),
  };
}
