// Everything the sandbox takes from the provider packages' emulators, in one place.
import { STATUS_CODES } from 'node:http';
import {
  jsonResponse,
  parseJsonObject,
  type EmulatedRequest,
  type EmulatedResponse,
  type ProviderEmulator,
} from '@kunci/core/emulator';
import { createKlikooEmulator, klikooErrorBody } from '@kunci/klikoo/emulator';
import { createPivotLegacyEmulator, pivotLegacyErrorBody } from '@kunci/pivot-legacy/emulator';
import { createPivotSnapEmulator, pivotSnapErrorBody } from '@kunci/pivot-snap/emulator';
import type { SandboxClient, SandboxProvider } from './credentials';
import type { SandboxCall, SandboxFlow } from './faults';

export interface EmulatorSettings {
  /** The emulated server's clock (a fault may move it). */
  clock: () => number;
  tokenLifetimeSeconds?: number;
  /** The token paths, when a config moved them. */
  paths?: { b2b?: string | undefined; b2b2c?: string | undefined; path?: string | undefined } | undefined;
}

/** Any auth code a sandbox customer may present: printable, no spaces, at most 128 characters. */
const SANDBOX_AUTH_CODE = /^[\x21-\x7e]{1,128}$/;

type ClientOf<P extends SandboxProvider> = Extract<SandboxClient, { provider: P }>;
const clientsOf = <P extends SandboxProvider>(clients: readonly SandboxClient[], provider: P): Array<ClientOf<P>> =>
  clients.filter((client): client is ClientOf<P> => client.provider === provider);

/** One provider's emulator, accepting the clients given. */
export function createEmulator(
  provider: SandboxProvider,
  clients: readonly SandboxClient[],
  settings: EmulatorSettings,
): ProviderEmulator {
  const lifetime =
    settings.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: settings.tokenLifetimeSeconds } : {};
  const { paths } = settings;
  switch (provider) {
    case 'pivot-snap':
      return createPivotSnapEmulator({
        clients: clientsOf(clients, provider),
        authCodePattern: SANDBOX_AUTH_CODE,
        clock: settings.clock,
        ...lifetime,
        ...(paths !== undefined
          ? {
              paths: {
                ...(paths.b2b !== undefined ? { b2b: paths.b2b } : {}),
                ...(paths.b2b2c !== undefined ? { b2b2c: paths.b2b2c } : {}),
              },
            }
          : {}),
      });
    case 'pivot-legacy':
      return createPivotLegacyEmulator({
        merchants: clientsOf(clients, provider),
        clock: settings.clock,
        ...lifetime,
        ...(paths?.path !== undefined ? { path: paths.path } : {}),
      });
    case 'klikoo':
      return createKlikooEmulator({
        clients: clientsOf(clients, provider),
        clock: settings.clock,
        ...lifetime,
        ...(paths?.path !== undefined ? { path: paths.path } : {}),
      });
  }
}

/** The flow a token path serves: SNAP's second path is its B2B2C token, every other path a B2B one. */
export function flowOf(emulator: ProviderEmulator, path: string): SandboxFlow | undefined {
  const index = emulator.paths.indexOf(path);
  return index === -1 ? undefined : index === 1 ? 'b2b2c' : 'b2b';
}

const LEGACY_CODES: Record<number, string> = {
  400: 'api_validation_error',
  401: 'credentials_invalid',
  403: 'forbidden_access',
  404: 'not_found',
  408: 'request_timeout',
  413: 'payload_too_large',
  429: 'too_many_requests',
};
const KLIKOO_CODES: Record<number, [string, string]> = {
  400: ['400016510', 'Validasi Error'],
  401: ['401016570', 'Kredensial tidak sesuai'],
  403: ['403016571', 'IP tidak ada di dalam whitelist'],
  429: ['429010000', 'Terlalu banyak permintaan'],
};
const SNAP_MESSAGES: Record<number, string> = { 403: 'Feature Not Allowed', 500: 'General Error', 504: 'Timeout' };

