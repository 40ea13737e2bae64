import { describe, expect, it } from 'vitest';
import { firstWindow, MAX_GROWTH, MIN_GROWTH, nextWindow, WIDEST_NS, type StartWindow } from './start-windows.js';

const HOUR = 3_600_000_000_000n;
const NOW = 1_000_000n * HOUR;

describe('start windows', () => {
  it('starts with the last hour before the anchor, open above', () => {
    expect(firstWindow(NOW, null)).toEqual({ fromNs: NOW - HOUR, toNs: null });
  });

  it('is open below from the start when the hour reaches the floor', () => {
    expect(firstWindow(NOW, NOW - 2n * HOUR)).toEqual({ fromNs: NOW - HOUR, toNs: null });
    expect(firstWindow(NOW, NOW - HOUR)).toEqual({ fromNs: null, toNs: null });
  });

  it('continues just below the last window, wider by twice what the missing rows need at its density', () => {
    // 10 found in an hour, 40 missing: 8 hours at that density, twice that to be safe.
    expect(nextWindow(firstWindow(NOW, null), NOW, 10, 40, null)).toEqual({ fromNs: NOW - 9n * HOUR, toNs: NOW - HOUR });
  });

  it('grows by MIN_GROWTH at least and by MAX_GROWTH at most', () => {
    const last: StartWindow = { fromNs: NOW - 3n * HOUR, toNs: NOW - HOUR };
    expect(nextWindow(last, NOW, 1000, 1, null)).toEqual({ fromNs: NOW - 3n * HOUR - 2n * HOUR * MIN_GROWTH, toNs: NOW - 3n * HOUR });
    expect(nextWindow(last, NOW, 0, 50, null)).toEqual({ fromNs: NOW - 3n * HOUR - 2n * HOUR * MAX_GROWTH, toNs: NOW - 3n * HOUR });
  });

  it('reaches back to the oldest session once a window would be wider than WIDEST_NS, and ends after it', () => {
    const last: StartWindow = { fromNs: NOW - WIDEST_NS / 10n, toNs: NOW - HOUR };
    const open = nextWindow(last, NOW, 0, 50, null);
    expect(open).toEqual({ fromNs: null, toNs: NOW - WIDEST_NS / 10n });
    expect(nextWindow(open!, NOW, 0, 50, null)).toBeNull();
  });

  it('stops at the floor: the last window is open below and the list bound applies', () => {
    expect(nextWindow(firstWindow(NOW, null), NOW, 0, 50, NOW - 5n * HOUR)).toEqual({ fromNs: null, toNs: NOW - HOUR });
  });

  it('needs few windows to reach any age: at most five statements from an empty hour back to everything', () => {
    let window: StartWindow | null = firstWindow(NOW, null);
    let windows = 0;
    while (window !== null) {
      windows++;
      window = nextWindow(window, NOW, 0, 51, null);
    }
    expect(windows).toBeLessThanOrEqual(5);
  });
});
