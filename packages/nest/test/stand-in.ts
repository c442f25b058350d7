import { createKlikooEmulator } from '@kunci/klikoo/emulator';
import { createPivotLegacyEmulator } from '@kunci/pivot-legacy/emulator';
import { createPivotSnapEmulator } from '@kunci/pivot-snap/emulator';
import { jsonResponse, startLoopbackServer, type EmulatedRequest, type EmulatedResponse } from '@kunci/core/emulator';
import type { KunciConfig } from '@kunci/sdk';
// Not '#test-kit': that index loads nock, and the child-process apps run without it.
import { testKeyPair } from '../../core/test-kit/keys';

export const SNAP_CLIENT_ID = 'kunci-nest-snap-client';
export const MERCHANT_ID = 'kunci-nest-merchant';
export const KLIKOO_CLIENT_ID = '5b0e2f4c-1d3a-4c6e-9f8b-7a6d5c4b3a21';

/** The names of the stand-in's config. */
export type StandInName = 'pivot' | 'legacy' | 'klikoo';

/**
 * The three providers' emulators on one loopback server, and a stand-in for their APIs: any other
 * path answers 200 `{ authorized: true }` when its bearer token is one this server issued, else 401.
 * Its shape is the sandbox's (`url`, `config()`, `close()`).
 */
export interface StandIn {
  readonly url: string;
  /** Every request the server saw, token requests and API calls. */
  readonly requests: EmulatedRequest[];
  /** A kunci config of the three providers, pointing here. */
  config(): KunciConfig<StandInName>;
  close(): Promise<void>;
}

/** Random per server, so no fixed string stands for a secret; 32 characters, as Klikoo issues them. */
function randomSecret(prefix: string): string {
  return `${prefix}_${Array.from({ length: 29 }, () => Math.floor(Math.random() * 36).toString(36)).join('')}`;
}

/** Every string of an answer's JSON: an issued token is one of them, whatever the field's name. */
function strings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) strings(item, into);
}

export async function startStandIn(options: { snapClientId?: string } = {}): Promise<StandIn & { secrets: string[] }> {
  const snapClientId = options.snapClientId ?? SNAP_CLIENT_ID;
  const merchantSecret = randomSecret('ms');
  const clientSecret = randomSecret('ks');
  const snapClientSecret = randomSecret('ps');
  const { publicKey, privateKeyPem } = testKeyPair();
  const emulators = [
    createPivotSnapEmulator({ clients: [{ clientId: snapClientId, publicKey }] }),
    createPivotLegacyEmulator({ merchants: [{ merchantId: MERCHANT_ID, merchantSecret }] }),
    createKlikooEmulator({ clients: [{ clientId: KLIKOO_CLIENT_ID, clientSecret, publicKey }] }),
  ];
  const issued = new Set<string>();
  const server = await startLoopbackServer((request): EmulatedResponse => {
    const emulator = emulators.find((candidate) => candidate.tokenPaths.has(request.path));
    if (emulator === undefined) {
      const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
      return token !== undefined && issued.has(token)
        ? jsonResponse(200, { authorized: true, path: request.path })
        : jsonResponse(401, { authorized: false });
    }
    const answer = emulator.handle(request);
    if (answer.status === 200) {
      try {
        strings(JSON.parse(answer.body) as unknown, issued);
      } catch {
        // not JSON: nothing issued
      }
    }
    return answer;
  });
  const url = server.url;
  return {
    url,
    requests: server.requests,
    secrets: [merchantSecret, clientSecret, snapClientSecret, testKeyPair().fingerprint],
    config: () => ({
      providers: {
        pivot: {
          provider: 'pivot-snap',
          baseUrl: url,
          clientId: snapClientId,
          privateKey: privateKeyPem,
          clientSecret: snapClientSecret,
          channelId: '95221',
        },
        legacy: { provider: 'pivot-legacy', baseUrl: url, merchantId: MERCHANT_ID, merchantSecret },
        klikoo: {
          provider: 'klikoo',
          baseUrl: url,
          clientId: KLIKOO_CLIENT_ID,
          clientSecret,
          privateKey: privateKeyPem,
        },
      },
    }),
    close: () => server.close(),
  };
}
