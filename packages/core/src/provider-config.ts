import type { KeyObject } from 'node:crypto';
import { configError, DEFAULT_MAX_RESPONSE_BYTES, headerValueProblem, DEFAULT_TIMEOUT_MS, type BaseProviderConfig, type SignedProviderConfig } from './config';
import type { HttpSettings } from './http-provider';
import { loadPrivateKey } from './keys';
import { resolveSecret } from './secrets';
import { DEFAULT_TIMESTAMP_FORMAT, type TimestampFormat } from './timestamp';

/**
 * Resolves a provider's secret fields (`env:`, `file:`, inline) and private key after the shape
 * checks passed. Collects every problem so that one CONFIG_INVALID names them all.
 */
export class SecretReader {
  readonly problems: string[] = [];
  /** The resolved values, to scrub from anything a provider sends back. */
  readonly values: string[] = [];

  constructor(
    private readonly config: object,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  secret(field: string): string {
    const reference = (this.config as Record<string, unknown>)[field];
    if (typeof reference !== 'string') return '';
    const result = resolveSecret(reference, this.env);
    if (!result.ok) {
      this.problems.push(`${field} ${result.problem}`);
      return '';
    }
    const value = result.value.trim();
    // An inline value of only spaces would otherwise resolve to '' with no problem reported.
    if (value === '') {
      this.problems.push(`${field} is empty`);
      return '';
    }
    this.values.push(value);
    return value;
  }

  /** As `secret`, for a value sent as the `header` header: it must be a valid header value once resolved. */
  headerSecret(field: string, header: string): string {
    const value = this.secret(field);
    const problem = value === '' ? undefined : headerValueProblem(value);
    if (problem !== undefined) this.problems.push(`${field} ${problem} (it is sent in the ${header} header)`);
    return value;
  }

  privateKey(field: string, passphraseField: string): KeyObject | undefined {
    const text = this.secret(field);
    const hasPassphrase = typeof (this.config as Record<string, unknown>)[passphraseField] === 'string';
    const passphrase = hasPassphrase ? this.secret(passphraseField) : undefined;
    if (text === '' || passphrase === '') return undefined;
    const result = loadPrivateKey(text, passphrase);
    if (!result.ok) {
      this.problems.push(`${field} ${result.problem}`);
      return undefined;
    }
    return result.key;
  }

  /** Throws the collected problems as one CONFIG_INVALID. */
  done(provider: string, entry?: string): void {
    if (this.problems.length > 0) throw configError(provider, this.problems, entry);
  }

  /** As `done`, for a provider that signs: returns the key that `privateKey()` read. */
  doneWithKey(provider: string, entry: string | undefined, key: KeyObject | undefined): KeyObject {
    this.done(provider, entry);
    // privateKey() reports every reason it has no key, so this only guards the types.
    if (key === undefined) throw configError(provider, ['privateKey could not be read'], entry);
    return key;
  }
}

export function httpSettings(config: BaseProviderConfig): HttpSettings {
  return {
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    clock: config.clock ?? Date.now,
    ...(config.httpClient !== undefined ? { httpClient: config.httpClient } : {}),
  };
}

export function timestampFormat(config: SignedProviderConfig): TimestampFormat {
  return {
    offset: config.timestamp?.offset ?? DEFAULT_TIMESTAMP_FORMAT.offset,
    milliseconds: config.timestamp?.milliseconds ?? DEFAULT_TIMESTAMP_FORMAT.milliseconds,
  };
}
