// The providers the sandbox plays: one driver each, from its package's /emulator entry. Registering
// a provider is one entry in SANDBOX_DRIVERS; everything else here is derived from the drivers.
import type { EmulatorDriver } from '@kunci/core/emulator';
import { klikooDriver } from '@kunci/klikoo/emulator';
import { pivotLegacyDriver } from '@kunci/pivot-legacy/emulator';
import { pivotSnapDriver } from '@kunci/pivot-snap/emulator';
import { snapDriver } from '@kunci/snap/emulator';

const SANDBOX_DRIVERS = [pivotSnapDriver, pivotLegacyDriver, klikooDriver, snapDriver] as const;

type Drivers = (typeof SANDBOX_DRIVERS)[number];
type DriverOf<N> = Extract<Drivers, { name: N }>;

/** Any driver, as the sandbox uses it: by name, whatever its clients and credentials. */
export type AnyDriver = EmulatorDriver<string, object, unknown, object>;

export type SandboxProvider = Drivers['name'];

/** A client the sandbox accepts: the credentials a provider would hold for it after onboarding. */
export type SandboxClient = {
  [N in SandboxProvider]: { provider: N } & (DriverOf<N> extends EmulatorDriver<N, infer C> ? C : never);
}[SandboxProvider];

/** The config each provider's generated client makes, by provider name. */
export type SandboxProviderConfigs = {
  [N in SandboxProvider]: DriverOf<N> extends EmulatorDriver<N, object, unknown, infer C> ? C : never;
};

export const SANDBOX_PROVIDERS: readonly SandboxProvider[] = Object.freeze(SANDBOX_DRIVERS.map((d) => d.name));

const BY_NAME: ReadonlyMap<string, AnyDriver> = new Map(SANDBOX_DRIVERS.map((d) => [d.name, d as AnyDriver]));

/** The driver of a provider the sandbox plays; undefined for any other name. */
export function driverOf(name: unknown): AnyDriver | undefined {
  return typeof name === 'string' ? BY_NAME.get(name) : undefined;
}

export function isSandboxProvider(name: unknown): name is SandboxProvider {
  return driverOf(name) !== undefined;
}
