import { createHash, createHmac, generateKeyPair, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type {
  ExpectedAnswer,
  NotificationVariant,
  Notifier,
  NotifyInput,
  OutgoingRequest,
  SignedNotification,
} from '@kunci/core/emulator';
import {
  formatTimestamp,
  loadPrivateKey,
  minifyJson,
  signRsaSha256,
  tokenStringToSign,
  type TimestampFormat,
} from '@kunci/core/provider';

// The SNAP side of notifications, written once for any SNAP provider: what a provider signs and
// sends to a backend (protocols: inbound), and what a backend that checks correctly answers. A
// provider (or a SNAP profile) gives its settings; the sandbox asks the result through its driver.

/** The provider's side of SNAP notifications: its key pair, the id it presents, the symmetric secret. */
export interface SnapNotifyCredentials {
  /** `X-PARTNER-ID` on notifications, `X-CLIENT-KEY` on token requests. */
  partnerId: string;
  /** The HMAC secret of symmetric notifications. */
  clientSecret: string;
  privateKeyPem: string;
  /** The public half, SPKI PEM: what the backend is given. */
  publicKeyPem: string;
}

/** What differs between SNAP providers' notifications. */
export interface SnapNotifierSettings {
  /** The backend's token route, appended to the notification URL's origin when none is given. */
  tokenPath: string;
  timestamp: TimestampFormat;
  channelId: string;
  /**
   * The notification sent when the caller gives no body, for its `X-EXTERNAL-ID`: each one differs
   * (the same body signed in the same second is the same signature, which a backend refuses as a replay).
   */
  example(externalId: string): unknown;
}

export const SNAP_NOTIFY_SCHEMES = ['asymmetric', 'symmetric'] as const;

/** A signed timestamp this old is outside any freshness window a backend keeps (at most an hour). */
const STALE_MS = 2 * 60 * 60 * 1000;

const ACCEPTED: ExpectedAnswer = { status: 200, code: /^200\d{4}$/, description: '200, 200xxxx (accepted)' };
const REFUSED_SIGNATURE: ExpectedAnswer = {
  status: 401,
  code: /^401\d{2}00$/,
  description: '401, 401xx00 (Unauthorized. Invalid Signature)',
};
const EXPECTED: Readonly<Record<NotificationVariant, readonly ExpectedAnswer[]>> = {
  good: [ACCEPTED],
  tampered: [REFUSED_SIGNATURE],
  stale: [{ status: 401, code: /^401\d{2}00$/, description: '401, 401xx00 (Unauthorized. Invalid Timestamp)' }],
  replayed: [ACCEPTED, { status: 409, code: /^409\d{2}00$/, description: '409, 409xx00 (Conflict)' }],
  'wrong-key': [REFUSED_SIGNATURE],
  malformed: [{ status: 400, code: /^400\d{2}0[0-2]$/, description: '400, 400xx00 (Bad Request)' }],
};

const generateRsa = promisify(generateKeyPair);
let strangerKey: Promise<KeyObject> | undefined;

/** A key no backend was given, generated once per process: what `wrong-key` signs with. */
function stranger(): Promise<KeyObject> {
  strangerKey ??= generateRsa('rsa', { modulusLength: 2048 }).then((pair) => pair.privateKey);
  return strangerKey;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The body with one byte changed: a digit, else a letter's case; the signature no longer covers it. */
function tampered(text: string): string {
  const digit = /\d/.exec(text);
  if (digit !== null)
    return `${text.slice(0, digit.index)}${(Number(digit[0]) + 1) % 10}${text.slice(digit.index + 1)}`;
  const letter = /[a-z]/i.exec(text);
  if (letter !== null) {
    const c = letter[0];
    const swapped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
    return `${text.slice(0, letter.index)}${swapped}${text.slice(letter.index + 1)}`;
  }
  return '{"tampered":true}';
}

/** A numeric `X-EXTERNAL-ID`, unique enough per day (SNAP: at most 36 digits). */
const externalId = (): string => `${randomInt(100_000_000, 1_000_000_000)}${randomInt(100_000_000, 1_000_000_000)}`;

function absolute(url: string, path: string): string {
  return new URL(path, new URL(url).origin).toString();
}

function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** Reads the token route's answer: the access token, or why there is none. */
function issuedToken(body: string): string | undefined {
  try {
    const value = JSON.parse(body) as { accessToken?: unknown };
    return typeof value.accessToken === 'string' && value.accessToken !== '' ? value.accessToken : undefined;
  } catch {
    return undefined;
  }
}

/** The SNAP notifier of a provider's settings. */
export function snapNotifier(settings: SnapNotifierSettings): Notifier<SnapNotifyCredentials> {
  async function askToken(
    input: NotifyInput<SnapNotifyCredentials>,
    privateKey: KeyObject,
  ): Promise<{ token: string } | SignedNotification> {
    const timestamp = formatTimestamp(input.now, settings.timestamp);
    const { partnerId } = input.credentials;
    const request: OutgoingRequest = {
      method: 'POST',
      url: input.tokenUrl ?? absolute(input.url, settings.tokenPath),
      headers: {
        'Content-Type': 'application/json',
        'X-CLIENT-KEY': partnerId,
        'X-TIMESTAMP': timestamp,
        'X-SIGNATURE': signRsaSha256(privateKey, tokenStringToSign(partnerId, timestamp)),
      },
      body: '{"grantType":"client_credentials"}',
    };
    const answer = await input.send(request);
    const token = answer.status === 200 ? issuedToken(answer.body) : undefined;
    if (token === undefined)
      return {
        ok: false,
        step: `token route ${pathOf(request.url)}`,
        answer,
        problem: `the backend's token route answered ${answer.status} without an accessToken`,
      };
    return { token };
  }

  return {
    schemes: SNAP_NOTIFY_SCHEMES,
    variants: () => Object.keys(EXPECTED) as NotificationVariant[],
    async generate(keys) {
      const { privateKeyPem, publicKey } = await keys.rsa();
      return {
        partnerId: `sandbox-provider-${randomBytes(6).toString('hex')}`,
        clientSecret: randomBytes(32).toString('base64url'),
        privateKeyPem,
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      };
    },
    inboundConfig: (credentials, scheme) => ({
      provider: 'snap',
      scheme,
      clientId: credentials.partnerId,
      publicKey: credentials.publicKeyPem,
      ...(scheme === 'symmetric' ? { clientSecret: credentials.clientSecret } : {}),
    }),
    async sign(input): Promise<SignedNotification> {
      const { credentials, variant, scheme } = input;
      const loaded = loadPrivateKey(credentials.privateKeyPem);
      if (!loaded.ok)
        return { ok: false, step: 'signing', answer: undefined, problem: 'the private key is unreadable' };
      const privateKey = loaded.key;
      const timestamp = formatTimestamp(variant === 'stale' ? input.now - STALE_MS : input.now, settings.timestamp);
      const id = externalId();
      const signed =
        variant === 'malformed'
          ? `{"originalPartnerReferenceNo":"INV-${id}","amount":`
          : JSON.stringify(input.body ?? settings.example(id));
      const path = pathOf(input.url);
      const bodyHash = sha256Hex(minifyJson(signed));
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      let signature: string;
      if (scheme === 'symmetric') {
        const issued = await askToken(input, privateKey);
        if (!('token' in issued)) return issued;
        const secret = variant === 'wrong-key' ? randomBytes(32).toString('base64url') : credentials.clientSecret;
        signature = createHmac('sha512', secret)
          .update(`POST:${path}:${issued.token}:${bodyHash}:${timestamp}`, 'utf8')
          .digest('base64');
        headers.Authorization = `Bearer ${issued.token}`;
      } else {
        const key = variant === 'wrong-key' ? await stranger() : privateKey;
        signature = signRsaSha256(key, `POST:${path}:${bodyHash}:${timestamp}`);
      }
      Object.assign(headers, {
        'X-TIMESTAMP': timestamp,
        'X-SIGNATURE': signature,
        'X-PARTNER-ID': credentials.partnerId,
        'X-EXTERNAL-ID': id,
        'CHANNEL-ID': settings.channelId,
      });
      return {
        ok: true,
        request: {
          method: 'POST',
          url: input.url,
          headers,
          body: variant === 'tampered' ? tampered(signed) : signed,
        },
        expected: EXPECTED[variant],
      };
    },
    readAnswer(body) {
      const { responseCode, responseMessage } = (typeof body === 'object' && body !== null ? body : {}) as Record<
        string,
        unknown
      >;
      return typeof responseCode === 'string'
        ? { code: responseCode, message: typeof responseMessage === 'string' ? responseMessage : '' }
        : undefined;
    },
  };
}

/** Pivot SNAP's notifications to a backend: SNAP's, with Pivot's token path, timestamp and a debit notify. */
export const pivotSnapNotifier = snapNotifier({
  tokenPath: '/v1.0/access-token/b2b',
  timestamp: { offset: '+07:00', milliseconds: false },
  channelId: '95221',
  example: (id) => ({
    originalPartnerReferenceNo: `INV-${id}`,
    originalReferenceNo: id,
    latestTransactionStatus: '00',
    transactionStatusDesc: 'Success',
    amount: { value: '150000.00', currency: 'IDR' },
    additionalInfo: {},
  }),
});
