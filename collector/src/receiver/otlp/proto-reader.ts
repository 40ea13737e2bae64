/**
 * A protobuf wire-format reader (https://protobuf.dev/programming-guides/encoding/), just what the
 * OTLP decoders need: they walk the bytes themselves and build rows directly, without an
 * intermediate message tree.
 *
 * Every read is bounded by `limit`, the end of the message being read, so a length or varint that
 * runs past its message is caught where it happens. Nothing here trusts the input: every failure
 * is an {@link OtlpDecodeError}, never a RangeError, and every loop consumes at least one byte.
 */
import { protobufError } from './decode-error.js';

/** Wire types (the low 3 bits of a tag). */
export const WIRE = { VARINT: 0, FIXED64: 1, LEN: 2, START_GROUP: 3, END_GROUP: 4, FIXED32: 5 } as const;

/** Groups are obsolete but may appear as unknown fields; their nesting is capped like values'. */
const MAX_GROUP_DEPTH = 32;

/** The wire type each known field of one message type must have, for error messages and checks. */
export interface MessageShape {
  readonly name: string;
  /** Indexed by field number; -1 for fields this shape does not know. */
  readonly wireTypes: Int8Array;
}

/** Declares a message type's known fields: `{ fieldNumber: wireType }`. */
export function messageShape(name: string, fields: Record<number, number>): MessageShape {
  const numbers = Object.keys(fields).map(Number);
  const wireTypes = new Int8Array(Math.max(0, ...numbers) + 1).fill(-1);
  for (const field of numbers) wireTypes[field] = fields[field]!;
  return { name, wireTypes };
}

/** The last id read through {@link ProtoReader.repeatedHex}: where its bytes are, and its hex. */
export class HexMemo {
  pos = 0;
  length = -1;
  hex = '';
}

/** Reads one protobuf-encoded body. Positions are byte offsets into that body. */
export class ProtoReader {
  /** Offset of the next byte to read. */
  pos = 0;
  /** End of the message being read; {@link enter} and {@link leave} move it. */
  limit: number;
  /** Low 32 bits (unsigned) of the value read by the last {@link varint64}. */
  lo = 0;
  /** High 32 bits (unsigned) of the value read by the last {@link varint64}. */
  hi = 0;
  private readonly bytes: Uint8Array;
  private readonly text: Buffer;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.limit = bytes.length;
    this.text = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  // The hot readers below are a one-byte fast path plus an out-of-line slow path: V8 inlines
  // functions this small into the message loops, which is most of the decoder's speed.

  /**
   * Reads a field tag (`field << 3 | wireType`). Call only while `pos < limit`. The tag is not
   * validated here: a message loop's known cases are valid tags, and {@link skip} refuses field 0
   * and wire types 6 and 7 in the rest.
   */
  tag(): number {
    const pos = this.pos;
    const b = this.bytes[pos]!;
    if (b < 0x80) {
      this.pos = pos + 1;
      return b;
    }
    return this.tagSlow();
  }

  private tagSlow(): number {
    const start = this.pos;
    this.varint64();
    // A tag is a uint32; field numbers stop at 2^29 − 1.
    if (this.hi !== 0) throw protobufError(`invalid protobuf: field number out of range at offset ${start}`);
    return this.lo;
  }

  /** Reads a varint and returns its low 32 bits, unsigned (`| 0` gives an int32 or enum). */
  varint32(): number {
    const pos = this.pos;
    const b = this.bytes[pos]!;
    if (b < 0x80 && pos < this.limit) {
      this.pos = pos + 1;
      return b;
    }
    this.varint64();
    return this.lo;
  }

