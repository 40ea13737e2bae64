/** A time range, ms since the epoch, end excluded. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/**
 * Ranges sorted and merged where they overlap or lie within `gapMs` of each other, then across the
 * smallest gaps until at most `maxCount` remain: few ranges keep a statement short, close ones
 * cost no more to read as one.
 */
export function mergeRanges(ranges: readonly TimeRange[], gapMs: number, maxCount: number): TimeRange[] {
  const sorted = [...ranges].sort((a, b) => a.fromMs - b.fromMs);
  const merged: TimeRange[] = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && r.fromMs <= last.toMs + gapMs) last.toMs = Math.max(last.toMs, r.toMs);
    else merged.push({ ...r });
  }
  if (merged.length <= maxCount) return merged;
  const gaps = merged.slice(1).map((r, i) => r.fromMs - (merged[i] as TimeRange).toMs).sort((a, b) => a - b);
  const widest = gaps[merged.length - maxCount - 1] as number;
  return mergeRanges(merged, widest, Number.POSITIVE_INFINITY);
}

/**
 * `column` within any of `ranges`, as SQL with bound parameters named `{prefix}N`. ClickHouse
 * prunes partitions, parts and key ranges by such a disjunction, where `has(array, …)` would read
 * everything. No ranges: a condition that holds nowhere.
 */
export function inRanges(column: string, ranges: readonly TimeRange[], prefix: string): { sql: string; params: Record<string, Date> } {
  if (ranges.length === 0) return { sql: '0', params: {} };
  const params: Record<string, Date> = {};
  const terms = ranges.map((r, i) => {
    params[`${prefix}${i}f`] = new Date(r.fromMs);
    params[`${prefix}${i}t`] = new Date(r.toMs);
    return `(${column} >= {${prefix}${i}f:DateTime64(3)} AND ${column} < {${prefix}${i}t:DateTime64(3)})`;
  });
  return { sql: `(${terms.join(' OR ')})`, params };
}
