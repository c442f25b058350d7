import { ServiceSigningConfig } from '@kunci/core/provider';
import { SNAP_PROFILES, SnapClientConfig, SnapPaths } from '@kunci/snap';
import { Type } from 'class-transformer';
import { Equals, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { PIVOT_SNAP } from './codes';

/** Pivot's current page (the `pivot` profile's paths). */
export const DEFAULT_PIVOT_SNAP_PATHS = SNAP_PROFILES.pivot.paths;

/** An older revision of Pivot's docs; set `paths` to these if your Pivot contact gave you this base. */
export const LEGACY_PIVOT_SNAP_PATHS = Object.freeze({
  b2b: '/snap/v1.0/access-token/b2b',
  b2b2c: '/snap/v1.0/access-token/b2b2c',
});

/** The token paths, each optional (SNAP's `SnapPaths`, under Pivot SNAP's name). */
export class PivotSnapPaths extends SnapPaths {}

export class PivotSnapConfig extends SnapClientConfig {
  // Optional when the factory is called directly; refused when it names another provider.
  @Equals(PIVOT_SNAP, { message: `$property must be '${PIVOT_SNAP}' for a Pivot SNAP config` })
  override provider: string = PIVOT_SNAP;

  @IsOptional()
  @IsObject({ message: "$property must be an object such as { b2b: '/open-api/v1/access-token/b2b' }" })
  @ValidateNested()
  @Type(() => PivotSnapPaths)
  paths?: PivotSnapPaths | undefined;

  @IsOptional()
  @IsObject({ message: '$property must be an object such as { includeQuery: true }' })
  @ValidateNested()
  @Type(() => ServiceSigningConfig)
  signing?: ServiceSigningConfig | undefined;
}
