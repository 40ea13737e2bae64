import { describe, expect, it } from 'vitest';
import { inRanges, mergeRanges } from './time-ranges.js';

describe('mergeRanges', () => {
  it('merges overlapping and close ranges, in order', () => {
    expect(mergeRanges([{ fromMs: 50, toMs: 60 }, { fromMs: 0, toMs: 10 }, { fromMs: 12, toMs: 20 }], 5, 10)).toEqual([
      { fromMs: 0, toMs: 20 }, { fromMs: 50, toMs: 60 },
    ]);
  });

  it('merges across the smallest gaps down to the most allowed', () => {
    const ranges = [0, 100, 130, 400, 420].map((fromMs) => ({ fromMs, toMs: fromMs + 1 }));
    expect(mergeRanges(ranges, 0, 2)).toEqual([{ fromMs: 0, toMs: 131 }, { fromMs: 400, toMs: 421 }]);
  });
});

describe('inRanges', () => {
  it('binds each bound as a parameter, and holds nowhere without ranges', () => {
    expect(inRanges('Timestamp', [{ fromMs: 1_000, toMs: 2_000 }], 'r')).toEqual({
      sql: '((Timestamp >= {r0f:DateTime64(3)} AND Timestamp < {r0t:DateTime64(3)}))',
      params: { r0f: new Date(1_000), r0t: new Date(2_000) },
    });
    expect(inRanges('Timestamp', [], 'r')).toEqual({ sql: '0', params: {} });
  });
});
