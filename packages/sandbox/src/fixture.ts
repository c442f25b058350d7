import { randomBytes } from 'node:crypto';
import { parseJsonObject, SIGNED_TIMESTAMP, type EmulatedRequest, type EmulatedResponse } from '@kunci/core/emulator';
import { configError, formatTimestamp, isObject } from '@kunci/core/provider';
import { isSandboxProvider, SANDBOX_PROVIDERS, type SandboxProvider } from './drivers';
import type { SandboxFlow } from './faults';
import type { StationContract } from './station';

/** The format tag of a fixture file. */
export const FIXTURE_FORMAT = 'kunci-provider-fixture/1';

/** One token exchange as recorded, every secret, token, signature and timestamp a placeholder. */
export interface FixtureExchange {
  flow: SandboxFlow;
  request: { method: string; path: string; headers: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

/** What `recordProvider` writes and `replayProvider` reads: safe to commit and publish. */
export interface ProviderFixture {
  format: typeof FIXTURE_FORMAT;
  provider: SandboxProvider;
  exchanges: FixtureExchange[];
}

/** The config's identities and secrets, by the placeholder that stands for them in a fixture. */
export type KnownValues = Readonly<Record<string, string>>;

const TIME_PLACEHOLDER = /^\{\{time:([+-]\d+)s:(Z|[+-]\d{2}:\d{2})(:ms)?\}\}$/;
const EPOCH_PLACEHOLDER = /^\{\{epoch:([+-]\d+)s:(s|ms)\}\}$/;
const PLACEHOLDER = /\{\{[^{}]+\}\}/;
const TEN_YEARS_S = 10 * 365 * 86_400;

const normalized = (key: string): string => key.toLowerCase().replace(/[^a-z\d]/g, '');

/** The placeholder a field stands for by its name alone, whatever its value. */
function placeholderByName(key: string): string | undefined {
  const name = normalized(key);
  if (name === 'accesstoken') return '{{accessToken}}';
  if (name === 'refreshtoken') return '{{refreshToken}}';
  if (name === 'authcode') return '{{authCode}}';
  if (name.includes('signature')) return '{{signature}}';
  if (
    name.includes('secret') ||
    name.includes('password') ||
    name === 'authorization' ||
    name === 'cookie' ||
    name === 'setcookie'
  )
    return '{{secret}}';
  if (name.includes('token') && !name.includes('type') && !name.includes('expir')) return '{{token}}';
  return undefined;
}

const offsetSeconds = (at: number, now: number): string => {
  const seconds = Math.round((at - now) / 1000);
  return seconds >= 0 ? `+${seconds}` : String(seconds);
};

/**
 * Turns one recorded value into its publishable form: the config's values and every secret,
 * token, signature, auth code and timestamp become placeholders. A timestamp in an answer keeps
 * its distance from the moment it was received (an expiry stays an expiry), never its date.
 * `removed` collects every value taken out, for the final check.
 */
export function scrubValue(
  value: unknown,
  key: string,
  known: KnownValues,
  side: 'request' | 'response',
  receivedAt: number,
  removed: Set<string>,
): unknown {
  if (typeof value === 'string') {
    const byValue = Object.entries(known).find(([, v]) => v !== '' && v === value);
    if (byValue !== undefined) return `{{${byValue[0]}}}`;
    const byName = placeholderByName(key);
    if (byName !== undefined) {
      removed.add(value);
      return byName;
    }
    const time = SIGNED_TIMESTAMP.exec(value);
    if (time !== null) {
      removed.add(value);
      if (side === 'request' || /timestamp/i.test(key)) return '{{timestamp}}';
      return `{{time:${offsetSeconds(Date.parse(value), receivedAt)}s:${time[2] ?? 'Z'}${time[1] !== undefined ? ':ms' : ''}}}`;
    }
    let text = value;
    for (const [name, v] of Object.entries(known).sort((a, b) => b[1].length - a[1].length))
      if (v.length >= 4) text = text.split(v).join(`{{${name}}}`);
    return text;
  }
  if (typeof value === 'number' && Number.isFinite(value) && /exp|time|date|at$/i.test(key)) {
    const nowS = receivedAt / 1000;
    if (Math.abs(value - nowS) < TEN_YEARS_S) return `{{epoch:${offsetSeconds(value * 1000, receivedAt)}s:s}}`;
    if (Math.abs(value / 1000 - nowS) < TEN_YEARS_S) return `{{epoch:${offsetSeconds(value, receivedAt)}s:ms}}`;
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, key, known, side, receivedAt, removed));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, scrubValue(v, k, known, side, receivedAt, removed)]),
    );
  }
  return value;
}

/** Throws when a value that must not be published survived in the fixture's text. */
export function assertPublishable(fixture: ProviderFixture, known: KnownValues, removed: ReadonlySet<string>): void {
  const text = JSON.stringify(fixture);
  const leaked = [
    ...Object.entries(known).map(([name, value]) => [name, value] as const),
    ...[...removed].map((value) => ['a recorded token, signature or timestamp', value] as const),
  ].find(([, value]) => value.length >= 6 && text.includes(value));
  if (leaked !== undefined)
    throw configError(fixture.provider, [
      `the recorded exchange still holds ${leaked[0]} after scrubbing: the fixture was not written`,
    ]);
}

