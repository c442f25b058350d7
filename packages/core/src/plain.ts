// Reading plain data that arrives from outside (a JSON body, a header map), one way everywhere.

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The JSON object or array a text holds, or undefined when it holds none (an HTML error page, plain
 * text, a bare string or number): the caller keeps the text itself for those.
 */
export function parseJsonText(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/** The base a possibly relative URL is read against when only its path is wanted: never contacted. */
export const RELATIVE_URL_BASE = 'http://relative.invalid';

/** The path of a URL, absolute or relative (`/a/b?c` → `/a/b`); undefined when it is not one. */
export function urlPath(url: string): string | undefined {
  try {
    return new URL(url, RELATIVE_URL_BASE).pathname;
  } catch {
    return undefined;
  }
}

/**
 * Header names in lower case with string values (a repeated header joined with `, `), from a plain
 * header object or an axios `AxiosHeaders` (read through its `toJSON`).
 */
export function lowerHeaders(headers: unknown): Record<string, string> {
  if (typeof headers !== 'object' || headers === null) return {};
  const plain =
    typeof (headers as { toJSON?: unknown }).toJSON === 'function'
      ? (headers as { toJSON(): unknown }).toJSON()
      : headers;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(plain as Record<string, unknown>)) {
    if (Array.isArray(value)) out[name.toLowerCase()] = value.join(', ');
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[name.toLowerCase()] = String(value);
  }
  return out;
}
