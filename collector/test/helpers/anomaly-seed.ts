/**
 * A known set of anomalies and sessions for the anomaly read API and CLI tests: three ended
 * sessions sent as spans, two running sessions known only from their start records (one whose
 * process went offline), and anomalies written through the collector's own anomaly sink — some
 * in several versions, some resolved, 60 more for paging, and copies under another tenant.
 */
import { randomBytes } from 'node:crypto';
import { AGENTFLOW, DATABASE, GEN_AI, GEN_AI_OPERATION, RESOURCE, TABLES, type AnomalyKind, type AnomalyRow, type AnomalySeverity } from '@agentflow/schemas';
import { ANOMALY_SINK } from '../../src/storage/index.js';
import { startTestCollector, type TestCollector } from './test-collector.js';
import { jsonTraceRequest } from './otlp-payloads.js';

export const MS = 1_000_000n;
export const NOW = BigInt(Date.now()) * MS;
/** Where the ended sessions start: two hours ago. */
export const BASE = NOW - 7_200_000n * MS;
export const hex = (bytes: number) => randomBytes(bytes).toString('hex');

type Attrs = Record<string, string | number>;
const attributes = (a: Attrs) => Object.entries(a).map(([key, v]) => ({ key, value: typeof v === 'string' ? { stringValue: v } : { intValue: String(v) } }));

/** An ended session: its agent span and its tool spans (distinct tools, so live detection finds nothing of its own). */
export interface EndedSession { agent: string; traceId: string; sessionId: string; toolSpanIds: string[] }

