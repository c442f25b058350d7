import type { EmulatedRequest, EmulatedResponse, ProviderEmulator } from '@kunci/core/emulator';
import type { SandboxClient, SandboxProvider } from './credentials';
import {
  ACCEPTED,
  createEmulator,
  errorAnswer,
  explain,
  flowOf,
  truncatedAnswer,
  type EmulatorSettings,
} from './emulators';
import { FaultBook, type FaultKind, type SandboxCall, type SandboxFlow } from './faults';

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
  /** The path the provider's base URL adds (`/pivot-snap` in the sandbox, the config's own path in nock). */
  prefix: string;
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
  readonly #emulators = new Map<SandboxProvider, ProviderEmulator>();
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
      const emulator = this.#emulators.get(mount.provider);
      return (
        emulator !== undefined &&
        path.startsWith(mount.prefix) &&
        emulator.paths.includes(path.slice(mount.prefix.length))
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
    const emulator = mount !== undefined ? this.#emulators.get(mount.provider) : undefined;
    if (mount === undefined || emulator === undefined) {
      const served = this.options.mounts.map((m) => m.prefix).join(', ');
      const response = {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: `Not Found: the sandbox serves ${served}` }),
      };
      return this.#answer(request, {}, response, 0, `no provider at ${request.path} (the sandbox serves ${served})`);
    }
    const inner: EmulatedRequest = { ...request, path: request.path.slice(mount.prefix.length) || '/' };
    const { provider } = mount;
    const flow = flowOf(emulator, inner.path);
    const effect = this.faults.take(provider, flow);
    this.#now = this.options.clock() + effect.skewMs;
    const date = { date: new Date(this.#now).toUTCString() };
    const call: SandboxCall = flow !== undefined ? 'token' : 'service';
    const where = { provider, call, ...(flow !== undefined ? { flow } : {}) };
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
          return this.#answer(
            request,
            faulted,
            { status: 502, headers: { 'content-type': 'text/html', ...date }, body: GATEWAY_PAGE },
            effect.latencyMs,
            'fault: html (a gateway page)',
          );
        case 'malformed':
          return this.#answer(
            request,
            faulted,
            { ...truncatedAnswer(provider), headers: { 'content-type': 'application/json', ...date } },
            effect.latencyMs,
            'fault: malformed (truncated JSON)',
          );
        case 'retryAfter': {
          const seconds = String(fault.retryAfterSeconds ?? 1);
          return this.#answer(
            request,
            faulted,
            errorAnswer(provider, flow, 429, { ...date, 'retry-after': seconds }),
            effect.latencyMs,
            `fault: retryAfter (429, Retry-After ${seconds})`,
          );
        }
        default: {
          const status = fault.status ?? 503;
          return this.#answer(
            request,
            faulted,
            errorAnswer(provider, flow, status, date),
            effect.latencyMs,
            `fault: status ${status}`,
          );
        }
      }
    }
    if (bodyTooLarge) {
      return this.#answer(
        request,
        where,
        errorAnswer(provider, flow, 413, date),
        effect.latencyMs,
        `body larger than ${MAX_REQUEST_BYTES} bytes`,
      );
    }
    const { contract } = this.options;
    const differs = contract !== undefined && flow !== undefined ? contract.check(flow, inner) : undefined;
    if (differs !== undefined) {
      return this.#answer(
        request,
        where,
        errorAnswer(provider, flow, 400, date),
        effect.latencyMs,
        `the request differs from the recorded one: ${differs}`,
      );
    }
    const answered = emulator.handle(inner);
    let response: EmulatedResponse = { ...answered, headers: { ...answered.headers, ...date } };
    const verdict = explain(provider, call, inner, response, this.#now, this.#clients);
    if (verdict === ACCEPTED && contract !== undefined && flow !== undefined) {
      const replayed = contract.answer(flow, response, this.#now);
      response = { ...replayed, headers: { ...replayed.headers, ...date } };
    }
    const skewed = effect.skewMs !== 0 && verdict !== ACCEPTED ? ` (the clock is skewed by ${effect.skewMs} ms)` : '';
    return this.#answer(request, where, response, effect.latencyMs, `${verdict}${skewed}`);
  }

  #build(mount: Mount): void {
    const settings: EmulatorSettings = {
      clock: () => this.#now,
      ...(this.options.tokenLifetimeSeconds !== undefined
        ? { tokenLifetimeSeconds: this.options.tokenLifetimeSeconds }
        : {}),
      ...(mount.paths !== undefined ? { paths: mount.paths } : {}),
    };
    this.#emulators.set(mount.provider, createEmulator(mount.provider, this.#clients, settings));
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
