const INITIAL_BYTES = 1 << 20;
/** Below this many UTF-16 units a string's UTF-8 form is under 128 bytes: its length fits one varint byte. */
const ONE_BYTE_LENGTH_CHARS = 42;
/** Below this many chars a JS copy loop is faster than the native UTF-8 encoder (measured on Node 20). */
const SHORT_STRING_CHARS = 16;

/** One 8-byte scratch slot seen as Int64, UInt64 and bytes (little-endian, as on every platform Node runs on here). */
const SCRATCH = new ArrayBuffer(8);
const SCRATCH_INT64 = new BigInt64Array(SCRATCH);
const SCRATCH_UINT64 = new BigUint64Array(SCRATCH);
const SCRATCH_BYTES = new Uint8Array(SCRATCH);

/**
 * Appends values in ClickHouse's binary value encoding (shared by the Native and RowBinary
 * formats) to a growing buffer: strings are LEB128 length-prefixed, numbers little-endian,
 * DateTime64(9) an Int64 of nanoseconds.
 */
export class BinaryWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialBytes = INITIAL_BYTES) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** The encoded bytes (a view, valid until the next write or reset). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Forget what was written, keeping the allocated buffer for reuse. */
  reset(): void {
    this.pos = 0;
  }

  uint8(value: number): void {
    this.reserve(1);
    this.buf[this.pos++] = value;
  }

  varUInt(value: number): void {
    this.reserve(10);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  uint16(value: number): void {
    this.reserve(2);
    this.buf.writeUInt16LE(value, this.pos);
    this.pos += 2;
  }

  uint32(value: number): void {
    this.reserve(4);
    this.buf.writeUInt32LE(value, this.pos);
    this.pos += 4;
  }

  int32(value: number): void {
    this.reserve(4);
    this.buf.writeInt32LE(value, this.pos);
    this.pos += 4;
  }

  /** A UInt64 from a JS number (counts and token totals stay far below 2^53). */
  uint64Number(value: number): void {
    this.reserve(8);
    this.buf.writeUInt32LE(value % 0x1_0000_0000, this.pos);
    this.buf.writeUInt32LE(Math.floor(value / 0x1_0000_0000), this.pos + 4);
    this.pos += 8;
  }

  float32(value: number): void {
    this.reserve(4);
    this.buf.writeFloatLE(value, this.pos);
    this.pos += 4;
  }

  float64(value: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  int64(value: bigint): void {
    SCRATCH_INT64[0] = value;
    this.scratch8();
  }

  uint64(value: bigint): void {
    SCRATCH_UINT64[0] = value;
    this.scratch8();
  }

  /**
   * Copies the 8 scratch bytes. Buffer's writeBig(U)Int64LE split the value with BigInt
   * arithmetic, allocating several BigInts per call; a typed-array store allocates none.
   */
  private scratch8(): void {
    this.reserve(8);
    const buf = this.buf;
    const pos = this.pos;
    for (let i = 0; i < 8; i++) buf[pos + i] = SCRATCH_BYTES[i] as number;
    this.pos = pos + 8;
  }

  string(value: string): void {
    const n = value.length;
    if (n <= ONE_BYTE_LENGTH_CHARS) {
      // The UTF-8 form is under 128 bytes: write it after a one-byte length slot, then fill the slot.
      this.reserve(1 + n * 3);
      const buf = this.buf;
      const start = this.pos + 1;
      let written: number;
      if (n < SHORT_STRING_CHARS) {
        // Copying char codes beats Buffer.write's call overhead for short ASCII strings (ids, enum
        // values); the first non-ASCII char falls back to the UTF-8 encoder.
        let i = 0;
        for (; i < n; i++) {
          const c = value.charCodeAt(i);
          if (c >= 0x80) break;
          buf[start + i] = c;
        }
        written = i === n ? n : buf.write(value, start, 'utf8');
      } else {
        written = buf.write(value, start, 'utf8');
      }
      buf[this.pos] = written;
      this.pos = start + written;
      return;
    }
    const byteLength = Buffer.byteLength(value, 'utf8');
    this.varUInt(byteLength);
    this.reserve(byteLength);
    this.pos += this.buf.write(value, this.pos, byteLength, 'utf8');
  }

  /** Appends a copy of bytes already written, `[start, end)`. */
  repeat(start: number, end: number): void {
    this.reserve(end - start);
    this.buf.copy(this.buf, this.pos, start, end);
    this.pos += end - start;
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
