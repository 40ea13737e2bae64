import type { LogRow, SpanRow } from '@agentflow/schemas';
import type { RowBinaryWriter } from './row-binary-writer.js';

/** `otel_traces` columns in the order {@link encodeSpanRow} writes them. */
export const SPAN_COLUMNS = [
  'TenantId', 'Timestamp', 'TraceId', 'SpanId', 'ParentSpanId', 'TraceState', 'SpanName', 'SpanKind',
  'ServiceName', 'ResourceAttributes', 'ScopeName', 'ScopeVersion', 'SpanAttributes', 'Duration',
  'StatusCode', 'StatusMessage', 'Events.Timestamp', 'Events.Name', 'Events.Attributes',
  'Links.TraceId', 'Links.SpanId', 'Links.TraceState', 'Links.Attributes',
] as const;

/** Appends one `otel_traces` row in RowBinary, columns as {@link SPAN_COLUMNS}. */
export function encodeSpanRow(w: RowBinaryWriter, row: SpanRow): void {
  w.string(row.tenantId);
  w.int64(row.startTimeUnixNano);
  w.string(row.traceId);
  w.string(row.spanId);
  w.string(row.parentSpanId);
  w.string(row.traceState);
  w.string(row.name);
  w.string(row.kind);
  w.string(row.serviceName);
  w.stringMap(row.resourceAttributes);
  w.string(row.scopeName);
  w.string(row.scopeVersion);
  w.stringMap(row.attributes);
  w.uint64(row.endTimeUnixNano - row.startTimeUnixNano);
  w.string(row.statusCode);
  w.string(row.statusMessage);
  // Nested columns are parallel arrays, each with its own length prefix.
  const { events, links } = row;
  w.varUInt(events.length);
  for (const e of events) w.int64(e.timeUnixNano);
  w.varUInt(events.length);
  for (const e of events) w.string(e.name);
  w.varUInt(events.length);
  for (const e of events) w.stringMap(e.attributes);
  w.varUInt(links.length);
  for (const l of links) w.string(l.traceId);
  w.varUInt(links.length);
  for (const l of links) w.string(l.spanId);
  w.varUInt(links.length);
  for (const l of links) w.string(l.traceState);
  w.varUInt(links.length);
  for (const l of links) w.stringMap(l.attributes);
}

/** `otel_logs` columns in the order {@link encodeLogRow} writes them. */
export const LOG_COLUMNS = [
  'TenantId', 'Timestamp', 'TraceId', 'SpanId', 'TraceFlags', 'SeverityText', 'SeverityNumber',
  'ServiceName', 'Body', 'ResourceAttributes', 'ScopeName', 'ScopeVersion', 'ScopeAttributes',
  'LogAttributes', 'EventName',
] as const;

/** Appends one `otel_logs` row in RowBinary, columns as {@link LOG_COLUMNS}. */
export function encodeLogRow(w: RowBinaryWriter, row: LogRow): void {
  w.string(row.tenantId);
  w.int64(row.timeUnixNano);
  w.string(row.traceId);
  w.string(row.spanId);
  w.uint8(row.traceFlags & 0xff);
  w.string(row.severityText);
  w.uint8(row.severityNumber & 0xff);
  w.string(row.serviceName);
  w.string(row.body);
  w.stringMap(row.resourceAttributes);
  w.string(row.scopeName);
  w.string(row.scopeVersion);
  w.stringMap(row.scopeAttributes);
  w.stringMap(row.attributes);
  w.string(row.eventName);
}
