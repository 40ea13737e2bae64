/** Small statistics helpers shared by the benches. */

/** Latency distribution summary, in the unit of the input (the benches use ms). */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * The `p`-th percentile (0–100) of `sorted` (ascending), by the nearest-rank method: the smallest
 * value with at least p% of the values at or below it. Returns NaN for an empty input.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0] as number;
  const rank = Math.ceil((Math.min(p, 100) / 100) * sorted.length);
  return sorted[rank - 1] as number;
}

/** Summarises `values` (any order; not modified). Percentiles are NaN when it is empty. */
export function summarizeLatencies(values: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  return {
    count: list.length,
    p50: percentile(list, 50),
    p90: percentile(list, 90),
    p99: percentile(list, 99),
    max: list.length === 0 ? Number.NaN : (list[list.length - 1] as number),
  };
}

/**
 * Mean per-second rate over `series[fromSecond .. toSecond)` (counts per one-second bucket).
 * Returns undefined when the window holds no whole second, e.g. a run no longer than its warm-up.
 */
export function meanRate(series: readonly number[], fromSecond: number, toSecond: number): number | undefined {
  const end = Math.min(toSecond, series.length);
  if (end <= fromSecond) return undefined;
  let sum = 0;
  for (let i = fromSecond; i < end; i++) sum += series[i] ?? 0;
  return sum / (end - fromSecond);
}
