import { expect } from '@jest/globals';
import { inspect } from 'node:util';
import { TokenManager } from '../../src/manager';
import type { Logger } from '../../src/manager';
import { authError, FakeProvider, flush, makeToken } from './fake-provider';
import { FakeStore } from './fake-store';

const T0 = new Date('2026-01-01T00:00:00Z').getTime();
const AUTH_CODE = 'BINDING-ID-4f1e9c2a77';

beforeEach(() => jest.useFakeTimers({ now: T0 }));
afterEach(() => jest.useRealTimers());

function recordingLogger(lines: unknown[]): Logger {
  const log = (level: string) => (obj: Record<string, unknown>, msg: string) => lines.push({ level, obj, msg });
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

describe('what leaves the manager', () => {
  it('never carries a full token, refresh token, or (in logs) auth code', async () => {
    const tokens = [
      makeToken({ lifetimeMs: 120_000 }),
      makeToken({
        refreshToken: 'REFRESHSECRET-aaaaaaaaaaaaaaaa',
        refreshTokenLifetimeMs: 86_400_000,
        lifetimeMs: 120_000,
      }),
      makeToken({ refreshToken: 'REFRESHSECRET-bbbbbbbbbbbbbbbb', refreshTokenLifetimeMs: 86_400_000 }),
    ];
    const provider = new FakeProvider().script(
      tokens[0]!,
      tokens[1]!,
      authError('NETWORK'),
      authError('PROVIDER_UNAVAILABLE'),
      authError('GRANT_REJECTED'),
      tokens[2]!,
    );
    const store = new FakeStore();
    const lines: unknown[] = [];
    const manager = new TokenManager(provider, {
      store,
      logger: recordingLogger(lines),
      random: () => 0,
      retry: { attempts: 2 },
    });
    const events: unknown[] = [];
    for (const event of ['hit', 'miss', 'fetch', 'token', 'refresh', 'error', 'storeError'] as const) {
      manager.on(event, (payload) => events.push({ event, payload }));
    }

    await manager.getToken();
    await manager.getToken({ authCode: AUTH_CODE });
    jest.setSystemTime(T0 + 61_000);
    await manager.getToken();
    await flush();
    await manager.getToken({ authCode: AUTH_CODE });
    await flush();
    store.failing = 'throw';
    jest.setSystemTime(T0 + 130_000);
    await manager.getToken({ authCode: 'another-customer' });

    const kinds = new Set(events.map((e) => (e as { event: string }).event));
    expect([...kinds].sort()).toEqual(['error', 'fetch', 'hit', 'miss', 'refresh', 'storeError', 'token']);
    expect(new Set(lines.map((l) => (l as { level: string }).level))).toEqual(new Set(['debug', 'info', 'warn']));

    const secrets = [
      ...tokens.map((t) => t.accessToken),
      'REFRESHSECRET-aaaaaaaaaaaaaaaa',
      'REFRESHSECRET-bbbbbbbbbbbbbbbb',
      ...provider.calls.map((call) => call.request?.refreshToken).filter((r): r is string => r !== undefined),
    ];
    const outputs = {
      events: [JSON.stringify(events), inspect(events, { depth: 10, showHidden: true })],
      logs: [JSON.stringify(lines), inspect(lines, { depth: 10, showHidden: true })],
    };
    for (const text of [...outputs.events, ...outputs.logs]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).toContain('SECR…');
    }
    for (const text of outputs.logs) {
      expect(text).not.toContain(AUTH_CODE);
      expect(text).toContain('pivot-snap:client-1:BIND…');
    }
  });

  it('keeps working when a listener or the logger throws, and when nobody listens to errors', async () => {
    const provider = new FakeProvider().script(authError('CREDENTIALS_REJECTED'));
    const throwing = () => {
      throw new Error('listener bug');
    };
    const lines: unknown[] = [];
    const logger = recordingLogger(lines);
    const manager = new TokenManager(provider, { logger: { ...logger, info: throwing } });
    await expect(manager.getToken()).rejects.toMatchObject({ code: 'CREDENTIALS_REJECTED' });
    manager.on('token', throwing);
    manager.on('hit', throwing);
    const token = await manager.getToken();
    await expect(manager.getToken()).resolves.toBe(token);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/listener threw/) }),
    );
  });

  it('stops calling a listener once it unsubscribes', async () => {
    const manager = new TokenManager(new FakeProvider());
    const seen: string[] = [];
    const off = manager.on('miss', (event) => seen.push(event.key));
    await manager.getToken();
    off();
    await manager.invalidate();
    await manager.getToken();
    expect(seen).toEqual(['pivot-snap:client-1']);
  });
});