  /** Reads a varint of up to 10 bytes into {@link lo} and {@link hi}. */
  varint64(): void {
    const bytes = this.bytes;
    const limit = this.limit;
    let pos = this.pos;
    let lo = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= limit) throw this.truncatedVarint();
      b = bytes[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return this.endVarint(pos, lo, 0);
    }
    if (pos >= limit) throw this.truncatedVarint();
    b = bytes[pos++]!;
    lo |= (b & 0x0f) << 28;
    let hi = (b & 0x7f) >>> 4;
    if (b < 0x80) return this.endVarint(pos, lo, hi);
    for (let shift = 3; shift < 32; shift += 7) {
      if (pos >= limit) throw this.truncatedVarint();
      b = bytes[pos++]!;
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) {
        // The 10th byte carries bit 63 only.
        if (shift === 31 && b > 1) throw protobufError(`invalid protobuf: varint overflows 64 bits at offset ${this.pos}`);
        return this.endVarint(pos, lo, hi);
      }
    }
    throw protobufError(`invalid protobuf: varint longer than 10 bytes at offset ${this.pos}`);
  }

  /** Reads a fixed64 as an unsigned bigint. */
  fixed64(): bigint {
    const pos = this.need(8);
    return this.view.getBigUint64(pos, true);
  }

  /** Reads a fixed32 as an unsigned number. */
  fixed32(): number {
    const pos = this.need(4);
    return this.view.getUint32(pos, true);
  }

  /** Reads a double (fixed64 wire type). */
  double(): number {
    const pos = this.need(8);
    return this.view.getFloat64(pos, true);
  }

  /** Reads a length prefix and checks that many bytes remain in the current message. */
  length(): number {
    // Past the end of `bytes` the read gives undefined, which fails the test: the slow path reports it.
    const pos = this.pos + 1;
    const n = this.bytes[pos - 1]!;
    if (n < 0x80 && pos + n <= this.limit) {
      this.pos = pos;
      return n;
    }
    return this.lengthSlow();
  }

  private lengthSlow(): number {
    this.varint64();
    const length = this.hi * 4294967296 + this.lo;
    const remaining = this.limit - this.pos;
    if (length > remaining) {
      throw protobufError(`truncated protobuf: length ${length} exceeds remaining ${remaining} bytes at offset ${this.pos}`);
    }
    return length;
  }

  /**
   * Enters a length-delimited embedded message: the reader then stops at its end. Returns the
   * outer limit, to hand to {@link leave}.
   */
  enter(): number {
    const length = this.length();
    const outer = this.limit;
    this.limit = this.pos + length;
    return outer;
  }

  /** Leaves the embedded message entered last, resuming the outer one. */
  leave(outer: number): void {
    this.pos = this.limit;
    this.limit = outer;
  }

  /**
   * Reads a string field; invalid UTF-8 becomes U+FFFD. Short strings come from the intern table:
   * keys and most short values repeat, and a table hit costs less than the native decode call.
   */
  string(): string {
    const length = this.length();
    const start = this.pos;
    const end = start + length;
    this.pos = end;
    if (length === 0) return '';
    return length <= MAX_INTERNED_BYTES ? internUtf8(this.bytes, this.view, this.text, start, end) : this.text.toString('utf8', start, end);
  }

  /** Reads `length` bytes (after a {@link length} call) as lowercase hex. */
  hex(length: number): string {
    const start = this.pos;
    this.pos = start + length;
    return length === 0 ? '' : this.text.toString('hex', start, start + length);
  }

  /**
   * As {@link hex}, for ids that tend to repeat from one read to the next (the spans of a batch
   * mostly share a trace id, siblings a parent id): when the bytes equal those of the last read
   * through `memo`, its string is reused instead of converting again.
   */
  repeatedHex(length: number, memo: HexMemo): string {
    const start = this.pos;
    if (length === memo.length && this.sameBytes(start, memo.pos, length)) {
      this.pos = start + length;
      return memo.hex;
    }
    const hex = this.hex(length);
    memo.pos = start;
    memo.length = length;
    memo.hex = hex;
    return hex;
  }

  private sameBytes(a: number, b: number, length: number): boolean {
    const bytes = this.bytes;
    for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
    return true;
  }

  /** Reads a bytes field as standard base64. */
  base64(): string {
    const length = this.length();
    const start = this.pos;
    this.pos = start + length;
    return this.text.toString('base64', start, start + length);
  }

  /**
   * Skips a field the caller has no case for: unknown fields of every wire type (forward
   * compatibility) and known fields it ignores. A known field with the wrong wire type is refused.
   */
  skip(tag: number, shape: MessageShape): void {
    const field = tag >>> 3;
    const wireType = tag & 7;
    this.checkTag(tag);
    const expected = field < shape.wireTypes.length ? shape.wireTypes[field]! : -1;
    if (expected !== -1 && expected !== wireType) {
      throw protobufError(`invalid protobuf: field ${field} of ${shape.name} has wire type ${wireType}, expected ${expected}`);
    }
    this.skipValue(field, wireType, 0);
  }

  private skipValue(field: number, wireType: number, depth: number): void {
    switch (wireType) {
      case WIRE.VARINT:
        this.varint64();
        return;
      case WIRE.FIXED64:
        this.need(8);
        return;
      case WIRE.LEN: {
        const length = this.length(); // before reading pos: length() moves it
        this.pos += length;
        return;
      }
      case WIRE.FIXED32:
        this.need(4);
        return;
      case WIRE.START_GROUP:
        this.skipGroup(field, depth + 1);
        return;
      default:
        throw protobufError(`invalid protobuf: unexpected end-group tag for field ${field} at offset ${this.tagOffset(field << 3)}`);
    }
  }

  private skipGroup(field: number, depth: number): void {
    if (depth > MAX_GROUP_DEPTH) throw protobufError(`invalid protobuf: groups nested deeper than ${MAX_GROUP_DEPTH} levels`);
    for (;;) {
      if (this.pos >= this.limit) throw protobufError(`truncated protobuf: group of field ${field} not closed at offset ${this.pos}`);
      const tag = this.tag();
      this.checkTag(tag);
      if ((tag & 7) === WIRE.END_GROUP) {
        if (tag >>> 3 !== field) throw protobufError(`invalid protobuf: group of field ${field} closed by field ${tag >>> 3}`);
        return;
      }
      this.skipValue(tag >>> 3, tag & 7, depth);
    }
  }

  /** Refuses field number 0 and wire types 6 and 7, just after `tag` was read. */
  private checkTag(tag: number): void {
    if (tag >>> 3 === 0) throw protobufError(`invalid protobuf: field number 0 at offset ${this.tagOffset(tag)}`);
    if ((tag & 7) > WIRE.FIXED32) throw protobufError(`invalid protobuf: wire type ${tag & 7} at offset ${this.tagOffset(tag)}`);
  }

  /** Where the tag just read started (its canonical encoding's size back from `pos`). */
  private tagOffset(tag: number): number {
    let size = 1;
    for (let rest = tag >>> 7; rest !== 0; rest >>>= 7) size++;
    return this.pos - size;
  }

  /** Consumes `size` bytes of a fixed-size value and returns where they start. */
  private need(size: number): number {
    const pos = this.pos;
    if (this.limit - pos < size) {
      throw protobufError(`truncated protobuf: ${size}-byte value exceeds remaining ${this.limit - pos} bytes at offset ${pos}`);
    }
    this.pos = pos + size;
    return pos;
  }

  private endVarint(pos: number, lo: number, hi: number): void {
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  private truncatedVarint(): Error {
    return protobufError(`truncated protobuf: varint runs past the end of its message at offset ${this.pos}`);
  }
}

