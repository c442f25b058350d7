import {
  NOTIFICATION_VARIANTS,
  type ExpectedAnswer,
  type NotificationVariant,
  type Notifier,
  type OutgoingRequest,
  type ReceivedAnswer,
} from '@kunci/core/emulator';
import { configError } from '@kunci/core/provider';
import type { InboundConfig } from '@kunci/inbound';
import type { SandboxKeysOf } from './credentials';
import { driverOf, SANDBOX_PROVIDERS, type SandboxProvider } from './drivers';
import { sendRequest } from './notify-send';

// The sandbox plays the provider's side of notifications: the driver's notifier signs, this file
// sends and judges. No provider, header or code is named here: the notifier gives the request and
// the right answers, and reads the answer's code from the provider's envelope.

/** What `sandbox.notify` sends. */
export interface NotifyOptions {
  provider: SandboxProvider;
  /** The provider's scheme (`asymmetric`, `symmetric`, `api-key`); default its first (`SANDBOX_NOTIFICATIONS`). */
  scheme?: string | undefined;
  /** The backend's notification route, absolute (`http://127.0.0.1:3000/v1.0/debit/notify`). */
  url: string;
  /** The backend's token route, for a scheme that asks for a token first; default the provider's path on the url's origin. */
  tokenUrl?: string | undefined;
  /** Default `good`. */
  variant?: NotificationVariant | undefined;
  /** The notification's body; default the provider's example. */
  body?: unknown;
  /** How long to wait for each answer; default 10 s. */
  timeoutMs?: number | undefined;
}

/** One answer of the backend: its status, its code and message in the provider's envelope, its body. */
export interface NotifyAnswer {
  status: number;
  code?: string | undefined;
  message?: string | undefined;
  /** The body, parsed when it is JSON, else its text (at most 2,000 characters). */
  body: unknown;
}

/** What the backend answered to one notification, and whether that was the right answer. */
export interface NotifyResult {
  provider: string;
  scheme: string;
  variant: NotificationVariant;
  url: string;
  /** The answers in order: a replayed notification is sent twice. */
  answers: NotifyAnswer[];
  /** The right answer to each sending, in words. */
  expected: string[];
  /** Every answer was the right one. */
  right: boolean;
  /** Why it was not, in a sentence. */
  problem?: string | undefined;
}

/** Each provider's notification schemes and, for each, the variants that mean something. */
export const SANDBOX_NOTIFICATIONS: Readonly<
  Partial<Record<SandboxProvider, Readonly<Record<string, readonly NotificationVariant[]>>>>
> = Object.freeze(
  Object.fromEntries(
    SANDBOX_PROVIDERS.flatMap((provider) => {
      const notifier = driverOf(provider)?.notifier;
      if (notifier === undefined) return [];
      return [[provider, Object.fromEntries(notifier.schemes.map((scheme) => [scheme, notifier.variants(scheme)]))]];
    }),
  ),
);

export const DEFAULT_NOTIFY_TIMEOUT_MS = 10_000;
const MAX_SHOWN_TEXT = 2_000;

/** The notifier of a provider and the scheme asked for, or a CONFIG_INVALID naming what is known. */
export function notifierOf(provider: unknown, scheme: string | undefined): { notifier: Notifier; scheme: string } {
  const notifier = driverOf(provider)?.notifier;
  if (notifier === undefined)
    throw configError('sandbox', [
      `provider must be one that sends notifications: ${Object.keys(SANDBOX_NOTIFICATIONS).join(', ')}`,
    ]);
  const chosen = scheme ?? notifier.schemes[0] ?? '';
  if (!notifier.schemes.includes(chosen))
    throw configError('sandbox', [`scheme must be one of ${notifier.schemes.join(', ')} for ${String(provider)}`]);
  return { notifier, scheme: chosen };
}

function readBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > MAX_SHOWN_TEXT ? `${text.slice(0, MAX_SHOWN_TEXT)}…` : text;
  }
}

function answerOf(notifier: Notifier, received: ReceivedAnswer): NotifyAnswer {
  const body = readBody(received.body);
  const code = notifier.readAnswer(body);
  return { status: received.status, ...(code !== undefined ? { code: code.code, message: code.message } : {}), body };
}

