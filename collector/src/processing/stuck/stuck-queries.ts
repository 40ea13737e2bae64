import type { ClickHouseClient } from '@clickhouse/client';
import { AGENTFLOW, DATABASE, GEN_AI, RESOURCE, TABLES, type AnomalyKind, type AnomalyRow, type AnomalySeverity } from '@agentflow/schemas';
import { WATCHED_OPERATIONS, type SpanFacts } from './describe.js';
import { inRanges, mergeRanges, type TimeRange } from './time-ranges.js';

/**
 * The reads of one stuck pass. Each is bounded by time: start records and heartbeats of a recent
 * window, spans of a recent window, and spans of named traces or spans within their own time
 * ranges. otel_traces is sorted by service and span name before time, and a trace id is only in a
 * bloom filter, so a lookup by trace alone would test every granule of the table: the ranges (a
 * span's start, which its start record carries, or the trace's range in otel_traces_trace_id_ts,
 * read by that table's key) prune partitions, parts and key ranges first.
 */

const LOGS = `${DATABASE}.${TABLES.LOGS}`;
const TRACES = `${DATABASE}.${TABLES.TRACES}`;
const TRACE_TS = `${DATABASE}.${TABLES.TRACES_TRACE_ID_TS}`;
const ANOMALIES = `${DATABASE}.${TABLES.ANOMALIES}`;

/** Attribute keys and event names, bound as parameters: the SQL names none itself. */
const KEYS = {
  kOperation: GEN_AI.OPERATION_NAME,
  kAgent: GEN_AI.AGENT_NAME,
  kTool: GEN_AI.TOOL_NAME,
  kModel: GEN_AI.REQUEST_MODEL,
  kResponseModel: GEN_AI.RESPONSE_MODEL,
  kSpanName: AGENTFLOW.SPAN_NAME,
  kParent: AGENTFLOW.SPAN_PARENT_SPAN_ID,
  kInstance: RESOURCE.SERVICE_INSTANCE_ID,
  kStatus: AGENTFLOW.INSTANCE_STATUS,
  kInterval: AGENTFLOW.HEARTBEAT_INTERVAL_MS,
  startEvent: AGENTFLOW.SPAN_START_EVENT,
  heartbeatEvent: AGENTFLOW.HEARTBEAT_EVENT,
};

/** The kinds this detector opens and resolves (`stuck.no_progress` belongs to the loop rules). */
export const STUCK_KINDS = ['stuck.stale', 'stuck.orphaned', 'stuck.open_span'] as const satisfies readonly AnomalyKind[];

/** Trace ids per statement at most: keeps the bound arrays (and the IN sets) small. */
const TRACES_PER_QUERY = 2_000;
/** Slack around a span's known start when looking for it (the same clock stamped both). */
const SPAN_SLACK_MS = 60_000;
/** Time ranges closer than this are read as one. */
const RANGE_GAP_MS = 10 * 60_000;
/** Time ranges per statement at most. */
const MAX_RANGES = 64;

/** A span's start record (`agentflow.span.start`), for a span not ended when it was read. */
export interface StartRecord extends SpanFacts {
  tenantId: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  startedMs: number;
  /** `service.instance.id` of the process that runs it; '' when not sent. */
  instance: string;
}

/** The latest heartbeat of a process. */
export interface Heartbeat {
  tenantId: string;
  instance: string;
  lastMs: number;
  status: string;
  /** Its stated period; 0 when it states none. */
  intervalMs: number;
}

/** The latest thing that happened in a trace: a span started (start record) or ended (stored span). */
export interface TraceActivity {
  tenantId: string;
  traceId: string;
  lastMs: number;
  last: SpanFacts & { happened: 'started' | 'ended'; spanId: string };
}

/** A trace read whole, for the rule on roots that never arrive. */
export interface TraceShape {
  tenantId: string;
  traceId: string;
  spans: number;
  roots: number;
  firstMs: number;
  lastEndMs: number;
  /** Parent span ids its spans point to that are not in it, with their children. */
  missing: MissingParent[];
}

export interface MissingParent {
  parentId: string;
  /** Spans pointing to it. */
  children: number;
  /** The latest 20 of them, in start order. */
  evidence: string[];
  agentName: string;
}

