/**
 * Just enough protobuf wire-format reading to find where the span ids sit inside an encoded
 * `ExportTraceServiceRequest`, so the load generator can patch ids in place instead of
 * re-encoding each batch. Not a decoder: it follows one path and skips everything else.
 *
 * Paths (opentelemetry/proto/collector/trace/v1 and trace/v1):
 *   ExportTraceServiceRequest.resource_spans = 1 → ResourceSpans.scope_spans = 2
 *   → ScopeSpans.spans = 2 → Span.trace_id = 1, span_id = 2, parent_span_id = 4
 */

/** Byte offsets of the id fields' contents, in encoding order. */
export interface SpanIdOffsets {
  /** Start of each span's 16-byte trace id. */
  traceIds: number[];
  /** Start of each span's 8-byte span id. */
  spanIds: number[];
  /** Start of each child span's 8-byte parent span id (roots have none). */
  parentSpanIds: number[];
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

interface Field {
  field: number;
  wireType: number;
  /** Start of the value (for length-delimited fields: of the content, after the length). */
  start: number;
  end: number;
}

function readVarint(bytes: Uint8Array, pos: number): { value: number; next: number } {
  let value = 0;
  let multiplier = 1;
  for (let i = pos; i < bytes.length && i < pos + 10; i++) {
    const byte = bytes[i] as number;
    // Multiplication rather than shifts: lengths may exceed 2^31 in principle and shifts are 32-bit.
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
    multiplier *= 128;
  }
  throw new RangeError(`truncated varint at offset ${pos}`);
}

function* fields(bytes: Uint8Array, start: number, end: number): Generator<Field> {
  let pos = start;
  while (pos < end) {
    const tag = readVarint(bytes, pos);
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    pos = tag.next;
    let valueStart = pos;
    switch (wireType) {
      case WIRE_VARINT:
        pos = readVarint(bytes, pos).next;
        break;
      case WIRE_FIXED64:
        pos += 8;
        break;
      case WIRE_FIXED32:
        pos += 4;
        break;
      case WIRE_LEN: {
        const length = readVarint(bytes, pos);
        valueStart = length.next;
        pos = length.next + length.value;
        break;
      }
      default:
        throw new RangeError(`unsupported wire type ${wireType} at offset ${tag.next}`);
    }
    if (pos > end) throw new RangeError(`field ${field} overruns its message at offset ${valueStart}`);
    yield { field, wireType, start: valueStart, end: pos };
  }
}

function* children(bytes: Uint8Array, parent: { start: number; end: number }, field: number): Generator<Field> {
  for (const f of fields(bytes, parent.start, parent.end)) {
    if (f.field === field && f.wireType === WIRE_LEN) yield f;
  }
}

/**
 * Locates every span's trace id, span id and parent span id in an encoded
 * `ExportTraceServiceRequest`. Throws RangeError on malformed input or ids of the wrong length.
 */
export function findSpanIdOffsets(request: Uint8Array): SpanIdOffsets {
  const offsets: SpanIdOffsets = { traceIds: [], spanIds: [], parentSpanIds: [] };
  const root = { start: 0, end: request.length };
  for (const resourceSpans of children(request, root, 1)) {
    for (const scopeSpans of children(request, resourceSpans, 2)) {
      for (const span of children(request, scopeSpans, 2)) {
        for (const f of fields(request, span.start, span.end)) {
          if (f.wireType !== WIRE_LEN) continue;
          const length = f.end - f.start;
          if (f.field === 1 && length === 16) offsets.traceIds.push(f.start);
          else if (f.field === 2 && length === 8) offsets.spanIds.push(f.start);
          else if (f.field === 4 && length === 8) offsets.parentSpanIds.push(f.start);
          else if (f.field === 1 || f.field === 2 || f.field === 4) {
            throw new RangeError(`span id field ${f.field} has ${length} bytes at offset ${f.start}`);
          }
        }
      }
    }
  }
  return offsets;
}