function isRight(answer: NotifyAnswer, expected: ExpectedAnswer): boolean {
  if (answer.status !== expected.status) return false;
  return expected.code === undefined || (answer.code !== undefined && expected.code.test(answer.code));
}

function checkUrl(field: string, url: unknown): string {
  if (typeof url !== 'string') throw configError('sandbox', [`${field} must be an absolute http(s) URL`]);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configError('sandbox', [`${field} must be an absolute http(s) URL`]);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw configError('sandbox', [`${field} must be an absolute http(s) URL`]);
  return parsed.toString();
}

/**
 * Signs one notification with the provider's notifier, sends it (twice for a replay) and judges
 * each answer. A backend that does not answer, or a token route that refuses, makes a wrong result,
 * not a rejection: only bad options reject (CONFIG_INVALID).
 */
export async function sendNotification(
  options: NotifyOptions,
  credentials: (provider: SandboxProvider) => unknown,
  now: number,
): Promise<NotifyResult> {
  if (typeof options !== 'object' || options === null) throw configError('sandbox', ['notify needs an options object']);
  const { notifier, scheme } = notifierOf(options.provider, options.scheme);
  const variant = options.variant ?? 'good';
  if (!NOTIFICATION_VARIANTS.includes(variant))
    throw configError('sandbox', [`variant must be one of ${NOTIFICATION_VARIANTS.join(', ')}`]);
  const url = checkUrl('url', options.url);
  const tokenUrl = options.tokenUrl === undefined ? undefined : checkUrl('tokenUrl', options.tokenUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS;
  const send = (request: OutgoingRequest): Promise<ReceivedAnswer> => sendRequest(request, timeoutMs);
  const result = (answers: NotifyAnswer[], expected: string[], problem?: string): NotifyResult => ({
    provider: options.provider,
    scheme,
    variant,
    url,
    answers,
    expected,
    right: problem === undefined,
    ...(problem !== undefined ? { problem } : {}),
  });
  if (!notifier.variants(scheme).includes(variant))
    return result([], [], `a ${variant} notification means nothing for ${scheme} notifications`);
  let expected: string[] = [];
  const answers: NotifyAnswer[] = [];
  try {
    const signed = await notifier.sign({
      credentials: credentials(options.provider),
      scheme,
      variant,
      url,
      tokenUrl,
      ...(options.body !== undefined ? { body: options.body } : {}),
      now,
      send,
    });
    if (!signed.ok)
      return result(signed.answer !== undefined ? [answerOf(notifier, signed.answer)] : [], [], signed.problem);
    expected = signed.expected.map((e) => e.description);
    for (const [index, right] of signed.expected.entries()) {
      const answer = answerOf(notifier, await send(signed.request));
      answers.push(answer);
      if (!isRight(answer, right)) {
        const got = `${answer.status}${answer.code !== undefined ? `, ${answer.code}` : ''}`;
        const which = signed.expected.length > 1 ? `sending ${index + 1} of ${signed.expected.length}: ` : '';
        return result(answers, expected, `${which}expected ${right.description}, got ${got}`);
      }
    }
    return result(answers, expected);
  } catch (error) {
    const message = (error as { message?: unknown } | null)?.message;
    return result(answers, expected, `no answer: ${typeof message === 'string' ? message : String(error)}`);
  }
}

/** The `createInbound` config that accepts the sandbox's notifications of a provider and scheme. */
export function inboundConfigOf(
  provider: SandboxProvider,
  scheme: string | undefined,
  credentials: unknown,
): InboundConfig {
  const chosen = notifierOf(provider, scheme);
  return chosen.notifier.inboundConfig(credentials, chosen.scheme) as unknown as InboundConfig;
}

/** The provider side's credentials of each provider that notifies: given (an earlier run's), else generated. */
export async function notifyCredentials(
  keysOf: SandboxKeysOf,
  given: Partial<Record<SandboxProvider, unknown>> | undefined,
): Promise<ReadonlyMap<SandboxProvider, unknown>> {
  const providers = Object.keys(SANDBOX_NOTIFICATIONS) as SandboxProvider[];
  const generated = await Promise.all(
    providers.map(
      async (provider) =>
        [
          provider,
          given?.[provider] ?? (await driverOf(provider)?.notifier?.generate(keysOf(`notifier:${provider}`))),
        ] as const,
    ),
  );
  return new Map(generated);
}
