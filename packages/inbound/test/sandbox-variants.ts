import { testKeyPair } from '#test-kit';
import { SANDBOX_NOTIFICATIONS, startSandbox, type NotifyResult, type Sandbox } from '@kunci/sandbox';

export const NOTIFY_PATH = '/v1.0/debit/notify';
export const TOKEN_PATH = '/v1.0/access-token/b2b';
export const SNAP_SCHEMES = Object.keys(SANDBOX_NOTIFICATIONS['pivot-snap'] ?? {});

/** A backend on loopback whose notification route (NOTIFY_PATH) and token route (TOKEN_PATH) verify with the sandbox's inbound config. */
export interface NotifiedApp {
  url: string;
  /** How many notifications reached the route's handler. */
  handled(): number;
  close(): Promise<void>;
}

/**
 * Every variant `sandbox.notify` sends for each SNAP scheme of pivot-snap, to a backend `startApp`
 * starts for that scheme: each answered as the provider expects, and only the good one and the
 * first sending of the replay reach the handler.
 */
export function everyVariantAnswered(startApp: (sandbox: Sandbox, scheme: string) => Promise<NotifiedApp>): void {
  let sandbox: Sandbox | undefined;
  const apps: NotifiedApp[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ privateKey: testKeyPair().privateKeyPem });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await sandbox?.close();
  });

  it('knows both SNAP schemes', () => {
    expect(SNAP_SCHEMES).toEqual(['asymmetric', 'symmetric']);
  });

  it.each(SNAP_SCHEMES)('%s: every variant is answered as the provider expects', async (scheme) => {
    const own = sandbox as Sandbox;
    const app = await startApp(own, scheme);
    apps.push(app);
    const variants = own.notificationVariants('pivot-snap', scheme);
    expect(variants).toEqual(
      expect.arrayContaining(['good', 'tampered', 'stale', 'wrong-key', 'malformed', 'replayed']),
    );
    const results: NotifyResult[] = [];
    for (const variant of variants)
      results.push(await own.notify({ provider: 'pivot-snap', scheme, variant, url: `${app.url}${NOTIFY_PATH}` }));
    expect(results.filter((r) => !r.right)).toEqual([]);
    const statuses = Object.fromEntries(results.map((r) => [r.variant, r.answers.map((a) => a.status)]));
    expect(statuses).toEqual({
      good: [200],
      tampered: [401],
      stale: [401],
      'wrong-key': [401],
      replayed: [200, 409],
      // A body that is not JSON (where a framework's JSON parser refuses it before any guard runs, too).
      malformed: [400],
    });
    // The good one and the first sending of the replay reached the handler; nothing bad did.
    expect(app.handled()).toBe(2);
  });
}
