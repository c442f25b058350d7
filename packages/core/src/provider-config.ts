import type { KeyObject } from 'node:crypto';
import type { AxiosProxyConfig } from 'axios';
import {
  configError,
  DEFAULT_MAX_RESPONSE_BYTES,
  headerValueProblem,
  DEFAULT_TIMEOUT_MS,
  type BaseProviderConfig,
  type SignedProviderConfig,
} from './config';
import type { HttpSettings } from './http-provider';
import { loadPrivateKey } from './keys';
import { resolveSecret } from './secrets';
import { DEFAULT_TIMESTAMP_FORMAT, type TimestampFormat } from './timestamp';

/** What reading one config value gave: the value, or the problem the reader has recorded. */
export type ConfigRead<T> = { ok: true; value: T } | { ok: false; problem: string };

type ReadValues<R> = { [K in keyof R]: R[K] extends ConfigRead<infer V> ? V : never };

/**
 * Resolves a provider's secret fields (`env:`, `file:`, inline) and private key after the shape
 * checks passed. Each read answers what it got; the reader keeps every problem, and `finish`
 * throws them as one CONFIG_INVALID or hands back the values.
 */
export class SecretReader {
  readonly #problems: string[] = [];
  /** The resolved values, to scrub from anything a provider sends back. */
  readonly values: string[] = [];

  constructor(
    private readonly config: object,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** A required secret field. */
  secret(field: string): ConfigRead<string> {
    const reference = (this.config as Record<string, unknown>)[field];
    // The shape checks already refused a missing or non-string field; this only guards the types.
    if (typeof reference !== 'string') return this.fail(`${field} must be a string: the value, env:NAME or file:PATH`);
    const result = resolveSecret(reference, this.env);
    if (!result.ok) return this.fail(`${field} ${result.problem}`);
    const value = result.value.trim();
    // An inline value of only spaces would otherwise resolve to '' with no problem reported.
    if (value === '') return this.fail(`${field} is empty`);
    this.values.push(value);
    return { ok: true, value };
  }

  /** A secret field that may be left out: `undefined` when it is. */
  optionalSecret(field: string): ConfigRead<string | undefined> {
    return (this.config as Record<string, unknown>)[field] === undefined
      ? { ok: true, value: undefined }
      : this.secret(field);
  }

  /** As `secret`, for a value sent as the `header` header: it must be a valid header value once resolved. */
  headerSecret(field: string, header: string): ConfigRead<string> {
    return this.check(this.secret(field), (value) => {
      const problem = headerValueProblem(value);
      return problem === undefined ? undefined : `${field} ${problem} (it is sent in the ${header} header)`;
    });
  }

  /** A resolved value that must also pass `problemOf` (which names the field, never the value). */
  check<T>(read: ConfigRead<T>, problemOf: (value: T) => string | undefined): ConfigRead<T> {
    if (!read.ok) return read;
    const problem = problemOf(read.value);
    return problem === undefined ? read : this.fail(problem);
  }

  /** The private key, decrypted with the passphrase field when the config has one. */
  privateKey(field: string, passphraseField: string): ConfigRead<KeyObject> {
    const text = this.secret(field);
    const passphrase = this.optionalSecret(passphraseField);
    if (!text.ok) return text;
    if (!passphrase.ok) return passphrase;
    const result = loadPrivateKey(text.value, passphrase.value);
    return result.ok ? { ok: true, value: result.key } : this.fail(`${field} ${result.problem}`);
  }

  /** Throws every recorded problem as one CONFIG_INVALID; else returns the values read. */
  finish<R extends Record<string, ConfigRead<unknown>>>(
    provider: string,
    entry: string | undefined,
    reads: R,
  ): ReadValues<R> {
    if (this.#problems.length > 0) throw configError(provider, this.#problems, entry);
    const values: Record<string, unknown> = {};
    for (const [name, read] of Object.entries(reads)) {
      // Every failed read recorded its problem, so none is left here; this only guards the types.
      if (!read.ok) throw configError(provider, [read.problem], entry);
      values[name] = read.value;
    }
    return values as ReadValues<R>;
  }

  private fail(problem: string): ConfigRead<never> {
    this.#problems.push(problem);
    return { ok: false, problem };
  }
}

export function httpSettings(config: BaseProviderConfig): HttpSettings {
  return {
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    clock: config.clock ?? Date.now,
    ...(config.httpClient !== undefined ? { httpClient: config.httpClient } : {}),
    ...(config.proxy !== undefined ? { proxy: axiosProxy(config.proxy) } : {}),
  };
}

/** A checked `proxy` setting as axios takes it (`proxyProblem` has accepted the URL). */
export function axiosProxy(proxy: string | false): AxiosProxyConfig | false {
  if (proxy === false) return false;
  const url = new URL(proxy);
  const https = url.protocol === 'https:';
  return {
    protocol: https ? 'https' : 'http',
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port !== '' ? Number(url.port) : https ? 443 : 80,
    ...(url.username !== '' || url.password !== ''
      ? { auth: { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } }
      : {}),
  };
}

export function timestampFormat(config: SignedProviderConfig): TimestampFormat {
  return {
    offset: config.timestamp?.offset ?? DEFAULT_TIMESTAMP_FORMAT.offset,
    milliseconds: config.timestamp?.milliseconds ?? DEFAULT_TIMESTAMP_FORMAT.milliseconds,
  };
}
