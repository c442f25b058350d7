import { isAbsolute, resolve } from 'node:path';
import { configError, KUNCI, readJsonFile } from '@kunci/core/provider';

// Reading a config source (a `kunci.config.json`), shared by the providers' and the store's readers.

export function readConfigFile(path: string): unknown {
  const read = readJsonFile(path);
  if (!read.ok) throw configError(KUNCI, [`the config file ${path} ${read.problem}`]);
  return read.value;
}

function anchorFileReference(value: unknown, baseDir: string): unknown {
  const relative = typeof value === 'string' && value.startsWith('file:') ? value.slice(5).trim() : undefined;
  return relative !== undefined && relative !== '' && !isAbsolute(relative)
    ? `file:${resolve(baseDir, relative)}`
    : value;
}

// A `file:` reference in a config file is relative to the file, as a reader of the file expects.
export function anchorFileReferences(entry: unknown, baseDir: string): unknown {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return entry;
  // fromEntries defines own properties: a "__proto__" field stays a field, reported as unknown.
  return Object.fromEntries(
    Object.entries(entry).map(([field, value]) => [
      field,
      Array.isArray(value)
        ? value.map((item) => anchorFileReference(item, baseDir))
        : anchorFileReference(value, baseDir),
    ]),
  );
}