/** Reads and checks a fixture (a parsed object or the text of its file). */
export function parseFixture(input: unknown, provider: SandboxProvider): ProviderFixture {
  const fixture = (typeof input === 'string' ? parseJsonObject(input) : input) as Partial<ProviderFixture> | undefined;
  const problems: string[] = [];
  if (typeof fixture !== 'object' || fixture === null || fixture.format !== FIXTURE_FORMAT)
    problems.push(`fixture must be a ${FIXTURE_FORMAT} document (from recordProvider)`);
  else if (!isSandboxProvider(fixture.provider))
    problems.push(`fixture provider must be one of ${SANDBOX_PROVIDERS.join(', ')}`);
  else if (fixture.provider !== provider)
    problems.push(`fixture was recorded for ${String(fixture.provider)}, not ${provider}`);
  else if (!Array.isArray(fixture.exchanges) || fixture.exchanges.length === 0)
    problems.push('fixture has no exchanges');
  if (problems.length > 0) throw configError(provider, problems);
  return fixture as ProviderFixture;
}

/** What differs between a request's body and the recorded one: a field missing, or a fixed value changed. */
function bodyDifference(recorded: unknown, sent: unknown, where: string): string | undefined {
  if (typeof recorded === 'string' && PLACEHOLDER.test(recorded)) {
    return sent === undefined || sent === null || sent === '' ? `${where} is missing` : undefined;
  }
  if (isObject(recorded)) {
    if (!isObject(sent)) return `${where} is not an object`;
    for (const [key, value] of Object.entries(recorded)) {
      const path = where === 'body' ? `body field ${key}` : `${where}.${key}`;
      if (!(key in sent)) return `${path} is missing`;
      const difference = bodyDifference(value, sent[key], path);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  return JSON.stringify(recorded) === JSON.stringify(sent)
    ? undefined
    : `${where} is ${JSON.stringify(sent)}, the recorded request has ${JSON.stringify(recorded)}`;
}

/** The first difference in shape between a request and the recorded one. */
export function requestDifference(recorded: FixtureExchange['request'], request: EmulatedRequest): string | undefined {
  if (recorded.method.toUpperCase() !== request.method.toUpperCase())
    return `method ${request.method}, the recorded request used ${recorded.method}`;
  if (recorded.path !== request.path) return `path ${request.path}, the recorded request went to ${recorded.path}`;
  for (const [name, value] of Object.entries(recorded.headers)) {
    const sent = request.headers[name.toLowerCase()];
    if (sent === undefined || sent === '') return `the ${name} header is missing`;
    if (!PLACEHOLDER.test(value) && sent !== value)
      return `the ${name} header is ${sent}, the recorded request has ${value}`;
  }
  const body =
    request.body === ''
      ? undefined
      : (() => {
          try {
            return JSON.parse(request.body) as unknown;
          } catch {
            return request.body;
          }
        })();
  return bodyDifference(recorded.body, body, 'body');
}

/** The tokens of an emulator's answer, wherever its envelope puts them. */
function issuedTokens(body: unknown, found: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(body)) for (const item of body) issuedTokens(item, found);
  else if (isObject(body)) {
    for (const [key, value] of Object.entries(body)) {
      const name = placeholderByName(key);
      if (typeof value === 'string' && (name === '{{accessToken}}' || name === '{{refreshToken}}'))
        found[name] ??= value;
      else issuedTokens(value, found);
    }
  }
  return found;
}

/**
 * The recorded answer with its placeholders filled: the emulator's fresh tokens (so a rotated
 * refresh token is checked as the emulator checks it), the config's own values, expiries at their
 * recorded distance from `now`, and random values for any other secret.
 */
export function fillAnswer(
  recorded: FixtureExchange['response'],
  accepted: EmulatedResponse,
  known: KnownValues,
  now: number,
): EmulatedResponse {
  const tokens = issuedTokens(parseJsonObject(accepted.body));
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const time = TIME_PLACEHOLDER.exec(value);
      if (time !== null)
        return formatTimestamp(now + Number(time[1]) * 1000, {
          offset: time[2] ?? 'Z',
          milliseconds: time[3] !== undefined,
        });
      const epoch = EPOCH_PLACEHOLDER.exec(value);
      if (epoch !== null) {
        const at = now + Number(epoch[1]) * 1000;
        return epoch[2] === 's' ? Math.floor(at / 1000) : at;
      }
      return value.replace(/\{\{([^{}]+)\}\}/g, (whole, name: string) => {
        if (tokens[whole] !== undefined) return tokens[whole];
        if (Object.hasOwn(known, name)) return known[name] as string;
        if (name === 'timestamp') return formatTimestamp(now);
        return randomBytes(32).toString('base64url');
      });
    }
    if (Array.isArray(value)) return value.map(fill);
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return { status: recorded.status, headers: { ...recorded.headers }, body: JSON.stringify(fill(recorded.body)) };
}

/** The contract a fixture holds for the station: each flow's request shape and its answer. */
export function fixtureContract(fixture: ProviderFixture, known: KnownValues): StationContract {
  const exchange = (flow: SandboxFlow): FixtureExchange | undefined => fixture.exchanges.find((e) => e.flow === flow);
  return {
    check(flow, request) {
      const recorded = exchange(flow);
      if (recorded === undefined)
        return `the fixture holds no ${flow} exchange (recorded flows: ${fixture.exchanges.map((e) => e.flow).join(', ')})`;
      return requestDifference(recorded.request, request);
    },
    answer(flow, accepted, now) {
      const recorded = exchange(flow);
      return recorded === undefined ? accepted : fillAnswer(recorded.response, accepted, known, now);
    },
  };
}