/** A span to look up by its trace. */
export interface SpanRef {
  tenantId: string;
  traceId: string;
  spanId: string;
  /** Its start, when known (from its start record): its stored Timestamp is the same time. */
  startedMs?: number;
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({ query, format: 'JSONEachRow', query_params: { ...KEYS, ...params } });
  return rs.json<T>();
}

const at = (ms: number) => new Date(ms);

/**
 * otel_logs is partitioned and sorted by the second-resolution `TimestampTime`: a condition on
 * it prunes partitions, parts and key ranges, one on `Timestamp` alone prunes nothing.
 */
const LOGS_FROM = 'TimestampTime >= toDateTime({from:DateTime64(3)}) AND Timestamp >= {from:DateTime64(3)}';

/**
 * Start records of watched operations stamped in [`fromMs`, `toMs`) (`toMs` null: no end) whose
 * span has not arrived, newest first, at most `limit`. A stored span's Timestamp is its start,
 * the time its start record carries, so spans of the same range (and a minute around it) are all
 * that can match: a long range is read in slices to keep that set small.
 */
export async function openStartsBetween(client: ClickHouseClient, fromMs: number, toMs: number | null, limit: number): Promise<StartRecord[]> {
  const until = toMs === null ? '' : 'AND TimestampTime <= toDateTime({to:DateTime64(3)}) AND Timestamp < {to:DateTime64(3)}';
  const spansUntil = toMs === null ? '' : 'AND Timestamp < {spansTo:DateTime64(3)}';
  const found = await rows<Omit<StartRecord, 'startedMs'> & { startedMs: string }>(client, `
    SELECT TenantId AS tenantId, TraceId AS traceId, SpanId AS spanId,
           toString(toUnixTimestamp64Milli(Timestamp)) AS startedMs,
           LogAttributes[{kOperation:String}] AS operation, LogAttributes[{kSpanName:String}] AS name,
           LogAttributes[{kTool:String}] AS toolName, LogAttributes[{kAgent:String}] AS agentName,
           LogAttributes[{kModel:String}] AS model, LogAttributes[{kParent:String}] AS parentSpanId,
           ResourceAttributes[{kInstance:String}] AS instance
    FROM ${LOGS}
    WHERE EventName = {startEvent:String} AND ${LOGS_FROM} ${until} AND SpanId != ''
      AND operation IN {operations:Array(String)}
      AND (TenantId, SpanId) NOT IN
          (SELECT TenantId, SpanId FROM ${TRACES} WHERE Timestamp >= {spansFrom:DateTime64(3)} ${spansUntil})
    ORDER BY Timestamp DESC
    LIMIT 1 BY TenantId, SpanId
    LIMIT {limit:UInt32}`,
  {
    from: at(fromMs), to: at(toMs ?? 0), spansFrom: at(fromMs - SPAN_SLACK_MS), spansTo: at((toMs ?? 0) + SPAN_SLACK_MS),
    operations: WATCHED_OPERATIONS, limit,
  });
  return found.map((r) => ({ ...r, startedMs: Number(r.startedMs) }));
}

/** The latest start record (any operation) of each of `traces` stamped at or after `fromMs`. */
export async function latestStartsSince(client: ClickHouseClient, fromMs: number, traces: readonly SpanRef[]): Promise<Map<string, TraceActivity>> {
  const out = new Map<string, TraceActivity>();
  for (const chunk of byTraces(traces)) {
    const found = await rows<{ tenantId: string; traceId: string; lastMs: string; last: unknown }>(client, `
      SELECT TenantId AS tenantId, TraceId AS traceId, toString(toUnixTimestamp64Milli(max(Timestamp))) AS lastMs,
             argMax(tuple('started', SpanId, LogAttributes[{kOperation:String}], LogAttributes[{kSpanName:String}],
                           LogAttributes[{kTool:String}], LogAttributes[{kAgent:String}], LogAttributes[{kModel:String}]), Timestamp) AS last
      FROM ${LOGS}
      WHERE EventName = {startEvent:String} AND ${LOGS_FROM} AND TraceId IN {traces:Array(String)}
      GROUP BY tenantId, traceId`,
    { from: at(fromMs), traces: traceIds(chunk) });
    for (const r of found) out.set(traceKey(r.tenantId, r.traceId), activityOf(r));
  }
  return out;
}

