import {
  dated,
  type EmulatedRequest,
  type EmulatedResponse,
  type EmulatorSettings,
  type ProviderEmulator,
} from '@kunci/core/emulator';
import { driverOf, type AnyDriver, type SandboxClient, type SandboxProvider } from './drivers';
import { FaultBook, type FaultKind, type SandboxCall, type SandboxFlow } from './faults';
import { ACCEPTED, explain } from './verdicts';

/** A request body larger than this is refused (413) before any emulator reads it. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Requests kept in `requests`; older ones are dropped (`count()` still counts them). */
export const MAX_KEPT_REQUESTS = 10_000;

/** One request as the sandbox saw it. Holds no header or body: nothing secret. */
export interface SandboxRequest {
  /** Undefined when the path is none of the providers'. */
  provider?: SandboxProvider;
  /** Undefined when the path is not a token endpoint. */
  flow?: SandboxFlow;
  /** `token` on a token endpoint, `service` for an API call beside it; undefined off every provider. */
  call?: SandboxCall;
  method: string;
  path: string;
  /** Undefined when the answer never came (a `hang` or `reset` fault). */
  status?: number;
  accepted: boolean;
  /** "accepted", or why the request was refused or what fault answered it. */
  verdict: string;
  fault?: FaultKind;
  at: Date;
}

export interface CountFilter {
  provider?: SandboxProvider;
  flow?: SandboxFlow;
  call?: SandboxCall;
}

/** How to answer one request: after `delayMs`, with a response, never, or by dropping the connection. */
export type Outcome =
  | { kind: 'answer'; delayMs: number; response: EmulatedResponse }
  | { kind: 'hang'; delayMs: number }
  | { kind: 'reset'; delayMs: number };

export interface Mount {
  provider: SandboxProvider;
  /** The path the provider's base URL adds (`/<provider>` in the sandbox, the config's own path in nock). */
  prefix: string;
  /** Token paths the config moved, by flow. */
  paths?: EmulatorSettings['paths'];
}

/**
 * A recorded contract around the emulators (a replayed fixture): a check of each token request's
 * shape before the emulator verifies it, and the answer to give for one it accepted.
 */
export interface StationContract {
  /** What differs from the recorded request, or undefined when its shape matches. */
  check(flow: SandboxFlow, request: EmulatedRequest): string | undefined;
  /** The answer to a request the emulator accepted, made from its answer (fresh tokens) at `now`. */
  answer(flow: SandboxFlow, accepted: EmulatedResponse, now: number): EmulatedResponse;
}

export interface StationOptions {
  mounts: readonly Mount[];
  clients: readonly SandboxClient[];
  clock: () => number;
  random: () => number;
  tokenLifetimeSeconds?: number;
  contract?: StationContract;
}

/** Any auth code a sandbox customer may present: printable, no spaces, at most 128 characters. */
const SANDBOX_AUTH_CODE = /^[\x21-\x7e]{1,128}$/;

const GATEWAY_PAGE =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

/**
 * The providers' side shared by the sandbox server and the nock helpers: routes a request to its
 * provider's emulator, applies the faults in force, and records what happened and why.
 */
export class Station {
  readonly requests: SandboxRequest[] = [];
  readonly faults: FaultBook;
  readonly #clients: SandboxClient[];
  readonly #emulators = new Map<SandboxProvider, { driver: AnyDriver; emulator: ProviderEmulator }>();
  readonly #counts = new Map<string, number>();
  #now = 0;

  constructor(private readonly options: StationOptions) {
    this.faults = new FaultBook(options.random);
    this.#clients = [...options.clients];
    for (const mount of options.mounts) this.#build(mount);
  }

  /** Registers a client; the provider's emulator starts afresh (bound customers are forgotten). */
  register(client: SandboxClient): void {
    const mount = this.options.mounts.find((m) => m.provider === client.provider);
    if (mount === undefined) throw new Error(`${client.provider} is not served here`);
    this.#clients.push(client);
    this.#build(mount);
  }

  /** Whether a path is one of the token endpoints served (the API paths beside them are not). */
  serves(path: string): boolean {
    return this.options.mounts.some((mount) => {
      const emulator = this.#emulators.get(mount.provider)?.emulator;
      return (
        emulator !== undefined &&
        path.startsWith(mount.prefix) &&
        emulator.tokenPaths.has(path.slice(mount.prefix.length))
      );
    });
  }

  count(filter: CountFilter = {}): number {
    let total = 0;
    for (const [key, n] of this.#counts) {
      const [provider, flow, call] = key.split('|');
      const matches = (wanted: string | undefined, value: string | undefined): boolean =>
        wanted === undefined || wanted === value;
      if (matches(filter.provider, provider) && matches(filter.flow, flow) && matches(filter.call, call)) total += n;
    }
    return total;
  }

