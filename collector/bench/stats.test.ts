import { describe, expect, it } from 'vitest';
import { meanRate, percentile, summarizeLatencies } from './stats.js';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 90)).toBe(9);
    expect(percentile(sorted, 99)).toBe(10);
    expect(percentile(sorted, 100)).toBe(10);
    expect(percentile(sorted, 0)).toBe(1);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarizeLatencies', () => {
  it('sorts numerically without changing its input', () => {
    const values = [100, 9, 20, 3];
    expect(summarizeLatencies(values)).toEqual({ count: 4, p50: 9, p90: 100, p99: 100, max: 100 });
    expect(values).toEqual([100, 9, 20, 3]);
  });
});

describe('meanRate', () => {
  it('averages whole seconds after the warm-up', () => {
    expect(meanRate([1, 1, 10, 20, 30, 5], 2, 5)).toBe(20);
  });

  it('is undefined when the window is empty', () => {
    expect(meanRate([1, 2, 3], 5, 10)).toBeUndefined();
  });
});
