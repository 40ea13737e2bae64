import { isoFromNs } from '../sessions/time.js';
import type { TimeRange } from './params.js';

const NS_PER_HOUR = 3_600_000_000_000n;

/** Sessions started in one hour of the day (UTC, 0–23) over the whole range. */
export interface HourOfDay {
  hour: number;
  executions: number;
  failures: number;
}

/** Sessions started in one bucket of the range: an hour, or a day for long ranges. */
export interface Bucket {
  /** Start of the bucket, ISO UTC. */
  start: string;
  executions: number;
  failures: number;
}

/** When the sessions of the range started: by hour of day, and bucket by bucket over the range. */
export interface HourlyPattern {
  bucket: 'hour' | 'day';
  by_hour_of_day: HourOfDay[];
  buckets: Bucket[];
}

/** Sessions started in one hour, counted by hours since the epoch. */
export interface HourlyCount {
  hour: number;
  executions: number;
  failures: number;
}

/**
 * The pattern from per-hour counts (hours since the epoch, UTC): all 24 hours of the day, and
 * every bucket that the range touches, empty ones included, so a chart needs no gap filling.
 */
export function hourlyPattern(counts: readonly HourlyCount[], range: TimeRange): HourlyPattern {
  const byHourOfDay: HourOfDay[] = Array.from({ length: 24 }, (_, hour) => ({ hour, executions: 0, failures: 0 }));
  const hoursPerBucket = range.bucket === 'day' ? 24 : 1;
  const firstHour = Number(range.fromNs / NS_PER_HOUR);
  const lastHour = Number((range.toNs - 1n) / NS_PER_HOUR);
  const firstBucket = Math.floor(firstHour / hoursPerBucket);
  const lastBucket = Math.floor(lastHour / hoursPerBucket);
  const buckets: Bucket[] = [];
  for (let b = firstBucket; b <= lastBucket; b++) {
    buckets.push({ start: isoFromNs(BigInt(b * hoursPerBucket) * NS_PER_HOUR), executions: 0, failures: 0 });
  }
  for (const c of counts) {
    const ofDay = byHourOfDay[((c.hour % 24) + 24) % 24] as HourOfDay;
    ofDay.executions += c.executions;
    ofDay.failures += c.failures;
    const bucket = buckets[Math.floor(c.hour / hoursPerBucket) - firstBucket];
    if (!bucket) continue;
    bucket.executions += c.executions;
    bucket.failures += c.failures;
  }
  return { bucket: range.bucket, by_hour_of_day: byHourOfDay, buckets };
}
