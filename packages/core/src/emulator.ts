import { randomBytes, type KeyObject } from 'node:crypto';
import { isObject } from './plain';
import type { TokenFlow } from './provider';
import { SIGNED_TIMESTAMP } from './timestamp';

/** One HTTP request as an emulator sees it (lower-case header names, the raw body text). */
export interface EmulatedRequest {
  method: string;
  path: string;
  /**
   * The request target as received: path and query, before any router took a prefix off `path`.
   * A signed service call is verified against it (the client signs the path as it went out).
   */
  url?: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Why an emulator refused a request, decided where it refused it: the sandbox words it for
 * `sandbox.requests` without reading the answer back. Field and header names are the provider's.
 */
export type Refusal =
  | { reason: 'not-found' }
  | { reason: 'bad-request'; detail: string }
  | { reason: 'missing-field'; field: string; in: 'header' | 'body' }
  | { reason: 'invalid-field'; field: string; in: 'header' | 'body'; value?: string; expected: string }
  /** `role`: what the provider calls its clients (client, merchant). */
  | { reason: 'unknown-client'; client: string; role: string }
  | { reason: 'wrong-secret'; client: string; role: string }
  /** On a token request, the RSA signature; on an API call, the HMAC of the client secret. */
  | { reason: 'bad-signature'; client: string; header: string; timestampHeader: string }
  /** Not a timestamp, or outside the window around the emulator's clock. */
  | { reason: 'timestamp'; header: string; value: string }
  /** `token`: which token it is ("the B2B token"), carried in `header`. */
  | { reason: 'unknown-token' | 'expired-token'; token: string; header: string }
  /** A customer's auth code unknown, or its refresh token not the current one. */
  | { reason: 'unknown-grant' }
  | { reason: 'wrong-partner'; header: string; value: string }
  | { reason: 'reused-id'; header: string; value: string };

export interface EmulatedResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
  /** Why the request was refused; absent on an accepted one. Never sent on the wire. */
  refusal?: Refusal;
}

/**
 * The provider's side of a token endpoint, for the sandbox server and for users' tests: it
 * verifies what a real provider verifies and answers with the documented bodies and codes.
 */
export interface ProviderEmulator {
  readonly provider: string;
  /** Its token paths, each with the flow it serves; any other path is an API call (or a 404). */
  readonly tokenPaths: ReadonlyMap<string, TokenFlow>;
  handle(request: EmulatedRequest): EmulatedResponse;
}

/** The answer with the `Date` header of the emulated server's clock (a client measures its skew from it). */
export function dated(response: EmulatedResponse, now: number): EmulatedResponse {
  return { ...response, headers: { ...response.headers, date: new Date(now).toUTCString() } };
}

/** An answer that refuses, with its reason. */
export function refused(response: EmulatedResponse, refusal: Refusal): EmulatedResponse {
  return { ...response, refusal };
}

export interface EmulatorSpec {
  provider: string;
  tokenPaths: ReadonlyMap<string, TokenFlow>;
  clock: () => number;
  /** One request, at `now` (the clock read once), on a token path (`flow`) or beside them. */
  answer(request: EmulatedRequest, now: number, flow: TokenFlow | undefined): EmulatedResponse;
}

/** An emulator from its answers: the clock is read once per request and dates the answer (the one place `Date` is set). */
export function defineEmulator(spec: EmulatorSpec): ProviderEmulator {
  return {
    provider: spec.provider,
    tokenPaths: spec.tokenPaths,
    handle(request) {
      const now = spec.clock();
      return dated(spec.answer(request, now, spec.tokenPaths.get(request.path)), now);
    },
  };
}

/** What a sandbox tells an emulator it builds. */
export interface EmulatorSettings {
  /** The emulated server's clock (a fault may move it). */
  clock: () => number;
  tokenLifetimeSeconds?: number | undefined;
  /** Token paths a config moved, by flow. */
  paths?: Partial<Record<TokenFlow, string>> | undefined;
  /** Any customer auth code matching this is accepted (a sandbox has no bound customers of its own). */
  authCodePattern?: RegExp | undefined;
}

/** Where a driver gets RSA keys for its sandbox clients: a generated pair (new, or the process's earlier one), or the one the sandbox was given. */
export interface SandboxKeys {
  rsa(): Promise<{ privateKeyPem: string; publicKey: KeyObject }>;
}

/** The caller's own RSA key for a sandbox client: the public half to register, the private key as the config names it. */
export interface OwnKey {
  publicKey: KeyObject;
  /** The config's `privateKey` value: a reference (`file:…`, `env:…`) or the PEM. */
  privateKey: string;
}

/** Reads an application's provider config as the provider would; each method throws `CONFIG_INVALID` on a bad field. */
export interface ConfigReader {
  /** A field holding a secret reference (`env:`, `file:`, or the value), resolved. */
  secret(field: string): string;
  /** The public half of the private key in `field` (opened with the passphrase in `passphraseField`). */
  publicKey(field: string, passphraseField: string): KeyObject;
}

/** What a provider's side knows of one application config. */
export interface ConfigClient<Client> {
  client: Client;
  /** Token paths the config moved, by flow. */
  paths: Partial<Record<TokenFlow, string>>;
  /** Its identities and secrets by name: a recorded fixture holds `{{name}}` instead of each. */
  known: Readonly<Record<string, string>>;
}

/**
 * The notifications a sandbox sends to a backend, by what they test: `good` (accepted), `tampered`
 * (a byte changed after signing), `stale` (signed long ago), `replayed` (the same one twice),
 * `wrong-key` (signed with a key or secret the backend was not given), `malformed` (a body that is
 * not JSON, signed as it is).
 */
