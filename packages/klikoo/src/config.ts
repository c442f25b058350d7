import { Type } from 'class-transformer';
import { Equals, IsNotEmpty, IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import {
  IsEndpointPath,
  IsKeyPassphrase,
  IsSecretReference,
  ServiceSigningConfig,
  SignedProviderConfig,
} from '@kunci/core/provider';
import { KLIKOO } from './codes';

export const DEFAULT_KLIKOO_PATH = '/v1/open-api/access-token';
/** Klikoo issues 32-character client secrets (the access-token page, "Length 32"). */
export const KLIKOO_CLIENT_SECRET_LENGTH = 32;

export class KlikooConfig extends SignedProviderConfig {
  // Optional when the factory is called directly; refused when it names another provider.
  @Equals(KLIKOO, { message: `$property must be '${KLIKOO}' for a Klikoo config` })
  override provider: string = KLIKOO;

  @IsUUID('4', {
    message: '$property must be a UUID v4, as Klikoo issues it (e.g. 3f9c8962-4c4b-4bb6-b3c1-8fc883519c02)',
  })
  clientId!: string;

  @IsSecretReference()
  @IsNotEmpty()
  clientSecret!: string;

  /** RSA-2048 PKCS#8 at Klikoo; PKCS#1, Base64 DER and encrypted keys are read too. */
  @IsSecretReference()
  @IsNotEmpty()
  privateKey!: string;

  @IsKeyPassphrase()
  privateKeyPassphrase?: string | undefined;

  @IsOptional()
  @IsEndpointPath()
  path?: string | undefined;

  /** How API calls after the token are signed where Klikoo's pages are silent or disagree. */
  @IsOptional()
  @IsObject({ message: "$property must be an object such as { methodCase: 'upper' }" })
  @ValidateNested()
  @Type(() => ServiceSigningConfig)
  signing?: ServiceSigningConfig | undefined;
}

/** Checked once the secret is resolved (an `env:` or `file:` reference has no length of its own). */
export function klikooClientSecretProblem(secret: string): string | undefined {
  if (secret.length === KLIKOO_CLIENT_SECRET_LENGTH) return undefined;
  return `clientSecret must be ${KLIKOO_CLIENT_SECRET_LENGTH} characters long, as Klikoo issues it (the value given has ${secret.length})`;
}
