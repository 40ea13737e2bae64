/**
 * Versions for ReplacingMergeTree rows: nanoseconds from `now` (ms since the epoch), strictly
 * increasing even when the clock stands still or steps back, so a later write always wins.
 */
export function createVersionClock(now: () => number): () => bigint {
  let last = 0n;
  return () => {
    const fromClock = BigInt(now()) * 1_000_000n;
    last = fromClock > last ? fromClock : last + 1n;
    return last;
  };
}
