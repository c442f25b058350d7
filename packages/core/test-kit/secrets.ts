import { inspect } from 'node:util';

/** Every printed form of a value: what a logger, a JSON log line or console.log would show. */
export function printedForms(value: unknown): string[] {
  const forms = [String(value), JSON.stringify(value) ?? '', inspect(value, { showHidden: true, depth: 8 })];
  if (value instanceof Error && value.stack !== undefined) forms.push(value.stack);
  return forms;
}

/** Asserts that no printed form of `value` contains any of `secrets`. */
export function expectNoSecrets(value: unknown, secrets: readonly string[]): void {
  const forms = printedForms(value).join('\n');
  const leaked = secrets.filter((secret) => secret.length > 0 && forms.includes(secret));
  expect(leaked).toEqual([]);
}
