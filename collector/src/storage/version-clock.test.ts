import { describe, expect, it } from 'vitest';
import { createVersionClock } from './version-clock.js';

describe('createVersionClock', () => {
  it('gives the clock in ns, and one more than the last when the clock stands still or steps back', () => {
    const times = [5, 5, 4, 7];
    const next = createVersionClock(() => times.shift() as number);
    expect([next(), next(), next(), next()]).toEqual([5_000_000n, 5_000_001n, 5_000_002n, 7_000_000n]);
  });
});