/** The provider's own error answer for an HTTP status, as its gateway would send it. */
export function errorAnswer(
  provider: SandboxProvider,
  flow: SandboxFlow | undefined,
  status: number,
  headers: Record<string, string> = {},
): EmulatedResponse {
  const reason = STATUS_CODES[status] ?? 'Error';
  switch (provider) {
    case 'pivot-snap':
      return jsonResponse(
        status,
        pivotSnapErrorBody(`${status}${flow === 'b2b2c' ? '74' : '73'}00`, SNAP_MESSAGES[status] ?? reason),
        headers,
      );
    case 'pivot-legacy': {
      const code =
        LEGACY_CODES[status] ?? (status >= 500 ? 'service_unavailable' : reason.toLowerCase().replace(/\W+/g, '_'));
      return jsonResponse(
        status,
        pivotLegacyErrorBody(code, reason, status >= 500 ? 'GATEWAY_ERROR' : 'API_ERROR'),
        headers,
      );
    }
    case 'klikoo': {
      const [code, message] = KLIKOO_CODES[status] ?? [
        `${status}01${status >= 500 ? '0001' : '0000'}`,
        status >= 500 ? 'Supplier sedang gangguan' : reason,
      ];
      return jsonResponse(status, klikooErrorBody(code, message), headers);
    }
  }
}

/** A success answer cut off half-way, as a dropped connection behind a proxy leaves it. */
export function truncatedAnswer(provider: SandboxProvider): EmulatedResponse {
  const start: Record<SandboxProvider, string> = {
    'pivot-snap': '{"responseCode":"2007300","responseMessage":"Successful","accessToken":"eyJhbGciOi',
    'pivot-legacy': '{"code":"00","message":"Success","data":{"accessToken":"eyJhbGciOi',
    klikoo: '{"response_code":"200012000","response_message":"Sukses","data":{"access_tok',
  };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: start[provider] };
}

function timestampVerdict(timestamp: string | undefined, now: number): string {
  const at = timestamp !== undefined ? Date.parse(timestamp) : Number.NaN;
  if (
    timestamp === undefined ||
    Number.isNaN(at) ||
    !/T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$/.test(timestamp)
  ) {
    return `timestamp ${timestamp ?? '(none)'} is not in the format yyyy-MM-ddTHH:mm:ss±HH:MM`;
  }
  const minutes = Math.abs(at - now) / 60_000;
  const amount = minutes >= 10 ? Math.round(minutes).toString() : minutes.toFixed(1).replace(/\.0$/, '');
  return `timestamp ${timestamp} is ${amount} min ${at < now ? 'behind' : 'ahead of'} the server clock (${new Date(now).toISOString()})`;
}

export const ACCEPTED = 'accepted';

const signatureVerdict = (clientId: string): string =>
  `signature does not verify against the registered key for client ${clientId}`;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Why an API call (not a token call) was refused, from the code the provider's verifier answered. */
