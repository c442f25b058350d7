import { serviceSigningOptions, type ServiceSigningOptions, type TimestampFormat } from '@kunci/core/provider';
import type { SnapConfig } from './config';
import {
  DEFAULT_SNAP_PROFILE,
  SNAP_PROFILES,
  type SnapCustomerGrantType,
  type SnapMinify,
  type SnapProfileName,
  type SnapServiceSignature,
} from './profiles';

/** The core's service-signing options and the minify rule of the body hash. */
export interface SnapSigningOptions extends ServiceSigningOptions {
  minify: SnapMinify;
}

/** A profile's settings with a config's overrides laid over them: what the provider runs on. */
export interface ResolvedSnapSettings {
  profile: SnapProfileName;
  paths: { b2b: string; b2b2c: string };
  timestamp: TimestampFormat;
  serviceSignature: SnapServiceSignature;
  tokenWithAsymmetric: boolean;
  signing: SnapSigningOptions;
  customerGrantType: SnapCustomerGrantType;
}

type Overrides = Pick<
  SnapConfig,
  'profile' | 'paths' | 'timestamp' | 'serviceSignature' | 'tokenWithAsymmetric' | 'signing' | 'customerGrantType'
>;

/** The named profile (default 'aspi'), each setting the config gives taking its place. */
export function snapSettings(config: Overrides): ResolvedSnapSettings {
  const name = (config.profile ?? DEFAULT_SNAP_PROFILE) as SnapProfileName;
  const profile = SNAP_PROFILES[name];
  return {
    profile: name,
    paths: { b2b: config.paths?.b2b ?? profile.paths.b2b, b2b2c: config.paths?.b2b2c ?? profile.paths.b2b2c },
    timestamp: {
      offset: config.timestamp?.offset ?? profile.timestamp.offset,
      milliseconds: config.timestamp?.milliseconds ?? profile.timestamp.milliseconds,
    },
    serviceSignature: config.serviceSignature ?? profile.serviceSignature,
    tokenWithAsymmetric: config.tokenWithAsymmetric ?? profile.tokenWithAsymmetric,
    signing: { ...serviceSigningOptions(config.signing), minify: config.signing?.minify ?? profile.minify },
    customerGrantType: (config.customerGrantType as SnapCustomerGrantType | undefined) ?? profile.customerGrantType,
  };
}
