/**
 * A small checker of an options object's shape: unknown keys and wrong types, at every level,
 * each problem named by its path (`lock.waitMs`, `encryptionKey[1]`). It reports, it never throws:
 * the caller turns the problems into one CONFIG_INVALID. Values are never echoed (a URL may carry
 * a password, a key is a secret), only their kinds.
 */

/** Adds a problem for each way `value` (found at `path`) breaks the rule. */
export type Check = (value: unknown, path: string, problems: string[]) => void;

/** The longest delay a Node.js timer honours: a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

function kind(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// Two edits or fewer: a typo such as `commandTimeoutMS` or `prefx`.
function near(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (Math.abs(x.length - y.length) > 2) return false;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return (previous[y.length] ?? 3) <= 2;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** A plain object whose keys are the given ones only; an absent or `undefined` field is not checked. */
export function objectOf(fields: Readonly<Record<string, Check>>): Check {
  const known = Object.keys(fields);
  return (value, path, problems) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${path === '' ? 'the options' : path} must be an object (got ${kind(value)})`);
      return;
    }
    for (const [key, field] of Object.entries(value)) {
      const check = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (check === undefined) {
        const guess = known.find((name) => near(name, key));
        problems.push(
          `${join(path, key)} is not a known option${guess !== undefined ? ` (did you mean ${join(path, guess)}?)` : ''}; the options are ${known.join(', ')}`,
        );
      } else if (field !== undefined) {
        check(field, join(path, key), problems);
      }
    }
  };
}

export const isString: Check = (value, path, problems) => {
  if (typeof value !== 'string') problems.push(`${path} must be a string (got ${kind(value)})`);
};

export const isFunction: Check = (value, path, problems) => {
  if (typeof value !== 'function') problems.push(`${path} must be a function (got ${kind(value)})`);
};

/** A whole number in [min, max]: NaN, Infinity, a fraction or a numeric string is refused. */
export function wholeNumber(min: number, max: number): Check {
  return (value, path, problems) => {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      problems.push(`${path} must be a number (got ${kind(value)})`);
    } else if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${path} must be a whole number from ${min} to ${max} (got ${String(value)})`);
    }
  };
}

/** A string, or a non-empty array of strings. */
export function stringOrList(what: string): Check {
  return (value, path, problems) => {
    if (typeof value === 'string') return;
    if (!Array.isArray(value)) {
      problems.push(`${path} must be ${what} or a non-empty list of them (got ${kind(value)})`);
      return;
    }
    if (value.length === 0) problems.push(`${path} must be ${what} or a non-empty list of them (got an empty list)`);
    value.forEach((item, index) => isString(item, `${path}[${index}]`, problems));
  };
}

/** Runs the checks on the options and returns every problem, in the order of the keys. */
export function problemsOf(value: unknown, check: Check): string[] {
  const problems: string[] = [];
  check(value, '', problems);
  return problems;
}
