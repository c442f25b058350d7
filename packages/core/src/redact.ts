const TOKEN_FIELD = /token|secret|password|passphrase|private|signature|authorization|credential|client_?secret/i;
const MAX_TEXT = 200;
const MAX_DEPTH = 4;

/** First four characters and an ellipsis: enough to tell two tokens apart in a log, not to use one. */
export function maskToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  return token.length <= 4 ? '…' : `${token.slice(0, 4)}…`;
}

/** A provider body with every token-like field removed, safe to keep on an error. */
export function redactBody(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 10).map((item) => redactBody(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = TOKEN_FIELD.test(key) ? '[redacted]' : redactBody(item, depth + 1);
  }
  return out;
}

/**
 * What may ride along as an error's `cause`. An Error (an axios error above all: its config holds
 * the secret headers and body) is reduced to its name, code and message; anything else is redacted.
 */
export function sanitizeCause(cause: unknown): unknown {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return {
      name: cause.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: redactBody(cause.message),
    };
  }
  return redactBody(cause);
}

/** Replaces each known secret inside a text, for text that came from outside (a provider's message). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join('[redacted]');
  }
  return out;
}
