import type { ClientRequest } from 'node:http';
import nock from 'nock';
import type { EmulatedRequest } from '@kunci/core/emulator';
import { lowerHeaders, urlPath } from '@kunci/core/provider';
import type { ProviderConfig } from '@kunci/sdk';
import { configSide, type ConfigSide } from './config-client';
import type { Fault } from './faults';
import { Station, type CountFilter, type Outcome, type SandboxRequest, type StationContract } from './station';

export interface MockProviderOptions {
  /** Faults in force from the start (more with `inject`). */
  faults?: readonly Fault[];
  /** Lifetime of the tokens issued. Default 900. */
  tokenLifetimeSeconds?: number;
  /** Expect exactly this many token requests (`done()` checks, fewer or more); default any number, at least one. */
  times?: number;
  /** The provider's clock, epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** In [0, 1), for faults with a `rate`. Default `Math.random`. */
  random?: () => number;
}

export interface MockedProvider {
  /** The requests answered, each with its verdict. */
  readonly requests: readonly SandboxRequest[];
  count(filter?: CountFilter): number;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Throws if the expected requests did not all come. */
  done(): void;
  /** Removes the interceptors. */
  restore(): void;
}

function emulatedRequest(
  method: string,
  uri: string,
  headers: Record<string, unknown>,
  body: unknown,
): EmulatedRequest {
  return {
    method,
    path: urlPath(uri) ?? uri,
    headers: lowerHeaders(headers),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

type NockReply = [number, string, Record<string, string>];

/**
 * Plays an outcome through nock's error-first callback: a hang never calls it, a reset destroys
 * the request with ECONNRESET, as a dropped connection would.
 */
function reply(
  outcome: Outcome,
  req: ClientRequest,
  callback: (error: NodeJS.ErrnoException | null, answer: NockReply) => void,
): void {
  const play = (): void => {
    if (outcome.kind === 'hang') return;
    if (outcome.kind === 'reset') {
      callback(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), [0, '', {}]);
      return;
    }
    callback(null, [outcome.response.status, outcome.response.body, outcome.response.headers ?? {}]);
  };
  if (outcome.delayMs > 0) setTimeout(play, outcome.delayMs);
  else play();
}

/**
 * Puts a station in front of one provider config's token paths through nock, on its baseUrl.
 * `helper` names the caller in the message of `done()`.
 */
export function interceptStation(
  helper: string,
  side: ConfigSide,
  station: Station,
  times: number | undefined,
): MockedProvider {
  const prefix = side.mount.prefix;
  // Only the token paths: the application's own interceptors for the provider's API stay in charge of the rest.
  const scope = nock(side.origin).post((uri) => station.serves(urlPath(uri) ?? uri));
  // Persistent even with `times`: a request past the expected number is answered and counted, so
  // that `done()` can say it came (an interceptor used up would let it pass by unseen).
  const interceptors = scope
    .reply(function answer(uri, body, callback) {
      reply(station.handle(emulatedRequest('POST', uri, this.req.headers, body)), this.req, callback);
    })
    .persist();
  return {
    get requests() {
      return station.requests;
    },
    count: (filter) => station.count(filter),
    inject: (fault) => station.faults.add(fault),
    clearFaults: () => station.faults.clear(),
    done() {
      const count = station.count();
      if (times !== undefined ? count !== times : count < 1) {
        throw new Error(
          `${helper}(${side.provider}): expected ${times !== undefined ? `exactly ${times}` : 'at least 1'} token request(s) on ${side.origin}${prefix}, got ${count}`,
        );
      }
    },
    restore() {
      interceptors.persist(false);
      nock.removeInterceptor(scope);
    },
  };
}

/** The station of one provider config: its emulator, its client, the options' faults. */
export function configStation(
  side: ConfigSide,
  options: Omit<MockProviderOptions, 'times'>,
  contract?: StationContract,
): Station {
  const station = new Station({
    mounts: [side.mount],
    clients: [side.client],
    clock: options.clock ?? Date.now,
    random: options.random ?? Math.random,
    ...(options.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
    ...(contract !== undefined ? { contract } : {}),
  });
  for (const fault of options.faults ?? []) station.faults.add(fault);
  return station;
}

/**
 * Answers the token requests of one provider config (the application's own object or config-file
 * entry) with that provider's emulator, through nock on the config's baseUrl: the public key is
 * derived from the config's private key and the secrets read from the config, so a correct
 * request gets a token and a wrong one the provider's real error body.
 */
export function mockProvider(config: ProviderConfig, options: MockProviderOptions = {}): MockedProvider {
  const side = configSide(config);
  return interceptStation('mockProvider', side, configStation(side, options), options.times);
}
