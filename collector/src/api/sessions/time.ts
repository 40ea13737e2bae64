/**
 * Times in the session API: ISO 8601 UTC strings with nanosecond precision
 * (`2025-01-02T03:04:05.123456789Z`), read from ClickHouse as nanoseconds since the epoch in a
 * string (JSON numbers lose precision past 2^53).
 */

export const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

/** `1735787045123456789` (as a string) → `2025-01-02T03:04:05.123456789Z`. */
export function isoFromNs(ns: string | bigint): string {
  const n = BigInt(ns);
  const seconds = n / NS_PER_S;
  const fraction = (n % NS_PER_S).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

const ISO_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * An ISO 8601 date (`2025-01-02`, midnight UTC) or date-time with a zone (`Z` or `±hh:mm`) →
 * nanoseconds since the epoch, keeping up to nine fraction digits; null when it is neither.
 * A time without a zone is refused rather than read in the server's local zone.
 */
export function parseIsoNs(text: string): bigint | null {
  const m = ISO_TIME.exec(text);
  if (!m) return null;
  const [, date, hhmm, ss, fraction, zone] = m;
  const whole = hhmm === undefined ? `${date}T00:00:00Z` : `${date}T${hhmm}:${ss ?? '00'}${zone}`;
  const ms = Date.parse(whole);
  if (Number.isNaN(ms)) return null;
  return BigInt(ms) * NS_PER_MS + BigInt((fraction ?? '').padEnd(9, '0'));
}

/** Milliseconds from `fromNs` to `toNs`, with sub-millisecond precision. */
export function msBetween(fromNs: bigint, toNs: bigint): number {
  return Number(toNs - fromNs) / 1e6;
}
