import { AuthError, isAuthError } from '@kunci/core';
import { configError } from '@kunci/core/provider';
import { ConfigReader } from './config';
import type { DriverDefinition } from './driver';
import { errorAnswer, REFUSALS, refusal } from './errors';
import { klikooInbound, type KlikooInboundConfig } from './providers/klikoo';
import { pivotInbound, type PivotInboundConfig } from './providers/pivot';
import { snapInbound, type SnapInboundConfig } from './providers/snap';
import { receive, Refused, type ReceivedRequest } from './request';
import { guardStore } from './store-calls';
import type { Inbound, InboundAnswer, InboundNotification } from './types';

export type InboundConfig = SnapInboundConfig | PivotInboundConfig | KlikooInboundConfig;

/** The inbound drivers by `provider`. */
const DRIVERS: Readonly<Record<InboundConfig['provider'], DriverDefinition>> = {
  snap: snapInbound,
  pivot: pivotInbound,
  klikoo: klikooInbound,
};

/**
 * Verifies what a provider sends to the backend and answers it: `verify` (the checks of the
 * provider's scheme, in order), `reply` (the acknowledgement or the error's answer) and
 * `issueToken` (the backend's token endpoint, for providers that ask for one). Throws one
 * CONFIG_INVALID for every problem of the config.
 */
export function createInbound(config: InboundConfig): Inbound {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw configError('inbound', ['the config must be an object']);
  const provider = (config as { provider?: unknown }).provider;
  const definition = typeof provider === 'string' ? DRIVERS[provider as InboundConfig['provider']] : undefined;
  if (definition === undefined || !Object.hasOwn(DRIVERS, provider as string))
    throw configError('inbound', [`provider must be one of ${Object.keys(DRIVERS).join(', ')}`]);
  const reader = new ConfigReader(config as unknown as Record<string, unknown>, provider as string, definition.fields);
  const { name, clock, maxBodyBytes } = reader;
  const store = guardStore(reader.store);
  const driver = definition.create({ reader, store, clock, name });
  const verified = new WeakSet<InboundNotification>();

  /** Any failure as an AuthError carrying its answer; a bug's TypeError becomes a General Error, its text dropped. */
  const asError = (error: unknown, serviceCode: string): AuthError => {
    if (error instanceof Refused)
      return refusal(name, error.refused, driver.format.code(error.refused, serviceCode), error.reason);
    if (isAuthError(error)) return error;
    return refusal(
      name,
      REFUSALS.internal,
      driver.format.code(REFUSALS.internal, serviceCode),
      'an unexpected failure while checking the request; nothing was accepted.',
    );
  };

  return Object.freeze({
    provider: name,

    async verify(request: unknown): Promise<InboundNotification> {
      let received: ReceivedRequest | undefined;
      try {
        received = receive(request, maxBodyBytes);
        const notification: InboundNotification = Object.freeze({ provider: name, ...(await driver.verify(received)) });
        verified.add(notification);
        return notification;
      } catch (error) {
        throw asError(error, driver.serviceCode(received?.route ?? ''));
      }
    },

    reply(notificationOrError: unknown): InboundAnswer {
      if (
        typeof notificationOrError === 'object' &&
        notificationOrError !== null &&
        verified.has(notificationOrError as InboundNotification)
      ) {
        const { ack } = notificationOrError as InboundNotification;
        return { status: ack.status, headers: { ...ack.headers }, body: { ...ack.body } };
      }
      return errorAnswer(notificationOrError, driver.format, driver.serviceCode(''));
    },

    async issueToken(request: unknown): Promise<InboundAnswer> {
      const serviceCode = driver.tokenServiceCode ?? '';
      try {
        if (driver.issueToken === undefined)
          throw new Refused(REFUSALS.malformed, `${name} does not ask this backend for tokens.`);
        return await driver.issueToken(receive(request, maxBodyBytes));
      } catch (error) {
        return errorAnswer(asError(error, serviceCode), driver.format, serviceCode);
      }
    },

    async release(notification: InboundNotification): Promise<void> {
      try {
        for (const key of notification.claims) await store.delete(key);
      } catch (error) {
        throw asError(error, driver.serviceCode(''));
      }
    },
  } satisfies Inbound);
}
