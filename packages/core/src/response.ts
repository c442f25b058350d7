import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidateBy, type ValidationArguments, validateSync, type ValidationError } from 'class-validator';
import { parseOffsetDateTime } from './timestamp';

/** Tokens here live 15 minutes; anything past 31 days is garbage, not a long-lived token. */
export const MAX_TOKEN_LIFETIME_SECONDS = 31 * 24 * 3600;
const MAX_TOKEN_LENGTH = 8192;

const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

function isTokenString(value: unknown): boolean {
  return (
    typeof value === 'string' && value.length > 0 && value.length <= MAX_TOKEN_LENGTH && TOKEN_CHARACTERS.test(value)
  );
}

function isBearer(value: unknown): boolean {
  return typeof value === 'string' && value.toLowerCase() === 'bearer';
}

function isOffsetDateTime(value: unknown): boolean {
  return typeof value === 'string' && parseOffsetDateTime(value) !== undefined;
}

/** A bearer credential: visible ASCII only, no spaces, bounded (RFC 6750's b64token and then some). */
export function IsTokenString(): PropertyDecorator {
  return ValidateBy({
    name: 'isTokenString',
    validator: {
      validate: isTokenString,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'token'} must be a non-empty string of visible ASCII characters (at most ${MAX_TOKEN_LENGTH})`,
    },
  });
}

/** Seconds, as a number or a string of digits (Pivot sends "900", Klikoo 900). */
export function IsExpiresIn(): PropertyDecorator {
  return ValidateBy({
    name: 'isExpiresIn',
    validator: {
      validate: (value: unknown) => parseSeconds(value) !== undefined,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'expiresIn'} must be a whole number of seconds from 1 to ${MAX_TOKEN_LIFETIME_SECONDS}`,
    },
  });
}

export function IsBearer(): PropertyDecorator {
  return ValidateBy({
    name: 'isBearer',
    validator: {
      validate: isBearer,
      defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'tokenType'} must be Bearer`,
    },
  });
}

export function IsOffsetDateTime(): PropertyDecorator {
  return ValidateBy({
    name: 'isOffsetDateTime',
    validator: {
      validate: isOffsetDateTime,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'time'} must be an ISO 8601 date-time with an offset (2025-11-27T10:46:03+07:00)`,
    },
  });
}

export function parseSeconds(value: unknown): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\d{1,12}$/.test(value.trim())) n = Number(value.trim());
  else return undefined;
  return Number.isSafeInteger(n) && n >= 1 && n <= MAX_TOKEN_LIFETIME_SECONDS ? n : undefined;
}

function flatten(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((error) => {
    const path = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}`,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

export type BodyResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * What each field of a response class must hold, as its decorators check it: `token`
 * (`IsTokenString`), `bearer` (`IsBearer`), `seconds` (`IsExpiresIn`), `dateTime`
 * (`IsOffsetDateTime`), `string` (`IsString`), a trailing `?` for `IsOptional` (null or absent
 * passes), or a nested shape (`IsObject`, `ValidateNested` and `Type` of that class).
 */
export type FieldRule = 'token' | 'token?' | 'bearer' | 'seconds' | 'dateTime' | 'dateTime?' | 'string' | BodyShape;
export interface BodyShape {
  readonly [field: string]: FieldRule;
}

function meetsRule(value: unknown, rule: FieldRule): boolean {
  switch (rule) {
    case 'token':
      return isTokenString(value);
    case 'token?':
      return value === null || value === undefined || isTokenString(value);
    case 'bearer':
      return isBearer(value);
    case 'seconds':
      return parseSeconds(value) !== undefined;
    case 'dateTime':
      return isOffsetDateTime(value);
    case 'dateTime?':
      return value === null || value === undefined || isOffsetDateTime(value);
    case 'string':
      return typeof value === 'string';
    default:
      return typeof value === 'object' && value !== null && !Array.isArray(value) && meetsShape(value, rule);
  }
}

/** Whether a body passes a response class's checks, read by hand: the class described by `shape`. */
export function meetsShape(body: object, shape: BodyShape): boolean {
  for (const field in shape) {
    if (!meetsRule((body as Record<string, unknown>)[field], shape[field] as FieldRule)) return false;
  }
  return true;
}

/**
 * Checks a raw JSON body against a response class; problems name fields, never values. With the
 * class's `shape`, a body that meets it is taken as it is (the common, valid answer costs a few
 * comparisons); class-transformer and class-validator then run only to name what a body got wrong.
 */
export function validateBody<T extends object>(
  cls: new () => T,
  body: Record<string, unknown>,
  shape?: BodyShape,
): BodyResult<T> {
  if (shape !== undefined && meetsShape(body, shape)) return { ok: true, value: body as T };
  const instance = plainToInstance(cls, body, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) return { ok: false, problems: flatten(errors, '') };
  return { ok: true, value: instance };
}
