import { describe, expect, it } from 'vitest';
import { parseIsoTime } from './iso-time.js';

const MS_2026 = 1_795_241_089_535n;

describe('parseIsoTime', () => {
  it('reads toISOString() output to the nanosecond', () => {
    expect(parseIsoTime('2026-11-21T06:04:49.535Z')).toBe(MS_2026 * 1_000_000n);
  });

  it('reads Python isoformat() with microseconds and an offset', () => {
    expect(parseIsoTime('2026-11-21T06:04:49.535123+00:00')).toBe(MS_2026 * 1_000_000n + 123_000n);
    expect(parseIsoTime('2026-11-21T08:04:49.535+02:00')).toBe(MS_2026 * 1_000_000n);
    expect(parseIsoTime('2026-11-21T00:34:49.535-0530')).toBe(MS_2026 * 1_000_000n);
  });

  it('keeps all nine fraction digits exactly', () => {
    expect(parseIsoTime('2026-11-21T06:04:49.535000001Z')).toBe(MS_2026 * 1_000_000n + 1n);
  });

  it('reads a time without fraction or offset as UTC', () => {
    expect(parseIsoTime('1970-01-01T00:00:01')).toBe(1_000_000_000n);
  });

  it('takes years before 100 literally', () => {
    // Date's own ISO parser reads four-digit years literally; Date.UTC would read 50 as 1950.
    expect(parseIsoTime('0050-01-01T00:00:00Z')).toBe(BigInt(Date.parse('0050-01-01T00:00:00.000Z')) * 1_000_000n);
  });

  it('refuses what is not an ISO date-time or names no real instant', () => {
    for (const text of ['', 'yesterday', '2026-11-21', '2026-11-21T06:04Z', '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:00+25:00', '2026-01-01T00:00:00.1234567890Z']) {
      expect(parseIsoTime(text), text).toBeUndefined();
    }
  });
});
