import type { ReleaseLock, TokenStore } from '../../src/manager';
import type { AccessToken } from '../../src/token';

/** An out-of-process store played in memory: a lock like Redis's SET NX PX, and switchable failures. */
export class FakeStore implements TokenStore {
  readonly tokens = new Map<string, AccessToken>();
  readonly ops: string[] = [];
  readonly locks = new Map<string, number>();
  failing: 'throw' | 'hang' | undefined;

  constructor(private readonly withLock = true) {
    if (!withLock) delete (this as Partial<FakeStore>).acquireLock;
  }

  private op<T>(name: string, key: string, run: () => T): Promise<T> {
    this.ops.push(`${name} ${key}`);
    if (this.failing === 'throw') return Promise.reject(new Error(`ECONNREFUSED 127.0.0.1:6379 (${name})`));
    if (this.failing === 'hang') return new Promise<T>(() => undefined);
    return Promise.resolve(run());
  }

  get(key: string): Promise<AccessToken | undefined> {
    return this.op('get', key, () => this.tokens.get(key));
  }

  set(key: string, token: AccessToken, ttlMs: number): Promise<void> {
    return this.op('set', key, () => {
      if (ttlMs > 0) this.tokens.set(key, token);
    });
  }

  delete(key: string): Promise<void> {
    return this.op('delete', key, () => void this.tokens.delete(key));
  }

  clear(prefix?: string): Promise<void> {
    return this.op('clear', prefix ?? '*', () => {
      for (const key of this.tokens.keys()) if (prefix === undefined || key.startsWith(prefix)) this.tokens.delete(key);
    });
  }

  acquireLock(key: string, ttlMs: number): Promise<ReleaseLock | undefined> {
    return this.op('lock', key, () => {
      const until = this.locks.get(key);
      if (until !== undefined && until > Date.now()) return undefined;
      const mine = Date.now() + ttlMs;
      this.locks.set(key, mine);
      return () => {
        this.ops.push(`unlock ${key}`);
        if (this.locks.get(key) === mine) this.locks.delete(key);
        return Promise.resolve();
      };
    });
  }
}
