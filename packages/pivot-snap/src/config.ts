import {
  IsEndpointPath,
  IsHeaderValue,
  IsKeyPassphrase,
  IsSecretReference,
  ServiceSigningConfig,
  SignedProviderConfig,
} from '@kunci/core/provider';
import { Type } from 'class-transformer';
import { Equals, IsNotEmpty, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { PIVOT_SNAP } from './codes';

/** Pivot's current page. */
export const DEFAULT_PIVOT_SNAP_PATHS = Object.freeze({
  b2b: '/open-api/v1/access-token/b2b',
  b2b2c: '/open-api/v1/access-token/b2b2c',
});

/** An older revision of Pivot's docs; set `paths` to these if your Pivot contact gave you this base. */
export const LEGACY_PIVOT_SNAP_PATHS = Object.freeze({
  b2b: '/snap/v1.0/access-token/b2b',
  b2b2c: '/snap/v1.0/access-token/b2b2c',
});

export class PivotSnapPaths {
  @IsOptional()
  @IsEndpointPath()
  b2b?: string | undefined;

  @IsOptional()
  @IsEndpointPath()
  b2b2c?: string | undefined;
}

export class PivotSnapConfig extends SignedProviderConfig {
  // Optional when the factory is called directly; refused when it names another provider.
  @Equals(PIVOT_SNAP, { message: `$property must be '${PIVOT_SNAP}' for a Pivot SNAP config` })
  override provider: string = PIVOT_SNAP;

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

  @IsOptional()
  @IsObject({ message: "$property must be an object such as { b2b: '/open-api/v1/access-token/b2b' }" })
  @ValidateNested()
  @Type(() => PivotSnapPaths)
  paths?: PivotSnapPaths | undefined;

  // Service calls (after the token): the HMAC key of X-SIGNATURE. Not needed to fetch tokens.
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

  @IsOptional()
  @IsObject({ message: '$property must be an object such as { includeQuery: true }' })
  @ValidateNested()
  @Type(() => ServiceSigningConfig)
  signing?: ServiceSigningConfig | undefined;
}

export function pivotSnapPaths(config: Pick<PivotSnapConfig, 'paths'>): { b2b: string; b2b2c: string } {
  return {
    b2b: config.paths?.b2b ?? DEFAULT_PIVOT_SNAP_PATHS.b2b,
    b2b2c: config.paths?.b2b2c ?? DEFAULT_PIVOT_SNAP_PATHS.b2b2c,
  };
}
