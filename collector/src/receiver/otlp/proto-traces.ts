/**
 * OTLP/HTTP protobuf trace decoder: `ExportTraceServiceRequest` bytes straight into span rows.
 *
 * Field numbers (opentelemetry/proto/collector/trace/v1/trace_service.proto, trace/v1/trace.proto):
 *   ExportTraceServiceRequest { 1 repeated ResourceSpans }
 *   ResourceSpans { 1 resource, 2 repeated ScopeSpans, 3 schema_url }
 *   ScopeSpans    { 1 scope, 2 repeated Span, 3 schema_url }
 *   Span   { 1 trace_id, 2 span_id, 3 trace_state, 4 parent_span_id, 5 name, 6 kind, 7 start (fixed64),
 *            8 end (fixed64), 9 attributes, 10 dropped_attributes_count, 11 events, 12 dropped_events,
 *            13 links, 14 dropped_links, 15 status, 16 flags (fixed32) }
 *   Event  { 1 time_unix_nano (fixed64), 2 name, 3 attributes, 4 dropped }
 *   Link   { 1 trace_id, 2 span_id, 3 trace_state, 4 attributes, 5 dropped, 6 flags (fixed32) }
 *   Status { 2 message, 3 code }   (1 is the retired deprecated_code)
 */
import {
  SPAN_KIND_NAMES,
  STATUS_CODE_NAMES,
  type AttributeMap,
  type SpanEventRow,
  type SpanLinkRow,
  type SpanRow,
} from '@agentflow/schemas';
import { ResultBuilder, type DecodeResult } from './decode-result.js';
import { requiredIdProblem, optionalIdProblem, SPAN_ID_BYTES, spanTimesProblem, TRACE_ID_BYTES } from './id-rules.js';
import { HexMemo, messageShape, ProtoReader, WIRE } from './proto-reader.js';
import { readAttribute } from './proto-values.js';
import { envelopeShapes, readEnvelope } from './proto-envelope.js';
import type { ScopeInfo } from './scope-info.js';
import { newAttributeMap } from './value-format.js';

const { VARINT, FIXED64, LEN, FIXED32 } = WIRE;
const ENVELOPE = envelopeShapes('Trace', 'Spans');
const SPAN = messageShape('Span', {
  1: LEN, 2: LEN, 3: LEN, 4: LEN, 5: LEN, 6: VARINT, 7: FIXED64, 8: FIXED64,
  9: LEN, 10: VARINT, 11: LEN, 12: VARINT, 13: LEN, 14: VARINT, 15: LEN, 16: FIXED32,
});
const EVENT = messageShape('Event', { 1: FIXED64, 2: LEN, 3: LEN, 4: VARINT });
const LINK = messageShape('Link', { 1: LEN, 2: LEN, 3: LEN, 4: LEN, 5: VARINT, 6: FIXED32 });
const STATUS = messageShape('Status', { 1: VARINT, 2: LEN, 3: VARINT });

/** State shared by one decode call. */
interface TraceDecode {
  readonly r: ProtoReader;
  readonly out: ResultBuilder<SpanRow>;
  readonly tenantId: string;
  /** Scratch for the status being read (saves an object per span). */
  statusCode: number;
  statusMessage: string;
  /** Scratch for the link being read: its rule violation, or ''. */
  linkProblem: string;
  readonly traceIds: HexMemo;
  readonly parentSpanIds: HexMemo;
}

/**
 * Decodes an OTLP/HTTP protobuf `ExportTraceServiceRequest` into span rows stamped with
 * `tenantId`. Spans breaking an id or time rule are rejected and counted; an empty body is an
 * empty request. Rows of one resource share its `resourceAttributes` object: treat rows as
 * read-only.
 * @throws OtlpDecodeError when the body is not valid protobuf (bad wire type, truncation, …).
 */
export function decodeTracesProto(body: Uint8Array, tenantId: string): DecodeResult<SpanRow> {
  const d: TraceDecode = {
    r: new ProtoReader(body),
    out: new ResultBuilder<SpanRow>(),
    tenantId,
    statusCode: 0,
    statusMessage: '',
    linkProblem: '',
    traceIds: new HexMemo(),
    parentSpanIds: new HexMemo(),
  };
  readEnvelope(d.r, d.out, ENVELOPE, false, (resourceAttributes, scope, index) => readSpan(d, resourceAttributes, scope, index));
  return d.out.result();
}