function endedSession(agent: string, tools: string[], startNs: bigint): { session: EndedSession; spans: object[] } {
  const traceId = hex(16);
  const sessionId = hex(8);
  const span = (spanId: string, name: string, start: bigint, ms: number, attrs: Attrs, parent?: string) => ({
    traceId, spanId, ...(parent ? { parentSpanId: parent } : {}), name, kind: 1, startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + BigInt(ms) * MS).toString(), attributes: attributes(attrs), status: { code: 0 },
  });
  const toolSpanIds = tools.map(() => hex(8));
  const spans = [
    span(sessionId, `invoke_agent ${agent}`, startNs, 60_000, { [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_AGENT, [GEN_AI.AGENT_NAME]: agent }),
    ...tools.map((tool, i) => span(toolSpanIds[i] as string, `execute_tool ${tool}`, startNs + BigInt(1000 + i * 5000) * MS, 1000,
      { [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.EXECUTE_TOOL, [GEN_AI.TOOL_NAME]: tool }, sessionId)),
  ];
  return { session: { agent, traceId, sessionId, toolSpanIds }, spans };
}

/** A running session: start records only. */
export interface RunningSeed { agent: string; traceId: string; sessionId: string; startedNs: bigint; instance: string; activity: string; activityNs: bigint }

export interface Seed {
  looper: EndedSession;
  poller: EndedSession;
  quiet: EndedSession;
  runner: RunningSeed;
  ghost: RunningSeed;
  /** Every anomaly of the default tenant, in its latest version. */
  anomalies: AnomalyRow[];
  /** Named ones: A1 loop.repeat_call (3 versions, latest critical), A2 loop.ping_pong (resolved in its latest version), … */
  named: Record<'repeat' | 'pingPong' | 'stale' | 'runnerStale' | 'orphaned', AnomalyRow>;
}

function anomaly(kind: AnomalyKind, severity: AnomalySeverity, on: { sessionId: string; traceId: string; agent: string }, detectedNs: bigint, fields: Partial<AnomalyRow> = {}): AnomalyRow {
  return {
    tenantId: 'default', anomalyId: hex(16), sessionId: on.sessionId, traceId: on.traceId, agentName: on.agent, kind, severity,
    detail: `${kind} seen`, evidence: [], count: 1, detectedAt: detectedNs, lastSeenAt: detectedNs, resolvedAt: null, version: 1n, ...fields,
  };
}

async function sendLogs(t: TestCollector, instance: string, agentType: string, records: object[]): Promise<void> {
  const body = {
    resourceLogs: [{
      resource: { attributes: attributes({ [RESOURCE.SERVICE_NAME]: 'anomaly-test', [RESOURCE.SERVICE_INSTANCE_ID]: instance, [AGENTFLOW.AGENT_TYPE]: agentType }) },
      scopeLogs: [{ scope: { name: 'agentflow' }, logRecords: records }],
    }],
  };
  const res = await t.collector.app.inject({ method: 'POST', url: '/v1/logs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  if (res.statusCode !== 200) throw new Error(`logs: ${res.statusCode} ${res.body}`);
}

const startRecord = (r: RunningSeed, attrs: Attrs) => ({
  timeUnixNano: r.startedNs.toString(), eventName: AGENTFLOW.SPAN_START_EVENT, traceId: r.traceId, spanId: r.sessionId,
  attributes: attributes({ [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_AGENT, [GEN_AI.AGENT_NAME]: r.agent, [AGENTFLOW.SPAN_NAME]: `invoke_agent ${r.agent}`, ...attrs }),
});
const activityRecord = (r: RunningSeed) => ({
  timeUnixNano: r.activityNs.toString(), eventName: AGENTFLOW.SPAN_START_EVENT, traceId: r.traceId, spanId: hex(8),
  attributes: attributes({ [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.EXECUTE_TOOL, [AGENTFLOW.SPAN_NAME]: r.activity, [AGENTFLOW.SPAN_PARENT_SPAN_ID]: r.sessionId }),
});
const heartbeat = (atNs: bigint, status: string, intervalMs: number) => ({
  timeUnixNano: atNs.toString(), eventName: AGENTFLOW.HEARTBEAT_EVENT,
  attributes: attributes({ [AGENTFLOW.INSTANCE_STATUS]: status, [AGENTFLOW.HEARTBEAT_INTERVAL_MS]: intervalMs }),
});

/**
 * A test collector whose periodic stuck detector, where the collector runs one
 * (`AGENTFLOW_STUCK_INTERVAL_MS`; the setting is ignored where it does not), looks once right after
 * start and then not for an hour, so what these tests read is the seed alone: an idle or orphaned
 * running session would otherwise get anomalies of its own, and a seeded open `stuck.*` anomaly
 * be resolved, at whatever moment a pass falls. The first pass runs a second after start; the
 * seed is written after it.
 */
export async function startSeedCollector(): Promise<TestCollector> {
  const t = await startTestCollector({ AGENTFLOW_STUCK_INTERVAL_MS: '3600000' });
  await new Promise((resolve) => setTimeout(resolve, 2500));
  return t;
}

/** Sends and writes the whole seed, then waits until it is stored. */
export async function seedAnomalies(t: TestCollector): Promise<Seed> {
  const looper = endedSession('looper', ['get_forecast', 'get_map', 'get_news'], BASE);
  const poller = endedSession('poller', ['check_status'], BASE + 60_000n * MS);
  const quiet = endedSession('quiet', ['lookup'], BASE + 120_000n * MS);
  const res = await t.collector.app.inject({
    method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' },
    payload: jsonTraceRequest('anomaly-test', [...looper.spans, ...poller.spans, ...quiet.spans] as Record<string, unknown>[]),
  });
  if (res.statusCode !== 200) throw new Error(`traces: ${res.statusCode} ${res.body}`);

  const runner: RunningSeed = { agent: 'runner', traceId: hex(16), sessionId: hex(8), startedNs: NOW - 120_000n * MS, instance: 'inst-up', activity: 'execute_tool fetch_page', activityNs: NOW - 10_000n * MS };
  const ghost: RunningSeed = { agent: 'ghost', traceId: hex(16), sessionId: hex(8), startedNs: NOW - 600_000n * MS, instance: 'inst-down', activity: 'chat gpt-4o', activityNs: NOW - 590_000n * MS };
  await sendLogs(t, runner.instance, 'crawler', [startRecord(runner, { [AGENTFLOW.GOAL]: 'crawl the docs' }), activityRecord(runner), heartbeat(NOW, 'online', 60_000)]);
  // The ghost's process sent one heartbeat ten minutes ago, every 5 s promised: offline.
  await sendLogs(t, ghost.instance, 'ghost-type', [startRecord(ghost, {}), activityRecord(ghost), heartbeat(NOW - 600_000n * MS, 'online', 5_000)]);

  const on = (s: EndedSession | RunningSeed) => ({ sessionId: s.sessionId, traceId: s.traceId, agent: s.agent });
  const l = looper.session;
  const repeatV1 = anomaly('loop.repeat_call', 'warning', on(l), BASE + 10_000n * MS, { count: 3, detail: 'get_forecast called 3 times in a row with the same arguments', evidence: l.toolSpanIds.slice(0, 2) });
  const repeatV2 = { ...repeatV1, severity: 'critical' as const, count: 5, version: 2n, detail: 'get_forecast called 5 times in a row with the same arguments', evidence: l.toolSpanIds.slice(0, 3), lastSeenAt: BASE + 40_000n * MS };
  const repeatV3 = { ...repeatV2, version: 3n, lastSeenAt: BASE + 45_000n * MS };
  const pingPongV1 = anomaly('loop.ping_pong', 'warning', on(l), BASE + 20_000n * MS, { detail: 'get_map and get_news alternate', evidence: l.toolSpanIds.slice(1, 3), count: 3 });
  const pingPongV2 = { ...pingPongV1, version: 2n, resolvedAt: BASE + 50_000n * MS, lastSeenAt: BASE + 30_000n * MS };
  const stale = anomaly('stuck.stale', 'warning', on(poller.session), BASE + 90_000n * MS, { detail: 'no sign of life for 5 minutes' });
  const runnerStale = anomaly('stuck.stale', 'warning', on(runner), NOW - 30_000n * MS, { detail: 'idle for 2 minutes' });
  const orphaned = anomaly('stuck.orphaned', 'critical', on(ghost), NOW - 20_000n * MS, { detail: 'its process inst-down went offline' });
  const bulk = Array.from({ length: 60 }, (_, i) => anomaly('loop.repeat_error', i % 3 === 0 ? 'critical' : 'warning',
    { sessionId: hex(8), traceId: hex(16), agent: 'bulk-agent' },
    // The first ten are detected in pairs at the same instant: pages must order ties by anomaly id.
    BASE - BigInt(i < 10 ? Math.floor(i / 2) : i) * 60_000n * MS,
    { resolvedAt: i % 2 === 1 ? BASE : null, count: i + 1, detail: `search failed ${i + 1} times` }));

  // Versions written apart, so they sit in different parts and reads must pick the latest.
  for (const batch of [[repeatV1, pingPongV1, ...bulk], [repeatV2, pingPongV2, stale], [repeatV3, runnerStale, orphaned]]) {
    const outcome = await t.collector.writer.write(ANOMALY_SINK, batch);
    if (outcome.status !== 'committed') throw new Error(`anomalies not written: ${JSON.stringify(outcome)}`);
    await t.query('SELECT 1');
  }
  // Another tenant's rows with the same ids and names: never to be seen or counted.
  const client = t.collector.storage.client;
  await client.command({
    query: `INSERT INTO ${DATABASE}.${TABLES.ANOMALIES_DATA} SELECT * REPLACE ('other' AS tenant_id, 'INTRUDER' AS detail, 9 AS version, NULL AS resolved_at)
            FROM ${DATABASE}.${TABLES.ANOMALIES_DATA} WHERE tenant_id = 'default'`,
  });
  await client.command({
    query: `INSERT INTO ${DATABASE}.${TABLES.LOGS} SELECT * REPLACE ('other' AS TenantId, mapUpdate(LogAttributes, map({name:String}, 'INTRUDER')) AS LogAttributes)
            FROM ${DATABASE}.${TABLES.LOGS} WHERE TenantId = 'default' AND TraceId IN ({traces:Array(String)})`,
    query_params: { name: GEN_AI.AGENT_NAME, traces: [runner.traceId, ghost.traceId] },
  });
  await t.query('SELECT 1');
  return {
    looper: l, poller: poller.session, quiet: quiet.session, runner, ghost,
    anomalies: [repeatV3, pingPongV2, stale, runnerStale, orphaned, ...bulk],
    named: { repeat: repeatV3, pingPong: pingPongV2, stale, runnerStale, orphaned },
  };
}

/** ns → the API's ISO form. */
export function iso(ns: bigint): string {
  return `${new Date(Number(ns / MS)).toISOString().slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

/** Anomaly ids in the list's order: newest detected first, ties by id, descending. */
export function newestFirst(rows: readonly AnomalyRow[]): string[] {
  return [...rows].sort((a, b) => (a.detectedAt === b.detectedAt ? (a.anomalyId < b.anomalyId ? 1 : -1) : a.detectedAt < b.detectedAt ? 1 : -1)).map((a) => a.anomalyId);
}
