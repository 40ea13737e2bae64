/**
 * ISO 8601 date-times as the Agents SDKs write `started_at`/`ended_at`: JavaScript's
 * `toISOString()` (`2026-11-21T06:04:49.535Z`) and Python's `isoformat()` on an aware datetime
 * (`2026-01-01T00:00:04.100000+00:00`, no fraction when it is zero).
 */

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const NS_PER_MS = 1_000_000n;
const NS_PER_MINUTE = 60_000_000_000n;

/**
 * The time `text` names, in nanoseconds since the Unix epoch; undefined when it is not an ISO
 * 8601 date-time (calendar date, `T`, time with up to nine fraction digits) or names no real
 * instant (month 13, 31 February, hour 24). Without an offset the time is taken as UTC.
 * Exact: the fraction is read as digits, never through a double.
 */
export function parseIsoTime(text: string): bigint | undefined {
  const m = ISO_TIME.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = offsetMinutes(m[8] ?? 'Z');
  if (offset === undefined) return undefined;
  // setUTCFullYear, unlike Date.UTC, takes years 0–99 literally.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  // A day past the month's end rolls over into the next month: such a date does not exist.
  if (date.getUTCDate() !== day) return undefined;
  const fraction = BigInt((m[7] ?? '').padEnd(9, '0'));
  return BigInt(date.getTime()) * NS_PER_MS + fraction - offset * NS_PER_MINUTE;
}

/** `Z`, `+02:00`, `-0530` or `+02` as minutes east of UTC; undefined past 23:59. */
function offsetMinutes(offset: string): bigint | undefined {
  if (offset === 'Z' || offset === 'z') return 0n;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return undefined;
  const total = BigInt(hours * 60 + minutes);
  return offset[0] === '-' ? -total : total;
}
