/**
 * A small intern table for short UTF-8 strings (attribute keys and short values).
 *
 * Agent spans repeat the same few dozen keys thousands of times per second. Decoding a key anew
 * costs a native call and, when it is then used as a property name, a lookup in V8's string
 * table; hashing the bytes and comparing them against the last string seen in that slot is about
 * twice as fast. The table is direct-mapped and fixed in size (4096 slots of at most 64 bytes,
 * ~290 KB), so it never grows and a collision simply replaces the slot. It holds no state a
 * caller can observe: a hit returns the same characters a fresh decode would.
 */

/** Longest byte string the table holds. */
export const MAX_INTERNED_BYTES = 64;

const SLOTS = 4096;
const slotBytes = new Uint8Array(SLOTS * MAX_INTERNED_BYTES);
const slotView = new DataView(slotBytes.buffer);
const slotLengths = new Int32Array(SLOTS).fill(-1);
const slotStrings: string[] = new Array<string>(SLOTS).fill('');

/**
 * The string for `bytes[start, end)`, decoded as UTF-8 (invalid sequences become U+FFFD), from the
 * table when the same bytes were seen last in their slot. `view` and `text` view the same memory
 * as `bytes`. The range must be at most {@link MAX_INTERNED_BYTES} long.
 */
export function internUtf8(bytes: Uint8Array, view: DataView, text: Buffer, start: number, end: number): string {
  const length = end - start;
  const slot = slotOf(bytes, view, start, end);
  const base = slot * MAX_INTERNED_BYTES;
  if (slotLengths[slot] === length && sameBytes(bytes, view, start, end, base)) return slotStrings[slot]!;
  const value = text.toString('utf8', start, end);
  for (let j = 0; j < length; j++) slotBytes[base + j] = bytes[start + j]!;
  slotLengths[slot] = length;
  slotStrings[slot] = value;
  return value;
}

/**
 * FNV-1a over the length and four sampled 32-bit words (start, two inner points, end) rather
 * than every byte: the full comparison that follows catches collisions, which only cost a decode.
 */
function slotOf(bytes: Uint8Array, view: DataView, start: number, end: number): number {
  const length = end - start;
  let hash = Math.imul(0x811c9dc5 ^ length, 0x01000193);
  if (length >= 4) {
    const third = ((length - 4) / 3) | 0;
    hash = Math.imul(hash ^ view.getInt32(start, true), 0x01000193);
    hash = Math.imul(hash ^ view.getInt32(start + third, true), 0x01000193);
    hash = Math.imul(hash ^ view.getInt32(end - 4 - third, true), 0x01000193);
    hash = Math.imul(hash ^ view.getInt32(end - 4, true), 0x01000193);
  } else {
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  }
  return (hash ^ (hash >>> 15)) & (SLOTS - 1);
}

function sameBytes(bytes: Uint8Array, view: DataView, start: number, end: number, base: number): boolean {
  const wordsEnd = start + ((end - start) & ~3);
  let i = start;
  let j = base;
  for (; i < wordsEnd; i += 4, j += 4) if (view.getInt32(i, true) !== slotView.getInt32(j, true)) return false;
  for (; i < end; i++, j++) if (bytes[i] !== slotBytes[j]) return false;
  return true;
}
