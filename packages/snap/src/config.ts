import {
  IsEndpointPath,
  IsHeaderValue,
  IsKeyPassphrase,
  IsSecretReference,
  ServiceSigningConfig,
  SignedProviderConfig,
} from '@kunci/core/provider';
import { Type } from 'class-transformer';
import { Equals, IsBoolean, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { SNAP } from './codes';
import { SNAP_CUSTOMER_GRANT_TYPES, SNAP_PROFILE_NAMES } from './profiles';

const quoted = (names: readonly string[]): string => names.map((name) => `'${name}'`).join(', ');

export class SnapPaths {
  @IsOptional()
  @IsEndpointPath()
  b2b?: string | undefined;

  @IsOptional()
  @IsEndpointPath()
  b2b2c?: string | undefined;
}

/** The core's service-signing options, and what the body hash is taken over. */
export class SnapSigningConfig extends ServiceSigningConfig {
  @IsOptional()
  @IsIn(['compact', 'strip-all'], { message: "$property must be 'compact' or 'strip-all'" })
  minify?: 'compact' | 'strip-all' | undefined;
}

/**
 * The standard's optional headers of a service call (ASPI "Keamanan", transaction request B2B2C):
 * `ORIGIN`, and the end user's `X-DEVICE-ID`, `X-IP-ADDRESS`, `X-LATITUDE`, `X-LONGITUDE`. The
 * lengths are the standard's, except X-IP-ADDRESS, which also takes an IPv6 address.
 */
export class SnapHeadersConfig {
  @IsOptional()
  @IsString()
  @IsHeaderValue('ORIGIN', { maxLength: 255, spaces: false })
  ORIGIN?: string | undefined;

  @IsOptional()
  @IsString()
  @IsHeaderValue('X-DEVICE-ID', { maxLength: 400 })
  'X-DEVICE-ID'?: string | undefined;

  @IsOptional()
  @IsString()
  @IsHeaderValue('X-IP-ADDRESS', { maxLength: 45, spaces: false })
  'X-IP-ADDRESS'?: string | undefined;

  @IsOptional()
  @IsString()
  @IsHeaderValue('X-LATITUDE', { maxLength: 10, spaces: false })
  'X-LATITUDE'?: string | undefined;

  @IsOptional()
  @IsString()
  @IsHeaderValue('X-LONGITUDE', { maxLength: 10, spaces: false })
  'X-LONGITUDE'?: string | undefined;
}

/** The header names a config (`headers`) or a call may add to a signed service call. */
export const SNAP_EXTRA_HEADERS = Object.freeze([
  'ORIGIN',
  'X-DEVICE-ID',
  'X-IP-ADDRESS',
  'X-LATITUDE',
  'X-LONGITUDE',
] as const);

export type SnapExtraHeader = (typeof SNAP_EXTRA_HEADERS)[number];

/**
 * What every SNAP client config holds, whichever package names the provider: the client id, the
 * key that signs the token request (and asymmetric calls), and the secret, partner and channel of
 * its service calls.
 */
export abstract class SnapClientConfig extends SignedProviderConfig {
  // It travels in the X-CLIENT-KEY header and in the signed string: header-safe characters only.
  @IsString()
  @IsNotEmpty()
  @IsHeaderValue('X-CLIENT-KEY', { maxLength: 256, spaces: false })
  clientId!: string;

  @IsSecretReference()
  @IsNotEmpty()
  privateKey!: string;

  @IsKeyPassphrase()
  privateKeyPassphrase?: string | undefined;

  // Symmetric service calls: the HMAC key of X-SIGNATURE. Not needed to fetch tokens.
  @IsOptional()
  @IsSecretReference()
  @IsNotEmpty()
  clientSecret?: string | undefined;

  // Sent as X-PARTNER-ID; default clientId.
  @IsOptional()
  @IsString()
  @IsHeaderValue('X-PARTNER-ID', { maxLength: 64, spaces: false })
  partnerId?: string | undefined;

  // Sent as CHANNEL-ID.
  @IsOptional()
  @IsString()
  @IsHeaderValue('CHANNEL-ID', { maxLength: 64, spaces: false })
  channelId?: string | undefined;
}

export class SnapConfig extends SnapClientConfig {
  // Optional when the factory is called directly; refused when it names another provider.
  @Equals(SNAP, { message: `$property must be '${SNAP}' for a SNAP config` })
  override provider: string = SNAP;

  /** A name of SNAP_PROFILES; default 'aspi' (the standard's own settings). */
  @IsOptional()
  @IsIn(SNAP_PROFILE_NAMES, { message: `$property must be one of ${quoted(SNAP_PROFILE_NAMES)}` })
  profile?: string | undefined;

  @IsOptional()
  @IsObject({ message: "$property must be an object such as { b2b: '/v1.0/access-token/b2b' }" })
  @ValidateNested()
  @Type(() => SnapPaths)
  paths?: SnapPaths | undefined;

  @IsOptional()
  @IsIn(['symmetric', 'asymmetric'], { message: "$property must be 'symmetric' or 'asymmetric'" })
  serviceSignature?: 'symmetric' | 'asymmetric' | undefined;

  /** Whether `Authorization: Bearer <B2B token>` goes with an asymmetric service call. */
  @IsOptional()
  @IsBoolean()
  tokenWithAsymmetric?: boolean | undefined;

  /** The B2B2C grant type as the provider writes it. */
  @IsOptional()
  @IsIn(SNAP_CUSTOMER_GRANT_TYPES, { message: `$property must be one of ${quoted(SNAP_CUSTOMER_GRANT_TYPES)}` })
  customerGrantType?: string | undefined;

  @IsOptional()
  @IsObject({ message: "$property must be an object such as { minify: 'compact' }" })
  @ValidateNested()
  @Type(() => SnapSigningConfig)
  signing?: SnapSigningConfig | undefined;

  @IsOptional()
  @IsObject({ message: "$property must be an object such as { 'X-DEVICE-ID': 'android-20013adf6cdd8123f' }" })
  @ValidateNested()
  @Type(() => SnapHeadersConfig)
  headers?: SnapHeadersConfig | undefined;
}
