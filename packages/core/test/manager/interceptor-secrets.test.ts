import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import axios, { AxiosError } from 'axios';
import nock from 'nock';
import { attachTokenManager, TokenManager } from '../../src/manager';
import type { ServiceRequest, SignedServiceRequest } from '../../src/service-signing';
import { useStrictNock } from '../../test-kit';
import { FakeProvider, makeToken } from './fake-provider';

// A real API on loopback refusing signed calls, and real axios (its http adapter, whose request
// object keeps the raw header block): what an application that logs the error would print.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/';

/** A token of random length and alphabet: short or long, with or without digits. */
function randomSecret(): string {
  const length = randomInt(12, 90);
  return Array.from(randomBytes(length), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

interface Api {
  url: string;
  close(): Promise<void>;
}

/** Answers every request with `status` and a body; a 401 names no token, so nothing is retried. */
async function startApi(status: number): Promise<Api> {
  const server: Server = createServer((_req, res) => {
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end('{"responseCode":"4007300","responseMessage":"Bad"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A provider that signs its service calls with a signature derived from a random secret. */
function signingProvider(access: string, customer: string, signature: string) {
  const provider = new FakeProvider().script(makeToken({ value: access }), makeToken({ value: customer }));
  return Object.assign(provider, {
    signRequest: (request: ServiceRequest): SignedServiceRequest => ({
      headers: { 'X-SIGNATURE': signature, 'X-TIMESTAMP': '2026-01-01T00:00:00+07:00', 'X-PARTNER-ID': 'client-1' },
      body: JSON.stringify(request.body ?? {}),
    }),
  });
}

async function refusedCall(status: number, secrets: { access: string; customer: string; signature: string }) {
  const api = await startApi(status);
  const manager = new TokenManager(signingProvider(secrets.access, secrets.customer, secrets.signature), {
    retry: false,
  });
  const instance = axios.create({ baseURL: api.url });
  attachTokenManager(instance, manager);
  try {
    const error: unknown = await instance.post('/v1/transfer', { amount: 1 }, { kunci: { authCode: 'alice' } }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    return error;
  } finally {
    await manager.close();
    await api.close();
  }
}

useStrictNock();

describe('an API call the provider refused', () => {
  beforeAll(() => nock.enableNetConnect(/^127\.0\.0\.1:\d+$/));

  it.each([400, 401, 403, 500])(
    'comes back as an axios error (%i) whose config, JSON and inspection hold no token or signature',
    async (status) => {
      for (let round = 0; round < 3; round++) {
        const secrets = { access: randomSecret(), customer: randomSecret(), signature: randomSecret() };
        const error = await refusedCall(status, secrets);
        expect(error).toBeInstanceOf(AxiosError);
        const axiosError = error as AxiosError;
        expect(axiosError.response?.status).toBe(status);
        const printed = [
          JSON.stringify(axiosError),
          JSON.stringify(axiosError.config),
          JSON.stringify(axiosError.config?.headers),
          inspect(axiosError),
          inspect(axiosError, { depth: 8 }),
          inspect(axiosError.response, { depth: 8 }),
          String(axiosError),
        ];
        for (const secret of Object.values(secrets))
          for (const text of printed) expect(text.includes(secret)).toBe(false);
        // Masked, not removed: a log still tells which token was used.
        expect(axiosError.config?.headers.get('Authorization')).toBe(`Bearer ${secrets.access.slice(0, 4)}…`);
        expect(axiosError.config?.headers.get('Authorization-Customer')).toBe(
          `Bearer ${secrets.customer.slice(0, 4)}…`,
        );
        expect(axiosError.config?.headers.get('X-SIGNATURE')).toBe(`${secrets.signature.slice(0, 4)}…`);
        expect(axiosError.config?.headers.get('X-PARTNER-ID')).toBe('client-1');
        // The request stays readable for code that wants it, out of the printed forms.
        expect(axiosError.request).toBeDefined();
      }
    },
  );

  it('hides the token of a call that failed without an answer (connection refused)', async () => {
    const api = await startApi(200);
    const url = api.url;
    await api.close();
    const access = randomSecret();
    const manager = new TokenManager(new FakeProvider().script(makeToken({ value: access })));
    const instance = axios.create({ baseURL: url });
    attachTokenManager(instance, manager);
    const error = await instance.get('/v1/balance').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await manager.close();
    expect(error).toBeInstanceOf(AxiosError);
    expect(inspect(error, { depth: 8 }).includes(access)).toBe(false);
    expect(JSON.stringify(error).includes(access)).toBe(false);
  });
});
