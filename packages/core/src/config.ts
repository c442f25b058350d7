import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidateNested,
  validateSync,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  type ValidationError,
  getMetadataStorage,
  ValidateBy,
} from 'class-validator';
import { Type } from 'class-transformer';
import type { AxiosInstance } from 'axios';
import { AuthError } from './errors';
import { loadPrivateKey } from './keys';
import { isObject } from './plain';
import { resolveSecret } from './secrets';
import { TIMESTAMP_OFFSET_PATTERN, type TimestampFormat } from './timestamp';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return (
    LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) || hostname.endsWith('.localhost')
  );
}

/** Why a base URL is unusable, or undefined when it is fine. */
export function baseUrlProblem(value: unknown, allowInsecureHttp: boolean): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'must be a URL such as https://api.example.com';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.search !== '' || url.hash !== '') return 'must not have a query or a fragment';
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    return 'uses http to a non-loopback host: use https, or set allowInsecureHttp: true';
  }
  return undefined;
}

@ValidatorConstraint({ name: 'baseUrl' })
class BaseUrlConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return baseUrlProblem(value, (args.object as BaseProviderConfig).allowInsecureHttp === true) === undefined;
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} ${baseUrlProblem(args.value, (args.object as BaseProviderConfig).allowInsecureHttp === true)}`;
  }
}

/**
 * Why a `proxy` setting is unusable, or undefined: `false`, or an http(s) URL of the proxy itself
 * (credentials allowed, nothing after the port). The reason never quotes the value: it may hold
 * the proxy's password.
 */
export function proxyProblem(value: unknown): string | undefined {
  if (value === false) return undefined;
  if (typeof value !== 'string') return 'must be a URL such as http://proxy.internal:3128, or false';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return 'must be the proxy alone (scheme, host and port), without a path, query or fragment';
  }
  return undefined;
}

/** The secret fields of each config class, and the key each passphrase field opens. */
const SECRET_FIELDS = new WeakMap<object, Map<string, { passphraseOf?: string }>>();

function recordSecretField(target: object, property: string | symbol, passphraseOf?: string): void {
  if (typeof property !== 'string') return;
  const fields = SECRET_FIELDS.get(target) ?? new Map<string, { passphraseOf?: string }>();
  fields.set(property, passphraseOf !== undefined ? { passphraseOf } : {});
  SECRET_FIELDS.set(target, fields);
}

/** The secret fields a config instance's class (and the classes it extends) declare. */
function secretFields(instance: object): Map<string, { passphraseOf?: string }> {
  const out = new Map<string, { passphraseOf?: string }>();
  for (let proto: object | null = Object.getPrototypeOf(instance) as object | null; proto !== null;) {
    for (const [field, facts] of SECRET_FIELDS.get(proto) ?? []) if (!out.has(field)) out.set(field, facts);
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return out;
}

/** A value given inline, as `env:NAME`, or as `file:PATH`; checked for shape only, never echoed. */
export function IsSecretReference(): PropertyDecorator {
  return (target, property) => {
    recordSecretField(target, property);
    IsString({ message: '$property must be a string: the value, env:NAME or file:PATH' })(target, property);
  };
}

/**
 * An optional private key passphrase: a secret reference, and not empty when given. Its field is
 * the key's field followed by `Passphrase` (`privateKeyPassphrase` opens `privateKey`).
 */
export function IsKeyPassphrase(): PropertyDecorator {
  return (target, property) => {
    IsOptional()(target, property);
    IsSecretReference()(target, property);
    IsNotEmpty()(target, property);
    if (typeof property === 'string' && property.endsWith('Passphrase'))
      recordSecretField(target, property, property.slice(0, -'Passphrase'.length));
  };
}

/** Longer than any id or secret a provider issues, shorter than what a server takes in one header. */
export const MAX_HEADER_VALUE_LENGTH = 1024;

/** How strict a header-bound value is: its longest length, and whether it may hold inner spaces. */
export interface HeaderValueRule {
  maxLength?: number | undefined;
  spaces?: boolean | undefined;
}

/**
 * Why a value cannot travel in an HTTP header as it is, or undefined. Printable ASCII only: a CR or
 * LF would split the header, a NUL or DEL is refused or cut by servers, and anything past ASCII is
 * re-encoded on the way; each would end as CREDENTIALS_REJECTED instead of a clear config error.
 * An identifier that is also part of a signed string takes no spaces at all (`spaces: false`).
 * The reason never quotes the value, which may be a secret.
 */
export function headerValueProblem(value: string, rule: HeaderValueRule = {}): string | undefined {
  const maxLength = rule.maxLength ?? MAX_HEADER_VALUE_LENGTH;
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  if (rule.spaces === false) {
    if (!/^[\x21-\x7e]*$/.test(value)) return 'must be visible ASCII characters without spaces';
    return undefined;
  }
  if (!/^[\x20-\x7e]*$/.test(value))
    return 'must be printable ASCII (no control characters, line breaks or non-ASCII letters)';
  if (value !== value.trim()) return 'must not start or end with a space';
  return undefined;
}

/** A config value sent as the `header` header: printable ASCII, no edge spaces, bounded (see the rule). */
export function IsHeaderValue(header: string, rule: HeaderValueRule = {}): PropertyDecorator {
  return ValidateBy({
    name: 'isHeaderValue',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && headerValueProblem(value, rule) === undefined,
      defaultMessage: (args?: ValidationArguments) => {
        const problem = typeof args?.value === 'string' ? headerValueProblem(args.value, rule) : 'must be a string';
        return `${args?.property ?? 'value'} ${problem ?? 'must be a header value'} (it is sent in the ${header} header)`;
      },
    },
  });
}

/** A path on the provider's host, as docs revisions differ. */
export function IsEndpointPath(): PropertyDecorator {
  return Matches(/^\/[A-Za-z0-9\-._~/%]*$/, { message: '$property must be a path starting with /' });
}

export class TimestampConfig implements Partial<TimestampFormat> {
  @IsOptional()
  @Matches(TIMESTAMP_OFFSET_PATTERN, { message: "$property must be 'Z' or an offset such as '+07:00'" })
  offset?: string;

  @IsOptional()
  @IsBoolean()
  milliseconds?: boolean;
}

/** Fields every provider takes. Provider config classes extend it. */
export class BaseProviderConfig {
  @IsString()
  provider!: string;

  @Validate(BaseUrlConstraint)
  baseUrl!: string;

  @IsOptional()
  @IsBoolean()
  allowInsecureHttp?: boolean | undefined;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(300_000)
  timeoutMs?: number | undefined;

  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  maxResponseBytes?: number | undefined;

  /**
   * The HTTP proxy token requests go through (`http://user:pass@proxy.internal:3128`; an https
   * target is tunnelled with CONNECT), or `false` to ignore `HTTPS_PROXY`/`HTTP_PROXY`. Left out,
   * those variables and `NO_PROXY` decide.
   */
  @IsOptional()
  @ValidateBy({
    name: 'proxy',
    validator: {
      validate: (value: unknown) => proxyProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'proxy'} ${proxyProblem(args?.value) ?? ''}`,
    },
  })
  proxy?: string | false | undefined;

  // Set from the input after validation: class-transformer would copy an axios instance apart.
  declare httpClient?: AxiosInstance | undefined;
  declare clock?: (() => number) | undefined;
}

/** Provider configs that sign timestamps share this. */
export class SignedProviderConfig extends BaseProviderConfig {
  @IsOptional()
  @IsObject({ message: "$property must be an object such as { offset: '+07:00' }" })
  @ValidateNested()
  @Type(() => TimestampConfig)
  timestamp?: TimestampConfig | undefined;
}

// Checks of a value's type, most telling first: when one fails, it is the property's only problem
// (a wrong type makes every other rule's message beside the point).
const TYPE_CHECKS = ['isObject', 'nestedValidation', 'isBoolean', 'isInt', 'isNumber', 'isString', 'isHeaderValue'];

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The one message of a property whose type is wrong. Never quotes the value. */
function typeMessage(check: string, message: string, path: string, property: string, value: unknown): string {
  if (check === 'nestedValidation') return `${path} must be an object (got ${typeName(value)})`;
  if (check === 'isBoolean') return `${path} must be true or false (got ${typeName(value)})`;
  if (check === 'isInt' || check === 'isNumber') {
    if (typeof value !== 'number' || !Number.isFinite(value))
      return `${path} must be a number (got ${typeName(value)})`;
    return `${path} must be a whole number`;
  }
  return message.startsWith(property) ? `${path}${message.slice(property.length)}` : `${path}: ${message}`;
}

function flatten(errors: ValidationError[], holder: object, prefix = ''): string[] {
  const out: string[] = [];
  for (const error of errors) {
    const path = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const value = (holder as Record<string, unknown>)[error.property];
    const constraints = Object.entries(error.constraints ?? {});
    const typeCheck = TYPE_CHECKS.map((check) => constraints.find(([name]) => name === check)).find(
      (found) => found !== undefined && (found[0] !== 'isHeaderValue' || typeof value !== 'string'),
    );
    if (constraints.some(([name]) => name === 'whitelistValidation')) out.push(`${path} is not a known option`);
    else if (constraints.length > 0 && (value === undefined || value === null)) out.push(`${path} is required`);
    else if (typeCheck !== undefined) {
      out.push(typeMessage(typeCheck[0], typeCheck[1], path, error.property, value));
      continue;
    } else {
      // class-validator starts its messages with the property name; put the full path there.
      const messages = constraints.map(([, message]) =>
        message.startsWith(error.property) ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}`,
      );
      out.push(...new Set(messages));
    }
    if (error.children && error.children.length > 0 && typeof value === 'object' && value !== null) {
      out.push(...flatten(error.children, value, path));
    }
  }
  return out;
}

