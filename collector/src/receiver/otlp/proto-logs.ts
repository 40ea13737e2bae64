/**
 * OTLP/HTTP protobuf log decoder: `ExportLogsServiceRequest` bytes straight into log rows.
 *
 * Field numbers (opentelemetry/proto/collector/logs/v1/logs_service.proto, logs/v1/logs.proto):
 *   ExportLogsServiceRequest { 1 repeated ResourceLogs }
 *   ResourceLogs { 1 resource, 2 repeated ScopeLogs, 3 schema_url }
 *   ScopeLogs    { 1 scope, 2 repeated LogRecord, 3 schema_url }
 *   LogRecord    { 1 time_unix_nano (fixed64), 11 observed_time_unix_nano (fixed64),
 *                  2 severity_number, 3 severity_text, 5 body (AnyValue), 6 attributes,
 *                  7 dropped_attributes_count, 8 flags (fixed32), 9 trace_id, 10 span_id,
 *                  12 event_name }   (4 is reserved)
 */
import type { AttributeMap, LogRow } from '@agentflow/schemas';
import { ResultBuilder, type DecodeResult } from './decode-result.js';
import { isZeroId, optionalIdProblem, SPAN_ID_BYTES, TRACE_ID_BYTES, timeRangeProblem } from './id-rules.js';
import { messageShape, ProtoReader, WIRE } from './proto-reader.js';
import { readAttribute, readValue } from './proto-values.js';
import { envelopeShapes, readEnvelope } from './proto-envelope.js';
import type { ScopeInfo } from './scope-info.js';
import { newAttributeMap } from './value-format.js';

const { VARINT, FIXED64, LEN, FIXED32 } = WIRE;
const ENVELOPE = envelopeShapes('Logs', 'Logs');
const LOG_RECORD = messageShape('LogRecord', {
  1: FIXED64, 2: VARINT, 3: LEN, 5: LEN, 6: LEN, 7: VARINT, 8: FIXED32, 9: LEN, 10: LEN, 11: FIXED64, 12: LEN,
});

/** The W3C trace flags are the low byte of `LogRecord.flags`; the rest is reserved. */
const TRACE_FLAGS_MASK = 0xff;

/**
 * Decodes an OTLP/HTTP protobuf `ExportLogsServiceRequest` into log rows stamped with `tenantId`.
 * A record whose trace or span id is present with the wrong length is rejected and counted; an
 * all-zero id is stored as '' (no span). Rows of one resource (scope) share its attribute
 * objects: treat rows as read-only.
 * @throws OtlpDecodeError when the body is not valid protobuf.
 */
export function decodeLogsProto(body: Uint8Array, tenantId: string): DecodeResult<LogRow> {
  const r = new ProtoReader(body);
  const out = new ResultBuilder<LogRow>();
  readEnvelope(r, out, ENVELOPE, true, (resourceAttributes, scope, index) =>
    readLogRecord(r, out, tenantId, resourceAttributes, scope, index));
  return out.result();
}

function readLogRecord(
  r: ProtoReader,
  out: ResultBuilder<LogRow>,
  tenantId: string,
  resourceAttributes: AttributeMap,
  scope: ScopeInfo,
  index: number,
): void {
  const outer = r.enter();
  let time = 0n;
  let observedTime = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body = '';
  const attributes: AttributeMap = newAttributeMap();
  let flags = 0;
  let traceIdBytes = 0;
  let traceId = '';
  let spanIdBytes = 0;
  let spanId = '';
  let eventName = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case 9: // 1 time_unix_nano
        time = r.fixed64();
        break;
      case 16: // 2 severity_number
        severityNumber = r.varint32() | 0;
        break;
      case 26: // 3 severity_text
        severityText = r.string();
        break;
      case 42: // 5 body
        body = readValue(r, 1, false);
        break;
      case 50: // 6 attributes
        readAttribute(r, attributes);
        break;
      case 69: // 8 flags
        flags = r.fixed32();
        break;
      case 74: // 9 trace_id
        traceIdBytes = r.length();
        traceId = r.hex(traceIdBytes);
        break;
      case 82: // 10 span_id
        spanIdBytes = r.length();
        spanId = r.hex(spanIdBytes);
        break;
      case 89: // 11 observed_time_unix_nano
        observedTime = r.fixed64();
        break;
      case 98: // 12 event_name
        eventName = r.string();
        break;
      default:
        r.skip(tag, LOG_RECORD);
    }
  }
  r.leave(outer);
  const timeUnixNano = time !== 0n ? time : observedTime;
  const problem =
    optionalIdProblem('trace_id', TRACE_ID_BYTES, traceIdBytes) ||
    optionalIdProblem('span_id', SPAN_ID_BYTES, spanIdBytes) ||
    timeRangeProblem('time_unix_nano', timeUnixNano);
  if (problem !== '') {
    out.reject(() => `log record ${index} of scope '${scope.name}': ${problem}`);
    return;
  }
  out.rows.push({
    tenantId,
    timeUnixNano,
    traceId: isZeroId(traceId) ? '' : traceId,
    spanId: isZeroId(spanId) ? '' : spanId,
    traceFlags: flags & TRACE_FLAGS_MASK,
    severityText,
    severityNumber,
    serviceName: '',
    body,
    resourceAttributes,
    scopeName: scope.name,
    scopeVersion: scope.version,
    scopeAttributes: scope.attributes ?? newAttributeMap(),
    attributes,
    eventName,
  });
}