  handle(request: EmulatedRequest, bodyTooLarge = false): Outcome {
    const mount = this.options.mounts.find((m) => request.path === m.prefix || request.path.startsWith(`${m.prefix}/`));
    const played = mount !== undefined ? this.#emulators.get(mount.provider) : undefined;
    if (mount === undefined || played === undefined) {
      const served = this.options.mounts.map((m) => m.prefix).join(', ');
      const response = dated(
        {
          status: 404,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: `Not Found: the sandbox serves ${served}` }),
        },
        this.options.clock(),
      );
      return this.#answer(request, {}, response, 0, `no provider at ${request.path} (the sandbox serves ${served})`);
    }
    const { driver, emulator } = played;
    const inner: EmulatedRequest = { ...request, path: request.path.slice(mount.prefix.length) || '/' };
    const { provider } = mount;
    const flow = emulator.tokenPaths.get(inner.path);
    const effect = this.faults.take(provider, flow);
    const now = this.options.clock() + effect.skewMs;
    this.#now = now;
    const call: SandboxCall = flow !== undefined ? 'token' : 'service';
    const where = { provider, call, ...(flow !== undefined ? { flow } : {}) };
    // The sandbox's own answers (faults, refusals before the emulator) carry its clock's Date, as the emulator's do.
    const own = (response: EmulatedResponse, verdict: string, fault?: FaultKind): Outcome =>
      this.#answer(
        request,
        fault !== undefined ? { ...where, fault } : where,
        dated(response, now),
        effect.latencyMs,
        verdict,
      );
    const fault = effect.answer;
    if (fault !== undefined) {
      const faulted = { ...where, fault: fault.kind };
      switch (fault.kind) {
        case 'hang':
          this.#record(request, faulted, undefined, 'fault: hang (never answered)');
          return { kind: 'hang', delayMs: effect.latencyMs };
        case 'reset':
          this.#record(request, faulted, undefined, 'fault: reset (connection destroyed)');
          return { kind: 'reset', delayMs: effect.latencyMs };
        case 'html':
          return own(
            { status: 502, headers: { 'content-type': 'text/html' }, body: GATEWAY_PAGE },
            'fault: html (a gateway page)',
            fault.kind,
          );
        case 'malformed':
          return own(
            { status: 200, headers: { 'content-type': 'application/json' }, body: driver.truncatedSuccess },
            'fault: malformed (truncated JSON)',
            fault.kind,
          );
        case 'retryAfter': {
          const seconds = String(fault.retryAfterSeconds ?? 1);
          const limited = driver.errorAnswer(429, flow);
          return own(
            { ...limited, headers: { ...limited.headers, 'retry-after': seconds } },
            `fault: retryAfter (429, Retry-After ${seconds})`,
            fault.kind,
          );
        }
        default: {
          const status = fault.status ?? 503;
          return own(driver.errorAnswer(status, flow), `fault: status ${status}`, fault.kind);
        }
      }
    }
    if (bodyTooLarge) return own(driver.errorAnswer(413, flow), `body larger than ${MAX_REQUEST_BYTES} bytes`);
    const { contract } = this.options;
    const differs = contract !== undefined && flow !== undefined ? contract.check(flow, inner) : undefined;
    if (differs !== undefined)
      return own(driver.errorAnswer(400, flow), `the request differs from the recorded one: ${differs}`);
    const { refusal, ...answered } = emulator.handle(inner);
    const accepted = answered.status >= 200 && answered.status < 300;
    if (accepted && contract !== undefined && flow !== undefined)
      return own(contract.answer(flow, answered, now), ACCEPTED);
    const verdict = accepted ? ACCEPTED : explain(provider, call, inner, refusal, answered.status, now);
    const skewed = effect.skewMs !== 0 && !accepted ? ` (the clock is skewed by ${effect.skewMs} ms)` : '';
    return this.#answer(request, where, answered, effect.latencyMs, `${verdict}${skewed}`);
  }

  #build(mount: Mount): void {
    const driver = driverOf(mount.provider);
    if (driver === undefined) throw new Error(`${mount.provider} is not a provider the sandbox plays`);
    const settings: EmulatorSettings = {
      clock: () => this.#now,
      authCodePattern: SANDBOX_AUTH_CODE,
      tokenLifetimeSeconds: this.options.tokenLifetimeSeconds,
      paths: mount.paths,
    };
    const clients = this.#clients.filter((client) => client.provider === mount.provider);
    this.#emulators.set(mount.provider, { driver, emulator: driver.emulator(clients, settings) });
  }

  #answer(
    request: EmulatedRequest,
    where: Partial<SandboxRequest>,
    response: EmulatedResponse,
    delayMs: number,
    verdict: string,
  ): Outcome {
    this.#record(request, where, response.status, verdict);
    return { kind: 'answer', delayMs, response };
  }

  #record(request: EmulatedRequest, where: Partial<SandboxRequest>, status: number | undefined, verdict: string): void {
    const key = `${where.provider ?? ''}|${where.flow ?? ''}|${where.call ?? ''}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.requests.push({
      ...where,
      method: request.method,
      path: request.path,
      ...(status !== undefined ? { status } : {}),
      accepted: verdict === ACCEPTED,
      verdict,
      at: new Date(this.options.clock()),
    });
    if (this.requests.length > MAX_KEPT_REQUESTS) this.requests.splice(0, this.requests.length - MAX_KEPT_REQUESTS);
  }
}
