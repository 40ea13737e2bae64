/**
 * A minimal protobuf wire-format encoder and walker for tests, written independently of the
 * collector's decoders so tests can build payloads the SDKs never send (bad ids, huge times) and
 * count what a payload holds without trusting the code under test.
 * https://protobuf.dev/programming-guides/encoding/
 */

/** Wire types (low 3 bits of a tag). */
export const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

/** A base-128 varint; negative numbers as their 64-bit two's complement (10 bytes). */
export function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

function key(field: number, wire: number): Buffer {
  return varint((field << 3) | wire);
}

/** A varint field (int32, int64, enum, bool). */
export function varintField(field: number, value: number | bigint): Buffer {
  return Buffer.concat([key(field, WIRE.VARINT), varint(value)]);
}

/** A fixed64 field, little-endian. */
export function fixed64Field(field: number, value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, value));
  return Buffer.concat([key(field, WIRE.I64), b]);
}

/** A double field. */
export function doubleField(field: number, value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  return Buffer.concat([key(field, WIRE.I64), b]);
}

/** A length-delimited field holding `parts` concatenated (a message, bytes or a string). */
export function lenField(field: number, ...parts: (Buffer | Uint8Array | string)[]): Buffer {
  const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
  return Buffer.concat([key(field, WIRE.LEN), varint(body.length), body]);
}

/** One field as the walker sees it. */
export interface WireField {
  field: number;
  wire: number;
  /** Offset of the field's first byte (its tag) in the walked buffer. */
  start: number;
  /** Offset just past the field. */
  end: number;
  /** For varints, the value; for LEN fields, the payload. */
  value: bigint | Buffer;
}

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new Error(`varint runs past the end at ${pos}`);
    const b = buf[pos++] as number;
    result |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [result, pos];
    shift += 7n;
  }
  throw new Error('varint longer than 10 bytes');
}

/** Splits one message into its fields; throws on anything malformed. */
export function fields(message: Uint8Array): WireField[] {
  const buf = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  const out: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    pos = afterTag;
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    let value: bigint | Buffer;
    switch (wire) {
      case WIRE.VARINT: {
        const [v, next] = readVarint(buf, pos);
        value = v;
        pos = next;
        break;
      }
      case WIRE.I64:
        value = buf.subarray(pos, pos + 8);
        pos += 8;
        break;
      case WIRE.I32:
        value = buf.subarray(pos, pos + 4);
        pos += 4;
        break;
      case WIRE.LEN: {
        const [n, next] = readVarint(buf, pos);
        value = buf.subarray(next, next + Number(n));
        pos = next + Number(n);
        break;
      }
      default:
        throw new Error(`unsupported wire type ${wire} at ${start}`);
    }
    if (pos > buf.length) throw new Error(`field ${field} runs past the end at ${start}`);
    out.push({ field, wire, start, end: pos, value });
  }
  return out;
}

/** The LEN sub-messages reached by following `path` (field numbers) from the top message. */
export function messagesAt(message: Uint8Array, path: readonly number[]): Buffer[] {
  let level: Buffer[] = [Buffer.from(message.buffer, message.byteOffset, message.byteLength)];
  for (const field of path) {
    level = level.flatMap((m) => fields(m).filter((f) => f.field === field && f.wire === WIRE.LEN).map((f) => f.value as Buffer));
  }
  return level;
}

/** Spans in an `ExportTraceServiceRequest` (resource_spans 1 → scope_spans 2 → spans 2). */
export function countProtoSpans(body: Uint8Array): number {
  return messagesAt(body, [1, 2, 2]).length;
}

/** Log records in an `ExportLogsServiceRequest` (resource_logs 1 → scope_logs 2 → log_records 2). */
export function countProtoLogRecords(body: Uint8Array): number {
  return messagesAt(body, [1, 2, 2]).length;
}

/** The first string (LEN) value of `field` in a message, decoded as UTF-8, or undefined. */
export function stringOf(message: Uint8Array, field: number): string | undefined {
  const f = fields(message).find((x) => x.field === field && x.wire === WIRE.LEN);
  return f === undefined ? undefined : (f.value as Buffer).toString('utf8');
}

/** The first varint value of `field` in a message, or undefined. */
export function varintOf(message: Uint8Array, field: number): bigint | undefined {
  const f = fields(message).find((x) => x.field === field && x.wire === WIRE.VARINT);
  return f === undefined ? undefined : (f.value as bigint);
}
