import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./memory-child.mjs', import.meta.url));

/** Heap per cached B2B2C customer, in a child process: it needs --expose-gc and a heap of its own. */
export function benchMemory({ samples }) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', CHILD, String(samples)],
      { maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`memory bench failed: ${stderr || error.message}`));
        const lines = stdout.trim().split('\n');
        resolve(JSON.parse(lines[lines.length - 1]));
      },
    );
  });
}
