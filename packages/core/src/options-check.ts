/**
 * A small checker for the options objects of kunci's classes (`TokenManager`, `MemoryTokenStore`,
 * a store's own options): every unknown name (with the nearest known one), every ill-typed or
 * out-of-range value, at every level, as a list of problems for one `CONFIG_INVALID`. An option
 * whose value is `undefined` takes its default, as an absent one does. Values are never echoed
 * except numbers and booleans: an option may hold a secret.
 */

/** Adds the problems of `value` (the option at `path`) to `problems`. */
export interface OptionRule {
  (value: unknown, path: string, problems: string[]): void;
  /** Refused when absent (`undefined`); optional otherwise. */
  readonly required?: true;
}

/** One rule per option: the compiler holds the schema and the options type to the same names. */
export type OptionsSchema<T> = { readonly [K in keyof T]-?: OptionRule };

/** The longest delay `setTimeout` keeps (2^31 − 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** What a value is, for a message: a number or boolean as written, anything else by its kind only. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function numberRule(whole: boolean, min: number, max: number): OptionRule {
  const kind = whole ? 'a whole number' : 'a number';
  return (value, path, problems) => {
    const fits =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= min &&
      value <= max &&
      (!whole || Number.isInteger(value));
    if (!fits) problems.push(`${path} must be ${kind} from ${min} to ${max} (got ${describeValue(value)})`);
  };
}

/** A whole number in [min, max]. */
export function integer(min: number, max: number): OptionRule {
  return numberRule(true, min, max);
}

/** A finite number in [min, max]. */
export function number(min: number, max: number): OptionRule {
  return numberRule(false, min, max);
}

/** Milliseconds a timer waits: from `min` to `MAX_TIMER_MS`. */
export function milliseconds(min: number): OptionRule {
  return numberRule(false, min, MAX_TIMER_MS);
}

export const func: OptionRule = (value, path, problems) => {
  if (typeof value !== 'function') problems.push(`${path} must be a function (got ${describeValue(value)})`);
};

export const boolean: OptionRule = (value, path, problems) => {
  if (typeof value !== 'boolean') problems.push(`${path} must be true or false (got ${describeValue(value)})`);
};

/** A non-empty string (its content is never shown). */
export const text: OptionRule = (value, path, problems) => {
  if (typeof value !== 'string' || value === '')
    problems.push(`${path} must be a non-empty string (got ${describeValue(value)})`);
};

/** An object with these methods (`optional` ones are checked only when present). */
export function methods(what: string, required: readonly string[], optional: readonly string[] = []): OptionRule {
  return (value, path, problems) => {
    if (typeof value !== 'object' || value === null) {
      problems.push(`${path} must be ${what} (got ${describeValue(value)})`);
      return;
    }
    const record = value as Record<string, unknown>;
    const missing = required.filter((name) => typeof record[name] !== 'function');
    const wrong = optional.filter((name) => record[name] !== undefined && typeof record[name] !== 'function');
    if (missing.length > 0 || wrong.length > 0) {
      const names = [...missing, ...wrong].map((name) => `${name}()`).join(', ');
      problems.push(
        `${path} must be ${what} (${names} ${missing.length + wrong.length > 1 ? 'are' : 'is'} not a function)`,
      );
    }
  };
}

/** `false`, or a value `rule` accepts. */
export function orFalse(rule: OptionRule): OptionRule {
  return (value, path, problems) => {
    if (value !== false) rule(value, path, problems);
  };
}

/** Refused when absent. */
export function required(rule: OptionRule): OptionRule {
  const wrapped: OptionRule = (value, path, problems) => rule(value, path, problems);
  return Object.assign(wrapped, { required: true as const });
}

/** A nested options object, checked against its own schema. */
export function object<T>(schema: OptionsSchema<T>): OptionRule {
  return (value, path, problems) => checkInto(value, schema, path, problems);
}

/** The problems of `options` against `schema`; empty when it is fine. `path` prefixes each name. */
export function checkOptions<T>(options: unknown, schema: OptionsSchema<T>, path = ''): string[] {
  const problems: string[] = [];
  checkInto(options ?? {}, schema, path, problems);
  return problems;
}

function checkInto<T>(options: unknown, schema: OptionsSchema<T>, path: string, problems: string[]): void {
  const prefix = path === '' ? '' : `${path}.`;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    problems.push(`${path === '' ? 'the options' : path} must be an object (got ${describeValue(options)})`);
    return;
  }
  const rules = schema as Record<string, OptionRule>;
  const known = Object.keys(rules);
  const given = options as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (Object.prototype.hasOwnProperty.call(rules, name)) continue;
    const nearest = nearestName(name, known);
    const shown = /^[\w$-]{1,64}$/.test(name) ? name : JSON.stringify(name.slice(0, 64));
    problems.push(
      `${prefix}${shown} is not an option${nearest === undefined ? ` (the options are ${known.join(', ')})` : ` (did you mean ${prefix}${nearest}?)`}`,
    );
  }
  for (const name of known) {
    const rule = rules[name] as OptionRule;
    const value = given[name];
    if (value === undefined) {
      if (rule.required === true) problems.push(`${prefix}${name} is required`);
      continue;
    }
    rule(value, `${prefix}${name}`, problems);
  }
}

/** The known name a typo most likely meant: the same name in another case, or one within a few edits. */
function nearestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(name.length / 4)));
  for (const candidate of known) {
    if (candidate.toLowerCase() === lower) return candidate;
    const distance = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (distance <= bestDistance) {
      best = candidate;
      bestDistance = distance - 1;
      if (bestDistance < 0) break;
    }
  }
  return best;
}

/** Levenshtein distance with adjacent transpositions; anything above `limit` counts as `limit + 1`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit || a.length > 100 || b.length > 100) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, (before[j - 2] as number) + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}
