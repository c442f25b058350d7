import { BaseProviderConfig, IsEndpointPath, IsSecretReference } from '@kunci/core';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export const DEFAULT_PIVOT_LEGACY_PATH = '/v1/access-token';

export class PivotLegacyConfig extends BaseProviderConfig {
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  merchantId!: string;

  @IsSecretReference()
  @IsNotEmpty()
  merchantSecret!: string;

  @IsOptional()
  @IsEndpointPath()
  path?: string;
}
