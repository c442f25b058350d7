import { configError, resolveSecret } from '@kunci/core/provider';
import type { KeyObject } from 'node:crypto';
import { loadPublicKey } from './keys';
import { DEFAULT_MAX_BODY_BYTES } from './request';
import { MemoryInboundStore, type InboundStore } from './store';

/** Options every inbound takes, whatever the provider. */
export interface InboundCommonConfig {
  /** The name in errors and store keys; default the profile, else the provider. */
  name?: string | undefined;
  /** The replay guard and the issued tokens; default a `MemoryInboundStore` (one process only). */
  store?: InboundStore | undefined;
  /** The largest body accepted, in bytes; default 100 KiB. */
  maxBodyBytes?: number | undefined;
  /** Epoch milliseconds; default `Date.now`. */
  clock?: (() => number) | undefined;
}

const COMMON_FIELDS = ['provider', 'name', 'store', 'maxBodyBytes', 'clock'] as const;

/**
 * Reads one inbound config: every problem is recorded by field and thrown at the end as one
 * CONFIG_INVALID that never quotes a value (a field may hold a secret or a key).
 */
export class ConfigReader {
  readonly problems: string[] = [];
  readonly name: string;
  readonly store: InboundStore;
  readonly clock: () => number;
  readonly maxBodyBytes: number;

  constructor(
    readonly config: Record<string, unknown>,
    readonly provider: string,
    fields: readonly string[],
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    const known = new Set<string>([...COMMON_FIELDS, ...fields]);
    for (const key of Object.keys(config)) if (!known.has(key)) this.problems.push(`${key} is not a known option`);
    const profile = config.profile;
    this.name =
      this.optionalString('name', /^[\w.:-]{1,64}$/, 'letters, digits, . _ : - (at most 64)') ??
      (typeof profile === 'string' && profile !== '' ? profile : provider);
    this.clock = this.optionalFunction('clock') ?? Date.now;
    this.maxBodyBytes = this.optionalInt('maxBodyBytes', 1, 10 * 1024 * 1024) ?? DEFAULT_MAX_BODY_BYTES;
    const store = config.store;
    if (store === undefined) this.store = new MemoryInboundStore({ clock: this.clock });
    else {
      const methods = ['claim', 'put', 'get', 'delete'];
      if (typeof store !== 'object' || store === null || methods.some((m) => typeof (store as never)[m] !== 'function'))
        this.problems.push(`store must have the methods ${methods.join(', ')}`);
      this.store = store as InboundStore;
    }
  }

  optionalString(field: string, pattern: RegExp, what: string): string | undefined {
    const value = this.config[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.problems.push(`${field} must be ${what}`);
      return undefined;
    }
    return value;
  }

  requiredString(field: string, pattern: RegExp, what: string): string {
    if (this.config[field] === undefined) {
      this.problems.push(`${field} is required`);
      return '';
    }
    return this.optionalString(field, pattern, what) ?? '';
  }

  optionalInt(field: string, min: number, max: number): number | undefined {
    const value = this.config[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${field} must be a whole number from ${min} to ${max}`);
      return undefined;
    }
    return value;
  }

  optionalFunction<T extends (...args: never[]) => unknown>(field: string): T | undefined {
    const value = this.config[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'function') {
      this.problems.push(`${field} must be a function`);
      return undefined;
    }
    return value as T;
  }

  /** A secret field (the value, `env:NAME` or `file:PATH`), resolved; never echoed. */
  secret(field: string, required: boolean): string | undefined {
    const reference = this.config[field];
    if (reference === undefined) {
      if (required) this.problems.push(`${field} is required`);
      return undefined;
    }
    if (typeof reference !== 'string') {
      this.problems.push(`${field} must be a string: the value, env:NAME or file:PATH`);
      return undefined;
    }
    const result = resolveSecret(reference, this.env);
    if (!result.ok) {
      this.problems.push(`${field} ${result.problem}`);
      return undefined;
    }
    const value = result.value.trim();
    if (value === '') this.problems.push(`${field} is empty`);
    return value === '' ? undefined : value;
  }

  /** One public key or a list (a rotation: the old and the new), each PEM, Base64, env: or file:. */
  publicKeys(field: string): KeyObject[] {
    const value = this.config[field];
    if (value === undefined) {
      this.problems.push(`${field} is required`);
      return [];
    }
    const list: unknown[] = Array.isArray(value) ? value : [value];
    if (list.length === 0) this.problems.push(`${field} must name at least one key`);
    const keys: KeyObject[] = [];
    list.forEach((item, index) => {
      const where = Array.isArray(value) ? `${field}[${index}]` : field;
      if (typeof item !== 'string') {
        this.problems.push(`${where} must be a string: PEM, env:NAME or file:PATH`);
        return;
      }
      const text = resolveSecret(item, this.env);
      if (!text.ok) {
        this.problems.push(`${where} ${text.problem}`);
        return;
      }
      const key = loadPublicKey(text.value);
      if (key.ok) keys.push(key.key);
      else this.problems.push(`${where} ${key.problem}`);
    });
    return keys;
  }

  /** Throws the problems as one CONFIG_INVALID. */
  finish(): void {
    if (this.problems.length > 0) throw configError(`${this.provider} inbound`, this.problems);
  }
}

/** Visible ASCII, as ids travel in headers and in signed strings. */
export const ID_PATTERN = /^[\x21-\x7e]{1,256}$/;
