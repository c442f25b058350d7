import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type SecretResult = { ok: true; value: string } | { ok: false; problem: string };

/**
 * A secret field holds the value itself, `env:NAME` or `file:PATH`. The problem text names the
 * variable or the file, never the value.
 */
export function resolveSecret(reference: string, env: NodeJS.ProcessEnv = process.env): SecretResult {
  if (reference.startsWith('env:')) {
    const name = reference.slice(4).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { ok: false, problem: 'names an invalid environment variable' };
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      return { ok: false, problem: `refers to environment variable ${name}, which is not set or empty` };
    }
    return { ok: true, value };
  }
  if (reference.startsWith('file:')) {
    const path = reference.slice(5).trim();
    if (path === '') return { ok: false, problem: 'names no file' };
    try {
      const value = readFileSync(resolve(path), 'utf8');
      if (value.trim() === '') return { ok: false, problem: `refers to file ${path}, which is empty` };
      return { ok: true, value };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return {
        ok: false,
        problem: `refers to file ${path}, which cannot be read (${typeof code === 'string' ? code : 'error'})`,
      };
    }
  }
  return { ok: true, value: reference };
}
