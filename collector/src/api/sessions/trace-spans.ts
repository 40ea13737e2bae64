import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { queryRows } from './session-queries.js';
import { isoFromNs } from './time.js';

const TRACES = `${DATABASE}.${TABLES.TRACES}`;
const TRACE_TIMES = `${DATABASE}.${TABLES.TRACES_TRACE_ID_TS}`;

// The trace's first and last second from the small trace-id table bound the scan of otel_traces
// (its sort key cannot find a trace id), as the Grafana ClickHouse plugin does. An export retried
// after a lost acknowledgement stores a span twice: one copy per span id.
const SELECT_TRACE = `
WITH (SELECT min(Start) FROM ${TRACE_TIMES} WHERE TenantId = {tenant:String} AND TraceId = {trace:String}) AS first_second,
     (SELECT max(End) FROM ${TRACE_TIMES} WHERE TenantId = {tenant:String} AND TraceId = {trace:String}) AS last_second
SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS start_ns, toString(toUnixTimestamp64Nano(Timestamp) + Duration) AS end_ns,
       Duration, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName, ResourceAttributes, ScopeName, ScopeVersion,
       SpanAttributes, StatusCode, StatusMessage,
       arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS event_ns, Events.Name AS event_names,
       Events.Attributes AS event_attributes, Links.TraceId AS link_trace_ids, Links.SpanId AS link_span_ids,
       Links.TraceState AS link_trace_states, Links.Attributes AS link_attributes
FROM ${TRACES}
WHERE TenantId = {tenant:String} AND TraceId = {trace:String}
  AND Timestamp >= first_second - INTERVAL 1 SECOND AND Timestamp < last_second + INTERVAL 2 SECOND
ORDER BY Timestamp, SpanId
LIMIT 1 BY SpanId`;

/** One raw span as the API returns it: the OTel Collector ClickHouse exporter's columns, in snake_case. */
export interface RawSpan {
  span_id: string;
  parent_span_id: string;
  trace_state: string;
  name: string;
  kind: string;
  service_name: string;
  start: string;
  end: string;
  duration_ms: number;
  status_code: string;
  status_message: string;
  resource_attributes: Record<string, string>;
  scope: { name: string; version: string };
  attributes: Record<string, string>;
  events: { at: string; name: string; attributes: Record<string, string> }[];
  links: { trace_id: string; span_id: string; trace_state: string; attributes: Record<string, string> }[];
}

/** Answer of `GET /traces/:traceId`. */
export interface TraceSpans {
  trace_id: string;
  spans: RawSpan[];
}

interface StoredSpan {
  start_ns: string; end_ns: string; Duration: string | number; SpanId: string; ParentSpanId: string; TraceState: string;
  SpanName: string; SpanKind: string; ServiceName: string; ResourceAttributes: Record<string, string>; ScopeName: string;
  ScopeVersion: string; SpanAttributes: Record<string, string>; StatusCode: string; StatusMessage: string;
  event_ns: string[]; event_names: string[]; event_attributes: Record<string, string>[];
  link_trace_ids: string[]; link_span_ids: string[]; link_trace_states: string[]; link_attributes: Record<string, string>[];
}

/** The tenant's stored spans of one trace in time order, one per span id; empty when it has none. */
export async function traceSpans(client: ClickHouseClient, tenant: string, traceId: string): Promise<TraceSpans> {
  const rows = await queryRows<StoredSpan>(client, SELECT_TRACE, { tenant, trace: traceId });
  return { trace_id: traceId, spans: rows.map(toRawSpan) };
}

function toRawSpan(s: StoredSpan): RawSpan {
  return {
    span_id: s.SpanId, parent_span_id: s.ParentSpanId, trace_state: s.TraceState, name: s.SpanName, kind: s.SpanKind,
    service_name: s.ServiceName, start: isoFromNs(s.start_ns), end: isoFromNs(s.end_ns), duration_ms: Number(s.Duration) / 1e6,
    status_code: s.StatusCode, status_message: s.StatusMessage, resource_attributes: s.ResourceAttributes,
    scope: { name: s.ScopeName, version: s.ScopeVersion }, attributes: s.SpanAttributes,
    events: s.event_ns.map((ns, i) => ({ at: isoFromNs(ns), name: s.event_names[i] ?? '', attributes: s.event_attributes[i] ?? {} })),
    links: s.link_trace_ids.map((traceId, i) => ({
      trace_id: traceId, span_id: s.link_span_ids[i] ?? '', trace_state: s.link_trace_states[i] ?? '', attributes: s.link_attributes[i] ?? {},
    })),
  };
}
