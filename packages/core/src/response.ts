import 'reflect-metadata';
import { plainToInstance, TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import {
  getMetadataStorage,
  ValidateBy,
  type ValidationArguments,
  validateSync,
  type ValidationError,
  ValidationTypes,
} from 'class-validator';
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

/** Any class a body can be checked against (the metadata stores are keyed by constructor). */
export type ResponseClass = new (...args: never[]) => object;

/** A body's fast check, derived from a response class: true only where class-validator passes too. */
type FastCheck = (body: Record<string, unknown>) => boolean;

/** One property's checks, in class-validator's order: conditions, then constraints, then the nested class. */
interface PropertyCheck {
  readonly property: string;
  readonly conditions: readonly ((object: object, value: unknown) => boolean)[];
  /**
   * Each constraint with the arguments class-validator would pass it, made once: only `object` and
   * `value` change per body, set just before the (synchronous) call.
   */
  readonly constraints: readonly { readonly args: ValidationArguments; readonly validate: ConstraintValidate }[];
  /** `ValidateNested`: undefined skips, a plain object meets the nested class's check; null for none. */
  readonly nested: FastCheck | 'any object' | null;
}

type ConstraintValidate = (value: unknown, args: ValidationArguments) => unknown;

/** Raised while deriving: the class uses a feature the fast check does not mirror, so it has none. */
class NotDerivable extends Error {}

const FAST_CHECKS = new WeakMap<ResponseClass, FastCheck | null>();

/**
 * The fast check of a response class, derived once from its decorators and kept: what class-validator
 * would run on the instance class-transformer makes of a body (the same metadata, read through
 * `getMetadataStorage()` and class-transformer's `@Type`), run on the body itself. A class whose
 * decorators go beyond what that mirrors (async or `each` constraints, `@IsDefined`, promises,
 * class-transformer's `@Expose`/`@Exclude`/`@Transform`, discriminated or array-valued nesting) has
 * none (null): its bodies always take class-transformer and class-validator.
 */
export function fastCheckOf(cls: ResponseClass): FastCheck | null {
  let check = FAST_CHECKS.get(cls);
  if (check === undefined) {
    try {
      check = deriveCheck(cls, undefined, new Map());
    } catch (error) {
      if (!(error instanceof NotDerivable)) throw error;
      check = null;
    }
    FAST_CHECKS.set(cls, check);
  }
  return check;
}

function deriveCheck(
  cls: ResponseClass,
  schema: string | undefined,
  deriving: Map<ResponseClass, FastCheck>,
): FastCheck {
  const known = deriving.get(cls);
  if (known !== undefined) return known;
  const checks: PropertyCheck[] = [];
  const check: FastCheck = (body) => {
    for (const property of checks) if (!meetsProperty(body, property)) return false;
    return true;
  };
  // A class that refers to itself (a tree) checks through the function it is building.
  deriving.set(cls, check);
  if (
    defaultMetadataStorage.getExposedMetadatas(cls).length > 0 ||
    defaultMetadataStorage.getExcludedMetadatas(cls).length > 0
  ) {
    throw new NotDerivable();
  }
  const storage = getMetadataStorage();
  // The arguments validateSync passes for a body (no groups, `always` off) and for a nested one (the
  // parent's name as its schema).
  const metadatas = storage.getTargetValidationMetadatas(cls, schema as string, false, false, undefined);
  for (const [property, own] of Object.entries(storage.groupByPropertyName(metadatas))) {
    if (defaultMetadataStorage.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS).length > 0) {
      throw new NotDerivable();
    }
    const conditions: ((object: object, value: unknown) => boolean)[] = [];
    const constraints: { args: ValidationArguments; validate: ConstraintValidate }[] = [];
    let nested: PropertyCheck['nested'] = null;
    for (const metadata of own) {
      if (metadata.each) throw new NotDerivable();
      switch (metadata.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
          for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
            if (constraint.async) throw new NotDerivable();
            const instance = constraint.instance;
            const args: ValidationArguments = {
              targetName: cls.name,
              property,
              object: {},
              value: undefined,
              constraints: metadata.constraints,
            };
            constraints.push({ args, validate: (value, used) => instance.validate(value, used) });
          }
          break;
        case ValidationTypes.NESTED_VALIDATION:
          nested = nestedCheck(cls, property, deriving);
          break;
        case ValidationTypes.WHITELIST:
          break; // read only with the `whitelist` option, which validateBody does not set
        default:
          throw new NotDerivable();
      }
    }
    checks.push({ property, conditions, constraints, nested });
  }
  return check;
}

/** `@ValidateNested()` of a property: the class `@Type` makes of it, or any object when there is no `@Type`. */
function nestedCheck(
  cls: ResponseClass,
  property: string,
  deriving: Map<ResponseClass, FastCheck>,
): FastCheck | 'any object' {
  const type = defaultMetadataStorage.findTypeMetadata(cls, property);
  // Without @Type class-transformer leaves a plain object, which has no metadata to check.
  if (type === undefined) return 'any object';
  if (type.options?.discriminator !== undefined || typeof type.typeFunction !== 'function') throw new NotDerivable();
  const nestedClass: unknown = type.typeFunction();
  if (typeof nestedClass !== 'function') throw new NotDerivable();
  return deriveCheck(nestedClass as ResponseClass, cls.name, deriving);
}

function meetsProperty(body: Record<string, unknown>, check: PropertyCheck): boolean {
  const value = body[check.property];
  for (const condition of check.conditions) if (!condition(body, value)) return true;
  for (const { args, validate } of check.constraints) {
    args.object = body;
    args.value = value;
    // A promise is an async answer: not mirrored, so not taken as a pass.
    if (validate(value, args) !== true) return false;
  }
  const nested = check.nested;
  if (nested === null || value === undefined) return true;
  // class-transformer would map an array element by element: left to the slow path.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return nested === 'any object' || nested(value as Record<string, unknown>);
}

/**
 * Checks a raw JSON body against a response class; problems name fields, never values. A body that
 * meets the class's fast check (`fastCheckOf`) is taken as it is: the common, valid answer costs a
 * few comparisons. class-transformer and class-validator then run only for the rest, to name what a
 * body got wrong, or to accept what the fast check cannot judge.
 */
export function validateBody<T extends object>(cls: new () => T, body: Record<string, unknown>): BodyResult<T> {
  const fast = fastCheckOf(cls);
  if (fast !== null && fast(body)) return { ok: true, value: body as T };
  return validateWithClass(cls, body);
}

/** class-transformer's instance of the body, checked by class-validator: the path that names problems. */
export function validateWithClass<T extends object>(cls: new () => T, body: Record<string, unknown>): BodyResult<T> {
  const instance = plainToInstance(cls, body, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) return { ok: false, problems: flatten(errors, '') };
  return { ok: true, value: instance };
}