/** The latest heartbeat of each process that sent one at or after `fromMs`. */
export async function heartbeatsSince(client: ClickHouseClient, fromMs: number): Promise<Heartbeat[]> {
  const found = await rows<{ tenantId: string; instance: string; lastMs: string; status: string; intervalMs: string }>(client, `
    SELECT TenantId AS tenantId, ResourceAttributes[{kInstance:String}] AS instance,
           toString(toUnixTimestamp64Milli(max(Timestamp))) AS lastMs,
           argMax(LogAttributes[{kStatus:String}], Timestamp) AS status,
           toString(toUInt32OrZero(argMax(LogAttributes[{kInterval:String}], Timestamp))) AS intervalMs
    FROM ${LOGS}
    WHERE EventName = {heartbeatEvent:String} AND ${LOGS_FROM} AND instance != ''
    GROUP BY tenantId, instance`,
  { from: at(fromMs) });
  return found.map((r) => ({ ...r, lastMs: Number(r.lastMs), intervalMs: Number(r.intervalMs) }));
}

/**
 * Where the spans of each trace lie: from its first to its last span start (second resolution),
 * read from otel_traces_trace_id_ts by its key. A trace with no span stored has none.
 */
async function traceRanges(client: ClickHouseClient, refs: readonly SpanRef[]): Promise<Map<string, TimeRange>> {
  const found = await rows<{ tenantId: string; traceId: string; fromMs: string; toMs: string }>(client, `
    SELECT TenantId AS tenantId, TraceId AS traceId,
           toString(toUnixTimestamp(min(Start)) * 1000) AS fromMs, toString((toUnixTimestamp(max(End)) + 1) * 1000) AS toMs
    FROM ${TRACE_TS}
    WHERE TenantId IN {tenants:Array(String)} AND TraceId IN {traces:Array(String)}
    GROUP BY tenantId, traceId`,
  { tenants: [...new Set(refs.map((r) => r.tenantId))], traces: traceIds(refs) });
  return new Map(found.map((r) => [traceKey(r.tenantId, r.traceId), { fromMs: Number(r.fromMs), toMs: Number(r.toMs) }]));
}

/**
 * The condition on otel_traces.Timestamp that covers the spans of `refs`: a span's own start when
 * known, else its trace's range. Null when none of them has a span stored.
 */
async function spanTimes(client: ClickHouseClient, refs: readonly SpanRef[], useStarts: boolean): Promise<{ sql: string; params: Record<string, Date> } | null> {
  const exact = useStarts ? refs.filter((r) => r.startedMs !== undefined) : [];
  const rest = useStarts ? refs.filter((r) => r.startedMs === undefined) : refs;
  const ranges: TimeRange[] = exact.map((r) => ({ fromMs: (r.startedMs as number) - SPAN_SLACK_MS, toMs: (r.startedMs as number) + SPAN_SLACK_MS }));
  if (rest.length > 0) ranges.push(...(await traceRanges(client, rest)).values());
  return ranges.length === 0 ? null : inRanges('Timestamp', mergeRanges(ranges, RANGE_GAP_MS, MAX_RANGES), 'r');
}

/** Which of `refs` have a stored span (have ended), as `tenant\0span` keys. */
export async function endedSpans(client: ClickHouseClient, refs: readonly SpanRef[]): Promise<Set<string>> {
  const ended = new Set<string>();
  for (const chunk of byTraces(refs)) {
    const times = await spanTimes(client, chunk, true);
    if (times === null) continue;
    const found = await rows<{ tenantId: string; spanId: string }>(client, `
      SELECT DISTINCT TenantId AS tenantId, SpanId AS spanId FROM ${TRACES}
      WHERE ${times.sql} AND TraceId IN {traces:Array(String)} AND SpanId IN {spans:Array(String)}`,
    { ...times.params, traces: traceIds(chunk), spans: [...new Set(chunk.map((r) => r.spanId))] });
    for (const r of found) ended.add(spanKey(r.tenantId, r.spanId));
  }
  return ended;
}