function readSpan(d: TraceDecode, resourceAttributes: AttributeMap, scope: ScopeInfo, index: number): void {
  const r = d.r;
  const outer = r.enter();
  let traceIdBytes = 0;
  let traceId = '';
  let spanIdBytes = 0;
  let spanId = '';
  let parentSpanIdBytes = 0;
  let parentSpanId = '';
  let traceState = '';
  let name = '';
  let kind = 0;
  let start = 0n;
  let end = 0n;
  const attributes: AttributeMap = newAttributeMap();
  const events: SpanEventRow[] = [];
  const links: SpanLinkRow[] = [];
  let linkProblem = '';
  d.statusCode = 0;
  d.statusMessage = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 trace_id
        traceIdBytes = r.length();
        traceId = r.repeatedHex(traceIdBytes, d.traceIds);
        break;
      case 18: // 2 span_id
        spanIdBytes = r.length();
        spanId = r.hex(spanIdBytes);
        break;
      case 26: // 3 trace_state
        traceState = r.string();
        break;
      case 34: // 4 parent_span_id
        parentSpanIdBytes = r.length();
        parentSpanId = r.repeatedHex(parentSpanIdBytes, d.parentSpanIds);
        break;
      case 42: // 5 name
        name = r.string();
        break;
      case 48: // 6 kind
        kind = r.varint32() | 0;
        break;
      case 57: // 7 start_time_unix_nano
        start = r.fixed64();
        break;
      case 65: // 8 end_time_unix_nano
        end = r.fixed64();
        break;
      case 74: // 9 attributes
        readAttribute(r, attributes);
        break;
      case 90: // 11 events
        events.push(readEvent(r));
        break;
      case 106: {
        // 13 links
        const link = readLink(d, links.length);
        links.push(link);
        if (linkProblem === '') linkProblem = d.linkProblem;
        break;
      }
      case 122: // 15 status
        readStatus(d);
        break;
      default:
        r.skip(tag, SPAN);
    }
  }
  r.leave(outer);
  const problem =
    requiredIdProblem('trace_id', TRACE_ID_BYTES, traceIdBytes, traceId) ||
    requiredIdProblem('span_id', SPAN_ID_BYTES, spanIdBytes, spanId) ||
    optionalIdProblem('parent_span_id', SPAN_ID_BYTES, parentSpanIdBytes) ||
    spanTimesProblem(start, end, events) ||
    linkProblem;
  if (problem !== '') {
    d.out.reject(() => `span ${index} of scope '${scope.name}': ${problem}`);
    return;
  }
  d.out.rows.push({
    tenantId: d.tenantId,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    traceId,
    spanId,
    parentSpanId,
    traceState,
    name,
    kind: SPAN_KIND_NAMES[kind] ?? 'Unspecified',
    serviceName: '',
    resourceAttributes,
    scopeName: scope.name,
    scopeVersion: scope.version,
    attributes,
    statusCode: STATUS_CODE_NAMES[d.statusCode] ?? 'Unset',
    statusMessage: d.statusMessage,
    events,
    links,
  });
}

function readEvent(r: ProtoReader): SpanEventRow {
  const outer = r.enter();
  let timeUnixNano = 0n;
  let name = '';
  const attributes: AttributeMap = newAttributeMap();
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 9) timeUnixNano = r.fixed64(); // 1 time_unix_nano
    else if (tag === 18) name = r.string(); // 2 name
    else if (tag === 26) readAttribute(r, attributes); // 3 attributes
    else r.skip(tag, EVENT);
  }
  r.leave(outer);
  return { timeUnixNano, name, attributes };
}

/** Reads a link; its rule violation (or '') is left in `d.linkProblem`. */
function readLink(d: TraceDecode, index: number): SpanLinkRow {
  const r = d.r;
  const outer = r.enter();
  let traceIdBytes = 0;
  let traceId = '';
  let spanIdBytes = 0;
  let spanId = '';
  let traceState = '';
  const attributes: AttributeMap = newAttributeMap();
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 trace_id
        traceIdBytes = r.length();
        traceId = r.hex(traceIdBytes);
        break;
      case 18: // 2 span_id
        spanIdBytes = r.length();
        spanId = r.hex(spanIdBytes);
        break;
      case 26: // 3 trace_state
        traceState = r.string();
        break;
      case 34: // 4 attributes
        readAttribute(r, attributes);
        break;
      default:
        r.skip(tag, LINK);
    }
  }
  r.leave(outer);
  const problem =
    requiredIdProblem('trace_id', TRACE_ID_BYTES, traceIdBytes, traceId) ||
    requiredIdProblem('span_id', SPAN_ID_BYTES, spanIdBytes, spanId);
  d.linkProblem = problem === '' ? '' : `link ${index}: ${problem}`;
  return { traceId, spanId, traceState, attributes };
}

function readStatus(d: TraceDecode): void {
  const r = d.r;
  const outer = r.enter();
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 18) d.statusMessage = r.string(); // 2 message
    else if (tag === 24) d.statusCode = r.varint32() | 0; // 3 code
    else r.skip(tag, STATUS);
  }
  r.leave(outer);
}