/*
 * The intern table behind ProtoReader.string(): short UTF-8 strings (attribute keys and short
 * values) by their bytes. It lives in this file so the reader's hot path stays one module.
 *
 * Agent spans repeat the same few dozen keys thousands of times per second. Decoding a key anew
 * costs a native call and, when it is then used as a property name, a lookup in V8's string
 * table; hashing the bytes and comparing them against the last string seen in that slot is about
 * twice as fast. The table is direct-mapped and fixed in size (4096 slots of at most 64 bytes,
 * ~290 KB), so it never grows and a collision simply replaces the slot. It holds no state a
 * caller can observe: a hit returns the same characters a fresh decode would.
 */

/** Longest byte string the table holds. */
const MAX_INTERNED_BYTES = 64;

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
function internUtf8(bytes: Uint8Array, view: DataView, text: Buffer, start: number, end: number): string {
  const length = end - start;
  const slot = slotOf(bytes, view, start, end);
  const base = slot * MAX_INTERNED_BYTES;
  if (slotLengths[slot] === length && sameAsSlot(bytes, view, start, end, base)) return slotStrings[slot]!;
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

function sameAsSlot(bytes: Uint8Array, view: DataView, start: number, end: number, base: number): boolean {
  const wordsEnd = start + ((end - start) & ~3);
  let i = start;
  let j = base;
  for (; i < wordsEnd; i += 4, j += 4) if (view.getInt32(i, true) !== slotView.getInt32(j, true)) return false;
  for (; i < end; i++, j++) if (bytes[i] !== slotBytes[j]) return false;
  return true;
}
