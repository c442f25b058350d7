import { chmodSync, writeFileSync } from 'node:fs';

/** Writes a file only its owner can read (0600), creating it or, when allowed, replacing it. */
export function writePrivateFile(path: string, text: string, overwrite: boolean): void {
  writeFileSync(path, text, { mode: 0o600, flag: overwrite ? 'w' : 'wx' });
  // The mode of writeFileSync applies to a new file only.
  chmodSync(path, 0o600);
}