export function configError(provider: string, problems: readonly string[], entry?: string): AuthError {
  const where = entry !== undefined ? `config entry "${entry}" (${provider})` : `${provider} config`;
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  return new AuthError('CONFIG_INVALID', `The ${where} has ${count}: ${problems.join('; ')}.`, { provider });
}

const RUNTIME_FIELDS = ['httpClient', 'clock'] as const;

/** The options an instance's config class declares: those with a validation rule, inherited ones included. */
function declaredOptions(instance: object): Set<string> {
  return new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(instance.constructor, '', true, false)
      .map((rule) => rule.propertyName),
  );
}

/**
 * Own keys only, checked against the declared options: `constructor`, `toString` or a JSON
 * `"__proto__"` are unknown options like any other, not members to be looked up. Nested option
 * objects (the instance's typed children) are checked the same way.
 */
function unknownOptions(input: Record<string, unknown>, instance: object, prefix: string): string[] {
  const declared = declaredOptions(instance);
  const problems: string[] = [];
  for (const key of Object.keys(input)) {
    if (!declared.has(key)) {
      problems.push(`${prefix}${key} is not a known option`);
      continue;
    }
    const child: unknown = (instance as Record<string, unknown>)[key];
    const value = input[key];
    if (isObject(value) && typeof child === 'object' && child !== null && child.constructor !== Object) {
      problems.push(...unknownOptions(value, child, `${prefix}${key}.`));
    }
  }
  return problems;
}

