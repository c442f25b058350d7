import { readFileSync } from 'node:fs';

/** The config object, or the JSON of the file at a path, when it can be read; undefined when it cannot. */
export function rawConfig(config: unknown): Record<string, unknown> | undefined {
  let value = config;
  if (typeof config === 'string') {
    try {
      value = JSON.parse(readFileSync(config, 'utf8').replace(/^\uFEFF/, '')) as unknown;
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The provider names a config names, valid entries or not; a config that cannot be read names
 * none (it fails at bootstrap, with every problem, when the KunciService is built).
 */
export function configNames(config: unknown): string[] {
  const providers = rawConfig(config)?.providers;
  return typeof providers === 'object' && providers !== null && !Array.isArray(providers) ? Object.keys(providers) : [];
}
