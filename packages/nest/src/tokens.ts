import { Inject } from '@nestjs/common';
import { AuthError } from '@kunci/core';

/** What the module is called in its errors. */
export const KUNCI_NEST = 'kunci';

/**
 * The names the Inject* decorators were given, recorded when the decorated classes load. A module
 * set up with forRootAsync only learns the config's names once its factory has run, after Nest has
 * read the module's providers: the recorded names are how it knows them in time. They only add
 * providers: which names the application needs is read from its modules at bootstrap
 * (injected.ts), so a decorated class that no module uses asks for nothing.
 */
const injectedNames = new Set<string>();

/** Every name a decorator asked for so far. */
export function injectedProviderNames(): readonly string[] {
  return [...injectedNames];
}

function checkedName(name: unknown, what: string): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new AuthError(
      'CONFIG_INVALID',
      `${what} needs the name of a provider of the kunci config (a non-empty string).`,
      { provider: KUNCI_NEST },
    );
  }
  return name;
}

/** A named injection token: its kind, then the provider's name. */
export const NAMED_TOKEN = /^(KunciTokenManager|KunciTokenProvider|KunciClient):(.+)$/s;

/** The injection token of the TokenManager of the named provider (for `overrideProvider` and `moduleRef.get`). */
export function getTokenManagerToken(name: string): string {
  return `KunciTokenManager:${checkedName(name, 'getTokenManagerToken')}`;
}

/** The injection token of the named TokenProvider. */
export function getTokenProviderToken(name: string): string {
  return `KunciTokenProvider:${checkedName(name, 'getTokenProviderToken')}`;
}

/** The injection token of the named provider's axios instance. */
export function getKunciClientToken(name: string): string {
  return `KunciClient:${checkedName(name, 'getKunciClientToken')}`;
}

function injectNamed(name: string, token: (name: string) => string): ParameterDecorator & PropertyDecorator {
  const inject = Inject(token(name));
  injectedNames.add(name);
  return inject;
}

/** Injects the `TokenManager` of the named provider of the kunci config. */
export function InjectTokenManager(name: string): ParameterDecorator & PropertyDecorator {
  return injectNamed(name, getTokenManagerToken);
}

/** Injects the named `TokenProvider` (one HTTP call per `fetchToken`, no cache: most code wants the manager). */
export function InjectTokenProvider(name: string): ParameterDecorator & PropertyDecorator {
  return injectNamed(name, getTokenProviderToken);
}

/** Injects the named provider's axios instance: `baseURL` is the provider's, and every request carries its token. */
export function InjectKunciClient(name: string): ParameterDecorator & PropertyDecorator {
  return injectNamed(name, getKunciClientToken);
}
