import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES, type AttributeMap, type SpanKindName, type SpanRow, type StatusCodeName } from '@agentflow/schemas';

interface StoredSpan {
  TenantId: string;
  start: string;
  end: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: AttributeMap;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: AttributeMap;
  StatusCode: string;
  StatusMessage: string;
  eventTimes: string[];
  eventNames: string[];
  eventAttributes: AttributeMap[];
  linkTraceIds: string[];
  linkSpanIds: string[];
  linkTraceStates: string[];
  linkAttributes: AttributeMap[];
}

// Nanosecond times travel as strings: JSON numbers lose precision past 2^53.
const SELECT_SPANS = `
SELECT TenantId,
       toString(toUnixTimestamp64Nano(Timestamp)) AS start,
       toString(toUnixTimestamp64Nano(Timestamp) + Duration) AS end,
       TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName, ResourceAttributes,
       ScopeName, ScopeVersion, SpanAttributes, StatusCode, StatusMessage,
       arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS eventTimes,
       Events.Name AS eventNames, Events.Attributes AS eventAttributes,
       Links.TraceId AS linkTraceIds, Links.SpanId AS linkSpanIds, Links.TraceState AS linkTraceStates,
       Links.Attributes AS linkAttributes
FROM ${DATABASE}.${TABLES.TRACES}
WHERE TenantId = {tenant:String} AND TraceId IN {traces:Array(String)}
-- An export retried after a lost acknowledgement stores a span twice; one copy is enough.
LIMIT 1 BY TraceId, SpanId`;

/** Reads the stored spans of some traces of one tenant back as rows, one per span id. */
export async function readTraceSpans(client: ClickHouseClient, tenantId: string, traceIds: readonly string[]): Promise<SpanRow[]> {
  if (traceIds.length === 0) return [];
  const rs = await client.query({ query: SELECT_SPANS, format: 'JSONEachRow', query_params: { tenant: tenantId, traces: traceIds } });
  return (await rs.json<StoredSpan>()).map(toSpanRow);
}

/**
 * Trace ids of one tenant first seen at or after `since` (ns), in pages of `limit` after the
 * trace id `after`, in trace id order: the walk a rebuild makes.
 */
export async function listTraceIds(
  client: ClickHouseClient, tenantId: string, since: bigint, after: string, limit: number,
): Promise<string[]> {
  const rs = await client.query({
    query: `SELECT DISTINCT TraceId FROM ${DATABASE}.${TABLES.TRACES_TRACE_ID_TS}
            WHERE TenantId = {tenant:String} AND Start >= fromUnixTimestamp64Nano({since:Int64}) - INTERVAL 1 SECOND
              AND TraceId > {after:String}
            ORDER BY TraceId LIMIT {limit:UInt32}`,
    format: 'JSONEachRow',
    query_params: { tenant: tenantId, since: since.toString(), after, limit },
  });
  return (await rs.json<{ TraceId: string }>()).map((r) => r.TraceId);
}

/** Tenants that have spans at or after `since` (ns). */
export async function listTenants(client: ClickHouseClient, since: bigint): Promise<string[]> {
  const rs = await client.query({
    query: `SELECT DISTINCT TenantId FROM ${DATABASE}.${TABLES.TRACES_TRACE_ID_TS} WHERE Start >= fromUnixTimestamp64Nano({since:Int64}) - INTERVAL 1 SECOND`,
    format: 'JSONEachRow',
    query_params: { since: since.toString() },
  });
  return (await rs.json<{ TenantId: string }>()).map((r) => r.TenantId);
}

function toSpanRow(s: StoredSpan): SpanRow {
  return {
    tenantId: s.TenantId,
    startTimeUnixNano: BigInt(s.start),
    endTimeUnixNano: BigInt(s.end),
    traceId: s.TraceId,
    spanId: s.SpanId,
    parentSpanId: s.ParentSpanId,
    traceState: s.TraceState,
    name: s.SpanName,
    kind: s.SpanKind as SpanKindName,
    serviceName: s.ServiceName,
    resourceAttributes: s.ResourceAttributes,
    scopeName: s.ScopeName,
    scopeVersion: s.ScopeVersion,
    attributes: s.SpanAttributes,
    statusCode: s.StatusCode as StatusCodeName,
    statusMessage: s.StatusMessage,
    events: s.eventTimes.map((t, i) => ({ timeUnixNano: BigInt(t), name: s.eventNames[i] ?? '', attributes: s.eventAttributes[i] ?? {} })),
    links: s.linkTraceIds.map((traceId, i) => ({
      traceId, spanId: s.linkSpanIds[i] ?? '', traceState: s.linkTraceStates[i] ?? '', attributes: s.linkAttributes[i] ?? {},
    })),
  };
}