/** The latest span end of each trace. */
export async function lastSpanEnds(client: ClickHouseClient, traces: readonly SpanRef[]): Promise<Map<string, TraceActivity>> {
  const out = new Map<string, TraceActivity>();
  for (const chunk of byTraces(traces)) {
    const times = await spanTimes(client, chunk, false);
    if (times === null) continue;
    const found = await rows<{ tenantId: string; traceId: string; lastMs: string; last: unknown }>(client, `
      SELECT TenantId AS tenantId, TraceId AS traceId, toString(max(endMs)) AS lastMs,
             argMax(tuple('ended', SpanId, SpanAttributes[{kOperation:String}], SpanName, SpanAttributes[{kTool:String}], SpanAttributes[{kAgent:String}],
                           if(SpanAttributes[{kResponseModel:String}] != '', SpanAttributes[{kResponseModel:String}], SpanAttributes[{kModel:String}])), endMs) AS last
      FROM (SELECT *, toUnixTimestamp64Milli(Timestamp) + intDiv(Duration, 1000000) AS endMs FROM ${TRACES}
            WHERE ${times.sql} AND TraceId IN {traces:Array(String)})
      GROUP BY tenantId, traceId`,
    { ...times.params, traces: traceIds(chunk) });
    for (const r of found) out.set(traceKey(r.tenantId, r.traceId), activityOf(r));
  }
  return out;
}

/**
 * Traces with a span ending at or after `activeSinceMs` (among spans started from `recentFromMs`),
 * none of them a root, whose first span started at or before `firstBeforeMs`: the candidates for
 * a root that never arrives. At most `limit`.
 */
export async function rootlessActiveTraces(
  client: ClickHouseClient, window: { recentFromMs: number; activeSinceMs: number; firstBeforeMs: number }, limit: number,
): Promise<SpanRef[]> {
  const found = await rows<{ tenantId: string; traceId: string }>(client, `
    SELECT TenantId AS tenantId, TraceId AS traceId FROM ${TRACE_TS}
    WHERE (TenantId, TraceId) IN (
      SELECT TenantId, TraceId FROM ${TRACES}
      WHERE Timestamp >= {recentFrom:DateTime64(3)} AND TraceId != ''
      GROUP BY TenantId, TraceId
      HAVING max(toUnixTimestamp64Milli(Timestamp) + intDiv(Duration, 1000000)) >= {activeSince:Int64} AND countIf(ParentSpanId = '') = 0)
    GROUP BY TenantId, TraceId
    HAVING min(Start) <= {firstBefore:DateTime64(3)}
    LIMIT {limit:UInt32}`,
  { recentFrom: at(window.recentFromMs), activeSince: window.activeSinceMs, firstBefore: at(window.firstBeforeMs), limit });
  return found.map((r) => ({ ...r, spanId: '' }));
}

/** Each trace read whole: its span count, roots, first start, last end, and the parents it lacks. */
export async function traceShapes(client: ClickHouseClient, traces: readonly SpanRef[]): Promise<Map<string, TraceShape>> {
  const out = new Map<string, TraceShape>();
  for (const chunk of byTraces(traces)) {
    const times = await spanTimes(client, chunk, false);
    if (times === null) continue;
    const params = { ...times.params, traces: traceIds(chunk) };
    const spans = `SELECT * FROM ${TRACES} WHERE ${times.sql} AND TraceId IN {traces:Array(String)}`;
    const totals = await rows<{ tenantId: string; traceId: string; spans: string; roots: string; firstMs: string; lastEndMs: string }>(client, `
      SELECT TenantId AS tenantId, TraceId AS traceId, toString(uniqExact(SpanId)) AS spans, toString(uniqExactIf(SpanId, ParentSpanId = '')) AS roots,
             toString(min(toUnixTimestamp64Milli(Timestamp))) AS firstMs,
             toString(max(toUnixTimestamp64Milli(Timestamp) + intDiv(Duration, 1000000))) AS lastEndMs
      FROM (${spans})
      GROUP BY tenantId, traceId`, params);
    for (const t of totals) {
      out.set(traceKey(t.tenantId, t.traceId), {
        tenantId: t.tenantId, traceId: t.traceId, spans: Number(t.spans), roots: Number(t.roots),
        firstMs: Number(t.firstMs), lastEndMs: Number(t.lastEndMs), missing: [],
      });
    }
    const missing = await rows<{ tenantId: string; traceId: string; parentId: string; children: string; evidence: string[]; agentName: string }>(client, `
      SELECT TenantId AS tenantId, TraceId AS traceId, ParentSpanId AS parentId, toString(uniqExact(SpanId)) AS children,
             arrayMap(x -> x.2, arraySlice(arraySort(groupUniqArray((Timestamp, SpanId))), -20)) AS evidence,
             anyIf(SpanAttributes[{kAgent:String}], SpanAttributes[{kAgent:String}] != '') AS agentName
      FROM (${spans})
      WHERE ParentSpanId != '' AND (TenantId, TraceId, ParentSpanId) NOT IN (SELECT TenantId, TraceId, SpanId FROM (${spans}))
      GROUP BY tenantId, traceId, parentId`, params);
    for (const m of missing) {
      out.get(traceKey(m.tenantId, m.traceId))?.missing.push({ parentId: m.parentId, children: Number(m.children), evidence: m.evidence, agentName: m.agentName });
    }
  }
  return out;
}