export type NotificationVariant = 'good' | 'tampered' | 'stale' | 'replayed' | 'wrong-key' | 'malformed';

export const NOTIFICATION_VARIANTS: readonly NotificationVariant[] = Object.freeze([
  'good',
  'tampered',
  'stale',
  'replayed',
  'wrong-key',
  'malformed',
]);

/** One request a notifier sends to the backend: an absolute URL and the exact body. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What the backend answered, the body as text. */
export interface ReceivedAnswer {
  status: number;
  body: string;
}

/** The answer a backend that checks correctly gives: its status and, where the provider has them, its codes. */
export interface ExpectedAnswer {
  status: number;
  /** The provider code the answer must carry (read by the notifier's `readAnswer`); absent: the status alone. */
  code?: RegExp | undefined;
  /** In words, for a report: `401xx00 (Unauthorized. Invalid Signature)`. */
  description: string;
}

/** What a notifier is asked to sign. */
export interface NotifyInput<Credentials> {
  credentials: Credentials;
  scheme: string;
  variant: NotificationVariant;
  /** The backend's notification route, absolute. */
  url: string;
  /** The backend's token route, absolute, for a scheme that asks for a token first; default the notifier's. */
  tokenUrl?: string | undefined;
  /** The notification's body; default the notifier's example. */
  body?: unknown;
  /** Epoch milliseconds of the signature. */
  now: number;
  /** Sends a request (the token route's) and resolves with the answer, whatever its status. */
  send(request: OutgoingRequest): Promise<ReceivedAnswer>;
}

/**
 * A signed notification: the request and the right answer to each sending of it (a replay is sent
 * twice); or the step before it that failed (the backend's token route refused to issue a token).
 */
export type SignedNotification =
  | { ok: true; request: OutgoingRequest; expected: readonly ExpectedAnswer[] }
  | { ok: false; step: string; answer: ReceivedAnswer | undefined; problem: string };

/**
 * The provider's side of its notifications (what it sends to a backend), for the sandbox: the
 * schemes, the throwaway credentials of the provider's side, the config a backend verifies them
 * with, the signing of each variant and the right answer to it.
 */
export interface Notifier<Credentials = unknown> {
  /** The schemes its notifications come in, the default first (`asymmetric`, `symmetric`, `api-key`). */
  readonly schemes: readonly string[];
  /** The variants that mean something for a scheme (an unsigned one cannot be tampered with). */
  variants(scheme: string): readonly NotificationVariant[];
  /** The provider's key pair, client id and secrets, generated. */
  generate(keys: SandboxKeys): Promise<Credentials>;
  /** The `createInbound` config (`@kunci/inbound`) that accepts these notifications: secrets included. */
  inboundConfig(credentials: Credentials, scheme: string): Record<string, unknown>;
  sign(input: NotifyInput<Credentials>): Promise<SignedNotification>;
  /** The code and message of an answer's body, in the provider's envelope; undefined when it has none. */
  readAnswer(body: unknown): { code: string; message: string } | undefined;
}

/**
 * A provider's emulator side as a driver: what the sandbox (`@kunci/sandbox`) asks of it instead
 * of knowing it. One per provider package, exported by its `/emulator` entry.
 */
export interface EmulatorDriver<
  Name extends string = string,
  Client extends object = object,
  Credentials = unknown,
  Config extends object = object,
  NotifyCredentials = unknown,
> {
  readonly name: Name;
  /** The emulator accepting these clients. */
  emulator(clients: readonly Client[], settings: EmulatorSettings): ProviderEmulator;
  /** The provider's error answer for an HTTP status, as its gateway would send it (a fault, a 413). */
  errorAnswer(status: number, flow: TokenFlow | undefined): EmulatedResponse;
  /** The start of a success answer: what a connection dropped half-way leaves (not JSON). */
  readonly truncatedSuccess: string;
  /** Throwaway credentials: generated, registered as clients, handed to an application as a config. */
  generate(keys: SandboxKeys): Promise<Credentials>;
  /**
   * Credentials for a client that holds the caller's own public key, whose config signs with the
   * caller's private key. Absent for a provider that signs with no key.
   */
  withOwnKey?(key: OwnKey): Credentials;
  clients(credentials: Credentials): Client[];
  /** The config of its generated client; `variant` one of `variants` (a profile), when it has several. */
  config(credentials: Credentials, baseUrl: string, variant?: string): Config;
  /** The variants (profiles) one driver plays, each with a client of its own; absent for one. */
  readonly variants?: readonly string[] | undefined;
  /** The client an application's config stands for, as the provider registered it. */
  fromConfig(config: Readonly<Record<string, unknown>>, read: ConfigReader): ConfigClient<Client>;
  /** The notifications the provider sends to a backend, when it sends any. */
  readonly notifier?: Notifier<NotifyCredentials> | undefined;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): EmulatedResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Parses a request body as a JSON object; undefined for anything else. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a signed timestamp is within the window a provider tolerates around its own clock. */
export function timestampWithin(timestamp: string, nowMs: number, toleranceMs: number): boolean {
  if (!SIGNED_TIMESTAMP.test(timestamp)) return false;
  const at = Date.parse(timestamp);
  return !Number.isNaN(at) && Math.abs(at - nowMs) <= toleranceMs;
}

/** A JWT-shaped random token, as the providers issue them; only its shape is real. */
export function fakeJwt(claims: Record<string, unknown>, alg = 'HS256'): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg, typ: 'JWT' })}.${part(claims)}.${randomBytes(32).toString('base64url')}`;
}
