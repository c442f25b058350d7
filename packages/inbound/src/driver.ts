import type { ConfigReader } from './config';
import type { AnswerFormat } from './errors';
import type { ReceivedRequest } from './request';
import type { InboundStore } from './store';
import type { InboundAnswer, InboundNotification } from './types';

/** A notification as a driver hands it back: the inbound adds its name. */
export type CheckedNotification = Omit<InboundNotification, 'provider'>;

/**
 * What a provider's inbound side is: its answers, its checks, and its token endpoint if it has one.
 * The shared work (reading the request, turning a refusal into an AuthError and an answer, the
 * store) is `createInbound`'s; a driver knows only its provider's wire.
 */
export interface InboundDriver {
  readonly format: AnswerFormat;
  /** The service code of a route (SNAP: the middle 2 digits of its codes); '' where codes have none. */
  serviceCode(route: string): string;
  /** The checks, in order; a failed one throws a `Refused`. */
  verify(request: ReceivedRequest): Promise<CheckedNotification>;
  /** The token endpoint, when the provider asks for tokens; a failed check throws a `Refused`. */
  issueToken?: ((request: ReceivedRequest) => Promise<InboundAnswer>) | undefined;
  /** The service code of the token endpoint's answers. */
  readonly tokenServiceCode?: string | undefined;
}

/** What a driver factory gets: its config already read for the common options. */
export interface DriverContext {
  readonly reader: ConfigReader;
  readonly store: InboundStore;
  readonly clock: () => number;
  readonly name: string;
}

export type DriverFactory = (context: DriverContext) => InboundDriver;

/** A driver's config fields (beyond the common ones) and its factory. */
export interface DriverDefinition {
  readonly fields: readonly string[];
  readonly create: DriverFactory;
}
