import { BaseProviderConfig, IsEndpointPath, IsHeaderValue, IsSecretReference } from '@kunci/core/provider';
import { Equals, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { PIVOT_LEGACY } from './codes';

export const DEFAULT_PIVOT_LEGACY_PATH = '/v1/access-token';

export class PivotLegacyConfig extends BaseProviderConfig {
  // Optional when the factory is called directly; refused when it names another provider.
  @Equals(PIVOT_LEGACY, { message: `$property must be '${PIVOT_LEGACY}' for a Pivot legacy config` })
  override provider: string = PIVOT_LEGACY;

  @IsString()
  @IsNotEmpty()
  @IsHeaderValue('X-MERCHANT-ID', { maxLength: 256 })
  merchantId!: string;

  @IsSecretReference()
  @IsNotEmpty()
  merchantSecret!: string;

  @IsOptional()
  @IsEndpointPath()
  path?: string | undefined;
}
