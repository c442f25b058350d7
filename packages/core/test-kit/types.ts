import type { AccessToken } from '../src/token';
import type { AuthErrorCode } from '../src/errors';
import type { ProviderEmulator } from '../src/emulator';
import type { TokenProvider, TokenRequest } from '../src/provider';

/** 2025-11-26T10:31:03+07:00: a clock under which the documented B2B2C expiry times are in the future. */
export const FIXED_NOW = Date.parse('2025-11-26T10:31:03+07:00');

/** A config class: its validation rules and `@Type` metadata are read from the constructor. */
export type ConfigClass = abstract new (...args: never[]) => object;

export interface FlowContract {
  /** 'B2B', 'B2B2C' */
  name: string;
  request?: TokenRequest;
  path: string;
  /** The documented success body (a JSON fixture). */
  fixture: Record<string, unknown>;
  /** What the fixture must normalize to under FIXED_NOW. */
  expected: Partial<Record<keyof AccessToken, unknown>>;
  /** A success body carrying these token values. */
  successBody(tokens: { accessToken: string; refreshToken: string }): Record<string, unknown>;
  /** Dot paths of fields in a success body; `expiresIn` or `expiresAt`, whichever the flow has. */
  fields: { accessToken: string; tokenType: string; expiresIn?: string; expiresAt?: string };
  /** The provider's error body for a code and a message. */
  errorBody(code: string, message: string): Record<string, unknown>;
  /** Problems with a request as sent (lower-case headers, parsed JSON body); [] when it is right. */
  verifyRequest(headers: Record<string, string>, body: unknown): string[];
}

/** One row of a provider's code table. */
export interface CodeCase {
  flow: string;
  status: number;
  code: string;
  message: string;
  expected: AuthErrorCode;
}

export interface ProviderContract {
  provider: string;
  /** An https base URL for nock. */
  baseUrl: string;
  /** A valid config for baseUrl with the test credentials (clock not included). */
  validConfig(): Record<string, unknown>;
  /** The package's config class: the config table test reads every option from it. */
  configClass: ConfigClass;
  /** Builds the provider from a config (the package's factory). */
  create(config: Record<string, unknown>): TokenProvider;
  /** Fields without which the config is invalid. */
  requiredFields: readonly string[];
  /** Fields holding secrets: their values must never appear in a CONFIG_INVALID message. */
  secretFields: readonly string[];
  /**
   * Config fields whose values travel in a request header or a signed header value. Each must be
   * refused at config time when it could not travel intact (control characters, non-ASCII, too long).
   */
  headerFields: readonly string[];
  /** Strings that must never be printed: secrets, key material. */
  secrets: readonly string[];
  flows: readonly FlowContract[];
  codeCases: readonly CodeCase[];
  /** The provider's emulator, accepting the test credentials, for the loopback server tests. */
  emulator(clock: () => number): ProviderEmulator;
  /**
   * The contract (by its title) this one repeats with other settings of the same implementation,
   * config class and code table (a profile of a provider with several): the hostile-body sweep,
   * the config table and all but one row of the code table ran there and are not run again.
   */
  repeatOf?: string | undefined;
  /**
   * The contract whose hostile-body sweep already runs this provider's implementation and
   * normalizer (a package that delegates to another's): the sweep is not run again here.
   */
  sweptBy?: string | undefined;
}
