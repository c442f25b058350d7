/** How a provider wants its signed timestamp written. */
export interface TimestampFormat {
  /** `'+07:00'` (Jakarta, the default), `'Z'`, or any `±HH:MM`. */
  offset: string;
  /** `2026-11-22T10:15:30.000+07:00` instead of `2026-11-22T10:15:30+07:00`. */
  milliseconds: boolean;
}

export const DEFAULT_TIMESTAMP_FORMAT: TimestampFormat = Object.freeze({ offset: '+07:00', milliseconds: false });

export const TIMESTAMP_OFFSET_PATTERN = /^(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;

function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number);
  return sign * ((hours ?? 0) * 60 + (minutes ?? 0));
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The last offset parsed and the last second written with it: a signer formats the same second,
 * in the same offset, many times over, so it parses and writes each once.
 */
let lastOffset = DEFAULT_TIMESTAMP_FORMAT.offset;
let lastOffsetMs = offsetMinutes(lastOffset) * 60_000;
let lastSecond = Number.NaN;
let lastSecondText = '';

/** `yyyy-MM-dd'T'HH:mm:ss[.SSS]XXX` in the configured offset. */
export function formatTimestamp(epochMs: number, format: TimestampFormat = DEFAULT_TIMESTAMP_FORMAT): string {
  const offset = format.offset;
  if (offset !== lastOffset) {
    lastOffsetMs = offsetMinutes(offset) * 60_000;
    lastOffset = offset;
    lastSecond = Number.NaN;
  }
  // The instant as Date reads it (a whole number of milliseconds, or NaN out of range).
  const shiftedMs = new Date(epochMs + lastOffsetMs).getTime();
  const second = Math.floor(shiftedMs / 1000);
  if (second !== lastSecond) {
    const shifted = new Date(second * 1000);
    const date = `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
    lastSecondText = `${date}T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`;
    lastSecond = second;
  }
  const millis = format.milliseconds ? `.${pad(shiftedMs - second * 1000, 3)}` : '';
  return `${lastSecondText}${millis}${offset}`;
}

/**
 * A signed timestamp as the providers send it (what `formatTimestamp` writes): seconds, optional
 * milliseconds, and `Z` or an offset with a colon.
 */
export const SIGNED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$/;

const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses an ISO 8601 date-time that carries its offset; undefined for anything else. */
export function parseOffsetDateTime(text: string): Date | undefined {
  if (!OFFSET_DATE_TIME.test(text)) return undefined;
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(normalized);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
