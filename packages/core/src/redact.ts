const TOKEN_FIELD =
  /token|secret|password|passphrase|private|signature|authorization|credential|client_?secret|auth_?code|cookie/i;
const MAX_TEXT = 200;
const MAX_DEPTH = 4;
const REDACTED = '[redacted]';

/** First four characters and an ellipsis: enough to tell two tokens apart in a log, not to use one. */
export function maskToken(token: string): string;
export function maskToken(token: string | undefined): string | undefined;
export function maskToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  return token.length <= 4 ? '…' : `${token.slice(0, 4)}…`;
}

/** Replaces `secret` in `text`, and the secret's beginning when the text ends part way through it. */
function scrubOne(text: string, secret: string): string {
  const out = text.includes(secret) ? text.split(secret).join(REDACTED) : text;
  // A body cut short (by the provider or on the way) may end inside a secret.
  for (let length = Math.min(secret.length - 1, out.length); length >= 4; length--) {
    if (out.charCodeAt(out.length - length) === secret.charCodeAt(0) && out.endsWith(secret.slice(0, length))) {
      return `${out.slice(0, out.length - length)}${REDACTED}`;
    }
  }
  return out;
}

/** Replaces each known secret inside a text, as written and as it reads inside a JSON string. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = scrubOne(out, secret);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = scrubOne(out, escaped);
  }
  return out;
}

// `name=value` (form bodies, query strings), `name: value` (plain text, headers, YAML).
const WORD_PAIR = /(^|[^\w-])([A-Za-z_][\w.-]{0,100})(\s*[:=]\s*)(["']?)([^\s"'&;,<>]+)/g;
const JWT = /eyJ[\w-]{4,}(?:\.[\w-]*){0,2}/g;
const BARE_END = /[\s,:{}[\]"]/;

/** Where the JSON string opening at `start` ends (after its closing quote), or the text's length when it is cut off. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/**
 * Masks the value of every token-named field of JSON text, at any depth, whatever the value's shape
 * (a string, a bare word, or every scalar of an object or array), and in text cut off anywhere. A
 * scanner rather than a pattern: a pattern that takes `{"accessToken":"…` as the value of an outer
 * field never looks at the inner name.
 */
function maskJsonFields(text: string): string {
  let out = '';
  // One entry per open object or array: whether everything inside it is a token field's value.
  const masked: boolean[] = [];
  // The last key read was token-named (or sits in a masked container): its value goes.
  let maskNext = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const inMasked = masked.length > 0 && masked[masked.length - 1] === true;
    if (c === '"') {
      const end = stringEnd(text, i);
      const closed = end <= text.length && text[end - 1] === '"' && end > i + 1;
      let next = end;
      while (next < text.length && /\s/.test(text[next] as string)) next++;
      if (closed && text[next] === ':') {
        maskNext = inMasked || TOKEN_FIELD.test(text.slice(i + 1, end - 1));
        out += text.slice(i, next + 1);
        i = next + 1;
        continue;
      }
      out += maskNext || inMasked ? `"${REDACTED}"` : text.slice(i, end);
      maskNext = false;
      i = end;
      continue;
    }
    if (c === '{' || c === '[') {
      masked.push(maskNext || inMasked);
      maskNext = false;
      out += c;
      i++;
      continue;
    }
    if (c === '}' || c === ']') {
      masked.pop();
      maskNext = false;
      out += c;
      i++;
      continue;
    }
    if (c === ',' || c === ':' || /\s/.test(c)) {
      if (c === ',') maskNext = false;
      out += c;
      i++;
      continue;
    }
    let end = i + 1;
    while (end < text.length && !BARE_END.test(text[end] as string)) end++;
    out += maskNext || inMasked ? REDACTED : text.slice(i, end);
    maskNext = false;
    i = end;
  }
  return out;
}

/**
 * Masks what looks like a credential in text of any shape: the value of every token-, secret- or
 * password-named field (JSON at any depth, form-encoded, `name: value`) and every JWT. For text that
 * came from outside, where a key or token kunci was never told about may appear.
 */
export function maskTokenFields(text: string): string {
  const json = /["{[]/.test(text) ? maskJsonFields(text) : text;
  return json
    .replace(WORD_PAIR, (pair: string, before: string, key: string, sep: string, quote: string) =>
      TOKEN_FIELD.test(key) ? `${before}${key}${sep}${quote}${REDACTED}` : pair,
    )
    .replace(JWT, REDACTED);
}

// Bearer tokens, keys and secrets: a long run of base64/base64url/hex characters with letters and
// digits. A run that touches a removed secret is what is left of a token around it: it goes too.
const OPAQUE_RUN = /(?:[A-Za-z0-9+/=_~.-]|\[redacted\])+/g;
// A body cut short may end inside a token, too little of it left to look like one.
const TRAILING_RUN = /[A-Za-z0-9+/=_~.-]{8,}$/;
function maskOpaque(text: string, cutShort: boolean): string {
  const masked = text.replace(OPAQUE_RUN, (run) => {
    const rest = run.split(REDACTED).join('');
    if (rest.length === run.length)
      return run.length >= 24 && /[0-9]/.test(run) && /[A-Za-z]/.test(run) ? REDACTED : run;
    return rest.length >= 8 ? REDACTED : run;
  });
  return cutShort ? masked.replace(TRAILING_RUN, REDACTED) : masked;
}

export interface RedactOptions {
  /** Values to remove wherever they appear. */
  secrets?: readonly string[] | undefined;
  /** The text is the start of something longer (a truncated body): its last word may be part of a token. */
  cutShort?: boolean | undefined;
}

/** Text from a provider (a body, a code, a message) without known secrets, credential fields, JWTs or long opaque strings. */
export function scrubText(text: string, options: RedactOptions = {}): string {
  return maskOpaque(maskTokenFields(scrubSecrets(text, options.secrets ?? [])), options.cutShort === true);
}

/** As `scrubText`, then cut: cutting first would leave the part of a secret before the cut. */
export function redactText(text: string, options: RedactOptions = {}): string {
  const clean = scrubText(text, options);
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

/** A provider body with every token-like field removed, safe to keep on an error. */
export function redactBody(value: unknown, options: RedactOptions = {}, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, options);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 10).map((item) => redactBody(item, options, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = TOKEN_FIELD.test(key) ? REDACTED : redactBody(item, options, depth + 1);
  }
  return out;
}

/**
 * What may ride along as an error's `cause`. An Error (an axios error above all: its config holds
 * the secret headers and body) is reduced to its name, code and message; anything else is redacted.
 */
export function sanitizeCause(cause: unknown, secrets: readonly string[] = []): unknown {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return {
      name: cause.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: redactBody(cause.message, { secrets }),
    };
  }
  return redactBody(cause, { secrets });
}
