/** What a fleet worker is started with (in its environment). */
export interface WorkerSetup {
  baseUrl: string;
  clientId: string;
  privateKey: string;
  /** Without it the worker is an instance alone, with its memory only. */
  redisUrl?: string;
  prefix: string;
  refreshBeforeSeconds: number;
}

export type WorkerRequest =
  | { type: 'burst'; callers: number; authCode?: string; awaitRefresh: boolean }
  /** Moves the worker's clock (its provider's and TokenManager's) forward: time passes without a sleep. */
  | { type: 'advance'; ms: number }
  /** Answers once the worker's store serves a command: after Redis came back, once node-redis reconnected. */
  | { type: 'storeReady' }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'advanced' }
  | { type: 'storeReady' }
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