function serviceVerdict(
  provider: SandboxProvider,
  request: EmulatedRequest,
  response: EmulatedResponse,
  now: number,
): string {
  const body = parseJsonObject(response.body) ?? {};
  const h = request.headers;
  const signed = `${request.method} ${request.url ?? request.path}`;
  switch (provider) {
    case 'pivot-snap': {
      const code = text(body.responseCode);
      const message = text(body.responseMessage);
      const kase = code.slice(5);
      const missing = /^Invalid Mandatory Field (\S+)$/.exec(message);
      if (missing !== null) return `the ${missing[1] ?? ''} header is missing`;
      if (response.status === 401 && kase === '01')
        return 'the B2B token (Authorization) is not one issued by the sandbox, or it has expired';
      if (/Unknown Client/.test(message))
        return `X-PARTNER-ID ${h['x-partner-id'] ?? ''} is not the partner of the token's client`;
      if (/X-TIMESTAMP/.test(message)) return timestampVerdict(h['x-timestamp'], now);
      if (/Invalid Signature/.test(message))
        return `X-SIGNATURE does not verify with the client secret over ${signed}, the token, the body and X-TIMESTAMP`;
      if (/Invalid Customer Token/.test(message))
        return 'the customer token (Authorization-Customer) is not one issued by the sandbox, or it has expired';
      if (/X-EXTERNAL-ID/.test(message))
        return `X-EXTERNAL-ID ${h['x-external-id'] ?? ''} is not numeric (at most 36 digits)`;
      if (response.status === 409)
        return `X-EXTERNAL-ID ${h['x-external-id'] ?? ''} was already used today (reused external id)`;
      return `${message} (${code})`;
    }
    case 'klikoo': {
      const code = text(body.response_code);
      switch (code.slice(5)) {
        case '6500':
          return 'the token (Authorization) is not one issued by the sandbox';
        case '6535':
          return 'the token (Authorization) has expired';
        case '6512':
          return 'the Open-Api-Timestamp or Open-Api-Signature header is missing';
        case '6505':
          return timestampVerdict(h['open-api-timestamp'], now);
        case '6508':
          return `Open-Api-Signature does not verify with the client secret over ${signed}, the token, the body and Open-Api-Timestamp`;
        default:
          return `${text(body.response_message)} (${code})`;
      }
    }
    case 'pivot-legacy':
      return `no pivot-legacy token endpoint at ${request.method} ${request.path} (the sandbox plays its token endpoint only)`;
  }
}

/** Why the emulator answered as it did: "accepted", or the refusal in a sentence. */
export function explain(
  provider: SandboxProvider,
  call: SandboxCall,
  request: EmulatedRequest,
  response: EmulatedResponse,
  now: number,
  clients: readonly SandboxClient[],
): string {
  if (response.status >= 200 && response.status < 300) return ACCEPTED;
  if (call === 'service') return serviceVerdict(provider, request, response, now);
  if (response.status === 404) return `no ${provider} token endpoint at ${request.method} ${request.path}`;
  const body = parseJsonObject(response.body) ?? {};
  switch (provider) {
    case 'pivot-snap': {
      const clientId = request.headers['x-client-key'] ?? '';
      const message = text(body.responseMessage);
      if (/Unknown Client/.test(message)) return `client ${clientId} is not registered`;
      if (/X-TIMESTAMP/.test(message) && /Format/.test(message))
        return timestampVerdict(request.headers['x-timestamp'], now);
      if (/Invalid Signature/.test(message)) return signatureVerdict(clientId);
      if (/Invalid Customer Token/.test(message))
        return 'the auth code is unknown or the refresh token is not the current one (a used, rotated refresh token is refused)';
      return `${message} (${text(body.responseCode)})`;
    }
    case 'pivot-legacy': {
      const merchantId = request.headers['x-merchant-id'];
      if (body.code === 'credentials_invalid') {
        if (merchantId === undefined || merchantId === '') return 'the X-MERCHANT-ID header is missing';
        return clientsOf(clients, provider).some((m) => m.merchantId === merchantId)
          ? `wrong merchant secret for merchant ${merchantId}`
          : `merchant ${merchantId} is not registered`;
      }
      return `${text(body.message)} (${text(body.code)})`;
    }
    case 'klikoo': {
      const info = parseJsonObject(request.body)?.additional_info;
      const clientId =
        typeof info === 'object' && info !== null ? text((info as Record<string, unknown>).client_id) : '';
      const code = text(body.response_code);
      if (code === '400016505') return timestampVerdict(request.headers['open-api-timestamp'], now);
      if (code === '400016508') return signatureVerdict(clientId);
      if (code === '401016570') {
        return clientsOf(clients, provider).some((c) => c.clientId === clientId)
          ? `wrong client secret for client ${clientId}`
          : `client ${clientId} is not registered`;
      }
      return `${text(body.response_message)} (${code})`;
    }
  }
}
