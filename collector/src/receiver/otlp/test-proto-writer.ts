/**
 * Test support only: a tiny protobuf writer for hand-made OTLP messages, including ones no real
 * encoder would produce (wrong wire types, unknown fields, groups, fields out of order).
 */
import { RESOURCE } from '@agentflow/schemas';

/** One encoded field (or any run of bytes). */
export type Bytes = Uint8Array;

/** Concatenates encoded fields into a message body. */
export function message(...fields: Bytes[]): Bytes {
  return Uint8Array.from(fields.flatMap((f) => [...f]));
}

/** A varint of any uint64/int64 (negative values as 10-byte two's complement). */
export function varintBytes(value: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

/** A field tag alone (for groups, or a value written by hand after it). */
export function tag(field: number, wireType: number): Bytes {
  return varintBytes(field * 8 + wireType);
}

/** A varint field (int64, uint32, enum, bool). */
export function varint(field: number, value: number | bigint): Bytes {
  return message(tag(field, 0), varintBytes(value));
}

/** A length-delimited field: a string (UTF-8), raw bytes, or an embedded message. */
export function len(field: number, content: Bytes | string): Bytes {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return message(tag(field, 2), varintBytes(bytes.length), bytes);
}

/** A fixed64 field, little-endian (timestamps). */
export function fixed64(field: number, value: bigint): Bytes {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return message(tag(field, 1), bytes);
}

/** A double field (fixed64 wire type). */
export function double(field: number, value: number): Bytes {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, true);
  return message(tag(field, 1), bytes);
}

/** A fixed32 field, little-endian (flags). */
export function fixed32(field: number, value: number): Bytes {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return message(tag(field, 5), bytes);
}

/** Bytes from hex (ids). */
export function hex(value: string): Bytes {
  return Uint8Array.from(Buffer.from(value, 'hex'));
}

// OTLP shapes (field numbers as in opentelemetry-proto).

/** AnyValue bodies, one per oneof member. */
export const anyValue = {
  string: (s: string) => len(1, s),
  bool: (b: boolean) => varint(2, b ? 1 : 0),
  int: (n: number | bigint) => varint(3, n),
  double: (d: number) => double(4, d),
  array: (...values: Bytes[]) => len(5, message(...values.map((v) => len(1, v)))),
  kvlist: (...kvs: Bytes[]) => len(6, message(...kvs.map((kv) => len(1, kv)))),
  bytes: (b: Bytes) => len(7, b),
};

/** A KeyValue body: key plus an AnyValue body (omit for an empty value). */
export function keyValue(key: string, value?: Bytes): Bytes {
  return value === undefined ? len(1, key) : message(len(1, key), len(2, value));
}

/** Attribute fields (`field` is the attributes field number of the enclosing message). */
export function attributes(field: number, entries: Record<string, Bytes>): Bytes {
  return message(...Object.entries(entries).map(([k, v]) => len(field, keyValue(k, v))));
}

/** The ids {@link span} uses. */
export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';
export const PARENT_ID = 'eee19b7ec3c1b173';

/** A valid Span body with the given extra fields appended (a later field wins for singular ones). */
export function span(...extra: Bytes[]): Bytes {
  return message(
    len(1, hex(TRACE_ID)),
    len(2, hex(SPAN_ID)),
    len(5, 'op'),
    fixed64(7, 1_000n),
    fixed64(8, 2_000n),
    ...extra,
  );
}

/** An ExportTraceServiceRequest with one resource and one scope around the given Span bodies. */
export function traces(spans: Bytes[], resource: Bytes = attributes(1, { [RESOURCE.SERVICE_NAME]: anyValue.string('svc') })): Bytes {
  const scopeSpans = message(len(1, message(len(1, 'scope'), len(2, '1.0'))), ...spans.map((s) => len(2, s)));
  return len(1, message(len(1, resource), len(2, scopeSpans)));
}

/** An ExportLogsServiceRequest with one resource and one scope around the given LogRecord bodies. */
export function logs(records: Bytes[]): Bytes {
  const scopeLogs = message(len(1, message(len(1, 'scope'))), ...records.map((r) => len(2, r)));
  return len(1, message(len(1, attributes(1, { [RESOURCE.SERVICE_NAME]: anyValue.string('svc') })), len(2, scopeLogs)));
}
