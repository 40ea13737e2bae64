import type { LogRow, SpanRow } from '@agentflow/schemas';
import { array, column as c, STRING, STRING_MAP, TIME_NS, UINT64, UINT8, type NativeColumn } from './native-block.js';

/** `otel_traces` columns (schemas/sql/0001_otel_traces.sql) and where each row's value comes from. */
export const SPAN_COLUMNS: readonly NativeColumn<SpanRow>[] = [
  c('TenantId', STRING, (r) => r.tenantId),
  c('Timestamp', TIME_NS, (r) => r.startTimeUnixNano),
  c('TraceId', STRING, (r) => r.traceId),
  c('SpanId', STRING, (r) => r.spanId),
  c('ParentSpanId', STRING, (r) => r.parentSpanId),
  c('TraceState', STRING, (r) => r.traceState),
  c('SpanName', STRING, (r) => r.name),
  c('SpanKind', STRING, (r) => r.kind),
  c('ServiceName', STRING, (r) => r.serviceName),
  c('ResourceAttributes', STRING_MAP, (r) => r.resourceAttributes),
  c('ScopeName', STRING, (r) => r.scopeName),
  c('ScopeVersion', STRING, (r) => r.scopeVersion),
  c('SpanAttributes', STRING_MAP, (r) => r.attributes),
  c('Duration', UINT64, (r) => r.endTimeUnixNano - r.startTimeUnixNano),
  c('StatusCode', STRING, (r) => r.statusCode),
  c('StatusMessage', STRING, (r) => r.statusMessage),
  // Nested columns are parallel arrays, one column each.
  c('Events.Timestamp', array(TIME_NS), (r) => r.events.map((e) => e.timeUnixNano)),
  c('Events.Name', array(STRING), (r) => r.events.map((e) => e.name)),
  c('Events.Attributes', array(STRING_MAP), (r) => r.events.map((e) => e.attributes)),
  c('Links.TraceId', array(STRING), (r) => r.links.map((l) => l.traceId)),
  c('Links.SpanId', array(STRING), (r) => r.links.map((l) => l.spanId)),
  c('Links.TraceState', array(STRING), (r) => r.links.map((l) => l.traceState)),
  c('Links.Attributes', array(STRING_MAP), (r) => r.links.map((l) => l.attributes)),
];

/** `otel_logs` columns (schemas/sql/0002_otel_logs.sql) and where each row's value comes from. */
export const LOG_COLUMNS: readonly NativeColumn<LogRow>[] = [
  c('TenantId', STRING, (r) => r.tenantId),
  c('Timestamp', TIME_NS, (r) => r.timeUnixNano),
  c('TraceId', STRING, (r) => r.traceId),
  c('SpanId', STRING, (r) => r.spanId),
  c('TraceFlags', UINT8, (r) => r.traceFlags & 0xff),
  c('SeverityText', STRING, (r) => r.severityText),
  c('SeverityNumber', UINT8, (r) => r.severityNumber & 0xff),
  c('ServiceName', STRING, (r) => r.serviceName),
  c('Body', STRING, (r) => r.body),
  c('ResourceAttributes', STRING_MAP, (r) => r.resourceAttributes),
  c('ScopeName', STRING, (r) => r.scopeName),
  c('ScopeVersion', STRING, (r) => r.scopeVersion),
  c('ScopeAttributes', STRING_MAP, (r) => r.scopeAttributes),
  c('LogAttributes', STRING_MAP, (r) => r.attributes),
  c('EventName', STRING, (r) => r.eventName),
];