/** Open stuck anomalies (ours) detected at or after `sinceMs`, in their latest version. */
export async function openStuckAnomalies(client: ClickHouseClient, sinceMs: number): Promise<AnomalyRow[]> {
  const found = await rows<{
    tenant_id: string; anomaly_id: string; session_id: string; trace_id: string; agent_name: string; kind: AnomalyKind;
    severity: AnomalySeverity; detail: string; evidence: string[]; count: number | string; detected_ns: string; last_seen_ns: string; version_text: string;
  }>(client, `
    SELECT tenant_id, anomaly_id, session_id, trace_id, agent_name, kind, severity, detail, evidence, count,
           toString(toUnixTimestamp64Nano(detected_at)) AS detected_ns, toString(toUnixTimestamp64Nano(last_seen_at)) AS last_seen_ns,
           toString(version) AS version_text
    FROM ${ANOMALIES}
    WHERE kind IN {kinds:Array(String)} AND resolved_at IS NULL AND detected_at >= {since:DateTime64(3)}`,
  { kinds: STUCK_KINDS, since: at(sinceMs) });
  return found.map((r) => ({
    tenantId: r.tenant_id, anomalyId: r.anomaly_id, sessionId: r.session_id, traceId: r.trace_id, agentName: r.agent_name,
    kind: r.kind, severity: r.severity, detail: r.detail, evidence: r.evidence, count: Number(r.count),
    detectedAt: BigInt(r.detected_ns), lastSeenAt: BigInt(r.last_seen_ns), resolvedAt: null, version: BigInt(r.version_text),
  }));
}

export const spanKey = (tenantId: string, spanId: string) => `${tenantId}\u0000${spanId}`;
export const traceKey = (tenantId: string, traceId: string) => `${tenantId}\u0000${traceId}`;

const traceIds = (refs: readonly SpanRef[]) => [...new Set(refs.map((r) => r.traceId))];

function activityOf(r: { tenantId: string; traceId: string; lastMs: string; last: unknown }): TraceActivity {
  const v = tupleValues(r.last);
  return {
    tenantId: r.tenantId, traceId: r.traceId, lastMs: Number(r.lastMs),
    last: { happened: v[0] === 'ended' ? 'ended' : 'started', spanId: v[1] ?? '', operation: v[2] ?? '', name: v[3] ?? '', toolName: v[4] ?? '', agentName: v[5] ?? '', model: v[6] ?? '' },
  };
}

/** Refs in chunks of at most {@link TRACES_PER_QUERY} traces, a trace's refs together. */
function byTraces(refs: readonly SpanRef[]): SpanRef[][] {
  const byTrace = new Map<string, SpanRef[]>();
  for (const r of refs) {
    const list = byTrace.get(r.traceId);
    if (list) list.push(r);
    else byTrace.set(r.traceId, [r]);
  }
  const chunks: SpanRef[][] = [];
  let current: SpanRef[] = [];
  let traces = 0;
  for (const list of byTrace.values()) {
    if (traces === TRACES_PER_QUERY) {
      chunks.push(current);
      current = [];
      traces = 0;
    }
    current.push(...list);
    traces++;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** A tuple in JSON output: an array, or an object of positional keys when tuples are output as objects. */
function tupleValues(value: unknown): string[] {
  const values = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  return values.map((v) => String(v ?? ''));
}
