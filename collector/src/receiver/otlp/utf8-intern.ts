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
const slotLengths = new Int32Array(SLOTS).fill(-1);
const slotStrings: string[] = new Array<string>(SLOTS).fill('');

/**
 * The string for `bytes[start, end)`, decoded as UTF-8 (invalid sequences become U+FFFD), from the
 * table when the same bytes were seen last in their slot. `text` views the same memory as `bytes`.
 * The range must be at most {@link MAX_INTERNED_BYTES} long.
 */
export function internUtf8(bytes: Uint8Array, text: Buffer, start: number, end: number): string {
  const length = end - start;
  let hash = 0x811c9dc5 ^ length;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  const slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
  const base = slot * MAX_INTERNED_BYTES;
  if (slotLengths[slot] === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (slotBytes[base + i] !== bytes[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return slotStrings[slot]!;
  }
  const value = text.toString('utf8', start, end);
  slotBytes.set(bytes.subarray(start, end), base);
  slotLengths[slot] = length;
  slotStrings[slot] = value;
  return value;
}