/** A copy of plain data without the keys that would reach a prototype when class-transformer assigns them. */
function withoutPrototypeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrototypeKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '__proto__' && key !== 'constructor' && key !== 'prototype')
      .map(([key, item]) => [key, withoutPrototypeKeys(item)]),
  );
}

/** `null` is not a way to leave an option out (class-validator's IsOptional would let it through). */
function nullOptions(input: Record<string, unknown>, prefix: string): string[] {
  return Object.entries(input).flatMap(([key, value]) => {
    if (value === null) return [`${prefix}${key} must not be null (leave it out for the default)`];
    return isObject(value) ? nullOptions(value, `${prefix}${key}.`) : [];
  });
}

function runtimeProblem(field: (typeof RUNTIME_FIELDS)[number], value: unknown): string | undefined {
  if (field === 'clock')
    return typeof value === 'function' ? undefined : 'clock must be a function returning epoch milliseconds';
  const request =
    typeof value === 'object' || typeof value === 'function'
      ? (value as { request?: unknown } | null)?.request
      : undefined;
  return typeof request === 'function' ? undefined : 'httpClient must be an axios instance';
}

/**
 * What resolving the secret fields (and reading the private key) would report, for a config whose
 * fields have problems: a provider reads its secrets only from a valid config, and a first pass that
 * names only the fields would hide a missing variable or an unreadable key until the next run.
 * Fields already named by a problem are left out.
 */
function secretProblems(instance: object, named: readonly string[]): string[] {
  const fields = secretFields(instance);
  const values = instance as Record<string, unknown>;
  const problems: string[] = [];
  const resolved = new Map<string, string>();
  const isNamed = (field: string): boolean => named.some((problem) => problem.startsWith(`${field} `));
  for (const field of fields.keys()) {
    const reference = values[field];
    if (typeof reference !== 'string' || isNamed(field)) continue;
    const result = resolveSecret(reference);
    if (result.ok) resolved.set(field, result.value);
    else problems.push(`${field} ${result.problem}`);
  }
  for (const [field, facts] of fields) {
    const key = facts.passphraseOf !== undefined ? resolved.get(facts.passphraseOf) : undefined;
    if (facts.passphraseOf === undefined || key === undefined) continue;
    const passphrase = values[field] === undefined ? undefined : resolved.get(field);
    if (values[field] !== undefined && passphrase === undefined) continue;
    const loaded = loadPrivateKey(key, passphrase?.trim());
    if (!loaded.ok) problems.push(`${facts.passphraseOf} ${loaded.problem}`);
  }
  return problems;
}

/**
 * Validates a provider config and returns the typed instance, or throws one CONFIG_INVALID that
 * names every bad field by its path. Messages never contain a value.
 */
export function validateConfig<T extends BaseProviderConfig>(
  cls: new () => T,
  input: unknown,
  provider: string,
  entry?: string,
): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw configError(provider, ['the config must be an object'], entry);
  }
  const given: Record<string, unknown> = Object.fromEntries(Object.entries(input));
  const problems: string[] = [];
  const runtime: Partial<Pick<BaseProviderConfig, 'httpClient' | 'clock'>> = {};
  for (const field of RUNTIME_FIELDS) {
    const value = given[field];
    delete given[field];
    if (value === undefined) continue;
    const problem = runtimeProblem(field, value);
    if (problem !== undefined) problems.push(problem);
    else (runtime as Record<string, unknown>)[field] = value;
  }
  // An option given as undefined is an option not given (`privateKeyPassphrase: process.env.X`).
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  const instance = plainToInstance(cls, withoutPrototypeKeys(defined), { enableImplicitConversion: false });
  problems.push(...unknownOptions(given, instance, ''));
  problems.push(...nullOptions(defined, ''));
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  problems.push(...flatten(errors, instance).filter((problem) => !problem.endsWith(' is not a known option')));
  // Reported with the field problems, so that one pass over the config shows every problem.
  if (problems.length > 0) throw configError(provider, [...problems, ...secretProblems(instance, problems)], entry);
  return Object.assign(instance, runtime);
}
