/**
 * Ranges of session start times that a newest-first list reads one after another. The sessions
 * table is sorted by (tenant, started_at, …), so one range is a cheap read however many sessions
 * are older; a page is usually filled by the first range, and each further range is older than
 * the last and wider by what the last one's density says the rest of the page needs.
 */

const HOUR_NS = 3_600_000_000_000n;

/** Width of the first range. */
export const FIRST_WIDTH_NS = HOUR_NS;
/** A range is at least this many times wider than the one before it, so a short history is read to its start in a few ranges. */
export const MIN_GROWTH = 4n;
/** A range is at most this many times wider than the one before it. */
export const MAX_GROWTH = 24n;
/** Past this width the range reaches back to the oldest session instead. */
export const WIDEST_NS = 366n * 24n * HOUR_NS;

/** Sessions started in [fromNs, toNs); null bounds are open. */
export interface StartWindow {
  fromNs: bigint | null;
  toNs: bigint | null;
}

/**
 * The newest range: the hour up to `anchorNs` and everything after it (sessions stamped ahead of
 * the server's clock included; the list's own bounds cut it where they apply). Open below when
 * that hour reaches `floorNs`, the oldest start the list wants.
 */
export function firstWindow(anchorNs: bigint, floorNs: bigint | null): StartWindow {
  return { fromNs: bounded(anchorNs - FIRST_WIDTH_NS, floorNs), toNs: null };
}

/**
 * The range just older than `last`, which found `found` sessions while `missing` more are still
 * wanted; null when `last` was already open below. Widened by {@link MIN_GROWTH} to
 * {@link MAX_GROWTH} times the width of `last` (the first range counts as an hour wide).
 */
export function nextWindow(last: StartWindow, anchorNs: bigint, found: number, missing: number, floorNs: bigint | null): StartWindow | null {
  if (last.fromNs === null) return null;
  const width = (last.toNs ?? anchorNs) - last.fromNs;
  // Twice what the last range's density says the rest needs, so one more range usually does.
  const growth = found === 0 ? MAX_GROWTH : clamp(BigInt(Math.ceil((2 * missing) / found)), MIN_GROWTH, MAX_GROWTH);
  const next = width * growth;
  return { fromNs: next > WIDEST_NS ? null : bounded(last.fromNs - next, floorNs), toNs: last.fromNs };
}

/** `fromNs`, or null (open) once it is at or below the floor: the list's own lower bound applies. */
function bounded(fromNs: bigint, floorNs: bigint | null): bigint | null {
  return floorNs !== null && fromNs <= floorNs ? null : fromNs;
}

function clamp(value: bigint, min: bigint, max: bigint): bigint {
  return value < min ? min : value > max ? max : value;
}
