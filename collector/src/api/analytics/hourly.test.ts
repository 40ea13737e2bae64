import { describe, expect, it } from 'vitest';
import { hourlyPattern } from './hourly.js';

const H = 3_600_000_000_000n;

describe('hourlyPattern', () => {
  it('lists every hour of the range, empty ones included, and folds the counts into hours of the day', () => {
    // From 22:00 to 02:00 (UTC) of the next day: four buckets across midnight.
    const from = 1_000n * 24n * H + 22n * H;
    const pattern = hourlyPattern(
      [{ hour: Number(from / H), executions: 3, failures: 1 }, { hour: Number(from / H) + 3, executions: 2, failures: 0 }],
      { fromNs: from, toNs: from + 4n * H, bucket: 'hour' },
    );
    expect(pattern.buckets.map((b) => [b.start.slice(11, 16), b.executions, b.failures])).toEqual([
      ['22:00', 3, 1], ['23:00', 0, 0], ['00:00', 0, 0], ['01:00', 2, 0],
    ]);
    expect(pattern.by_hour_of_day).toHaveLength(24);
    expect(pattern.by_hour_of_day[22]).toEqual({ hour: 22, executions: 3, failures: 1 });
    expect(pattern.by_hour_of_day[1]).toEqual({ hour: 1, executions: 2, failures: 0 });
    expect(pattern.by_hour_of_day.reduce((n, h) => n + h.executions, 0)).toBe(5);
  });

  it('starts the first bucket at the hour the range starts in, and ends with the hour before `to`', () => {
    const from = 500n * H + H / 2n;
    const pattern = hourlyPattern([], { fromNs: from, toNs: from + 2n * H, bucket: 'hour' });
    expect(pattern.buckets.map((b) => b.start.slice(11, 19))).toEqual(['20:00:00', '21:00:00', '22:00:00']);
  });

  it('sums hours into days for long ranges', () => {
    const from = 100n * 24n * H;
    const pattern = hourlyPattern(
      [{ hour: 100 * 24 + 5, executions: 1, failures: 1 }, { hour: 100 * 24 + 20, executions: 2, failures: 0 }, { hour: 101 * 24 + 1, executions: 4, failures: 2 }],
      { fromNs: from, toNs: from + 40n * 24n * H, bucket: 'day' },
    );
    expect(pattern.bucket).toBe('day');
    expect(pattern.buckets).toHaveLength(40);
    expect(pattern.buckets.slice(0, 3).map((b) => [b.start.slice(11), b.executions, b.failures])).toEqual([
      ['00:00:00.000000000Z', 3, 1], ['00:00:00.000000000Z', 4, 2], ['00:00:00.000000000Z', 0, 0],
    ]);
  });
});
