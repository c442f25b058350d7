import type { InboundBackendSetup } from './inbound-backend';

/** What a fleet worker is started with (in its environment): the client's credentials. */
export interface WorkerCredentials {
  clientId: string;
  privateKey: string;
}

/** One instance of the fleet: the worker builds it anew for each scenario of the file. */
export interface InstanceSetup {
  baseUrl: string;
  /** Without it the worker is an instance alone, with its memory only. */
  redisUrl?: string;
  prefix: string;
  refreshBeforeSeconds: number;
}

export type WorkerRequest =
  /** Closes the instance the worker ran (if any) and starts a new one: memory, clock and counters fresh. */
  | ({ type: 'instance' } & InstanceSetup)
  | { type: 'burst'; callers: number; authCode?: string; awaitRefresh: boolean }
  /** Moves the worker's clock (its provider's and TokenManager's) forward: time passes without a sleep. */
  | { type: 'advance'; ms: number }
  /** Answers once the worker's store serves a command: after Redis came back, once node-redis reconnected. */
  | { type: 'storeReady' }
  /** Starts (anew) the worker's receiving side: inbound routes on the given Redis. */
  | ({ type: 'inbound' } & InboundBackendSetup)
  | { type: 'close' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'instance' }
  | { type: 'advanced' }
  | { type: 'storeReady' }
  | { type: 'inbound'; symmetric: string; asymmetric: string }
  | {
      type: 'burst';
      ok: number;
      failed: number;
      /** Fingerprints of the tokens the callers got. */
      distinct: string[];
      /** The token a getToken() returns after the burst (and its background refresh) settled. */
      latest: string;
      ms: number;
      storeErrors: number;
    };
