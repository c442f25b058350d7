import { createPrivateKey, type KeyObject } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { otherKeyPair, testKeyPair } from '#test-kit';
import { createInbound, type Inbound, type SnapInboundConfig } from '../src';
import { jakartaTimestamp, type NotificationParts, type SignedNotification } from './signer';

export const NOW = Date.parse('2026-11-22T10:15:30+07:00');
export const PARTNER_ID = 'partner-7731';
export const CLIENT_SECRET = 'notify-secret-5b1f0c2e9a7d4438';
export const DEBIT_NOTIFY = '/v1.0/debit/notify';

export const providerKey = (): KeyObject => createPrivateKey(testKeyPair().privateKeyPem);
export const otherKey = (): KeyObject => createPrivateKey(otherKeyPair().privateKeyPem);

/** A settable clock: tests move it, nothing sleeps. */
export function testClock(start = NOW): { now: () => number; set(ms: number): void; advance(ms: number): void } {
  let at = start;
  return {
    now: () => at,
    set: (ms) => {
      at = ms;
    },
    advance: (ms) => {
      at += ms;
    },
  };
}

export function snapInbound(overrides: Partial<SnapInboundConfig> = {}, clock = testClock()): Inbound {
  return createInbound({
    provider: 'snap',
    profile: 'test',
    scheme: 'asymmetric',
    clientId: PARTNER_ID,
    publicKey: testKeyPair().publicKeyPem,
    clientSecret: CLIENT_SECRET,
    clock: clock.now,
    routes: { [DEBIT_NOTIFY]: { serviceCode: '56' } },
    ...overrides,
  });
}

let counter = 0;

/** The parts of a debit notification at NOW, with a new external id each time. */
export function debitParts(overrides: Partial<NotificationParts> = {}): NotificationParts {
  counter += 1;
  return {
    path: DEBIT_NOTIFY,
    body: {
      originalPartnerReferenceNo: `INV-${counter}`,
      latestTransactionStatus: '00',
      amount: { value: '150000.00', currency: 'IDR' },
      additionalInfo: { note: 'paid at the counter' },
    },
    timestamp: jakartaTimestamp(NOW),
    partnerId: PARTNER_ID,
    externalId: String(41_000_000_000 + counter),
    ...overrides,
  };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown>;
}

/** One HTTP request to a loopback server, the answer whatever its status. */
export function send(
  baseUrl: string,
  request: SignedNotification | { method: string; url: string; headers: Record<string, string>; body: string | Buffer },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(request.url, baseUrl),
      { method: request.method, headers: request.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // left empty: the test asserts on text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

/**
 * A sender that announces 100 bytes of body, sends 5 and stalls: resolves with everything the
 * server wrote back once it closed the connection.
 */
export function stallingRequest(baseUrl: string, path: string): Promise<string> {
  const { port } = new URL(baseUrl);
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`,
      );
    });
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}
