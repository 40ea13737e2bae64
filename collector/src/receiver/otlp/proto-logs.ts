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
import { RESOURCE as RESOURCE_KEYS, type AttributeMap, type LogRow } from '@agentflow/schemas';
import { ResultBuilder, type DecodeResult } from './decode-result.js';
import { isZeroId, optionalIdProblem, SPAN_ID_BYTES, TRACE_ID_BYTES, timeRangeProblem } from './id-rules.js';
import { messageShape, ProtoReader, WIRE } from './proto-reader.js';
import { readAttribute, readResource, readScope, readValue } from './proto-values.js';
import type { ScopeInfo } from './scope-info.js';
import { newAttributeMap } from './value-format.js';

const { VARINT, FIXED64, LEN, FIXED32 } = WIRE;
const REQUEST = messageShape('ExportLogsServiceRequest', { 1: LEN });
const RESOURCE_LOGS = messageShape('ResourceLogs', { 1: LEN, 2: LEN, 3: LEN });
const SCOPE_LOGS = messageShape('ScopeLogs', { 1: LEN, 2: LEN, 3: LEN });
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
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 10) readResourceLogs(r, out, tenantId);
    else r.skip(tag, REQUEST);
  }
  return out.result();
}

function readResourceLogs(r: ProtoReader, out: ResultBuilder<LogRow>, tenantId: string): void {
  const outer = r.enter();
  const first = out.rows.length;
  const resourceAttributes: AttributeMap = newAttributeMap();
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 10) readResource(r, resourceAttributes);
    else if (tag === 18) readScopeLogs(r, out, tenantId, resourceAttributes);
    else r.skip(tag, RESOURCE_LOGS);
  }
  r.leave(outer);
  const serviceName = resourceAttributes[RESOURCE_KEYS.SERVICE_NAME] ?? '';
  if (serviceName !== '') for (let i = first; i < out.rows.length; i++) out.rows[i]!.serviceName = serviceName;
}

function readScopeLogs(r: ProtoReader, out: ResultBuilder<LogRow>, tenantId: string, resourceAttributes: AttributeMap): void {
  const outer = r.enter();
  const first = out.rows.length;
  const scope: ScopeInfo = { name: '', version: '', attributes: newAttributeMap() };
  let index = 0;
  let scopeAfterRecords = false;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === 18) {
      readLogRecord(r, out, tenantId, resourceAttributes, scope, index++);
    } else if (tag === 10) {
      readScope(r, scope);
      scopeAfterRecords = index > 0;
    } else {
      r.skip(tag, SCOPE_LOGS);
    }
  }
  r.leave(outer);
  if (scopeAfterRecords) {
    for (let i = first; i < out.rows.length; i++) {
      out.rows[i]!.scopeName = scope.name;
      out.rows[i]!.scopeVersion = scope.version;
    }
  }
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
