import type { ClickHouseClient } from '@clickhouse/client';
import { AGENTFLOW, DATABASE, GEN_AI, GEN_AI_OPERATION, GENERAL, RESOURCE, TABLES, type SessionRow } from '@agentflow/schemas';
import type { StuckOptions } from './options.js';
import { spanKey, traceKey, type StartRecord } from './stuck-queries.js';
import type { Finding, PassView } from './stuck-rules.js';
import { inRanges, mergeRanges } from './time-ranges.js';

/**
 * Sessions that will not end by themselves, derived as `timed_out` from their start record alone.
 * Trace assembly does this for a trace whose spans came without their agent span (derive.ts); an
 * agent that exported no span at all (its process died before any span of its ended) leaves
 * nothing to assemble but its start record, and would be listed running
 * (`agent_live_sessions`) for ever.
 */

const LOGS = `${DATABASE}.${TABLES.LOGS}`;
const SESSIONS = `${DATABASE}.${TABLES.SESSIONS_DATA}`;

/** Attribute keys of the start record, bound as parameters. */
const KEYS = {
  startEvent: AGENTFLOW.SPAN_START_EVENT,
  kStartNs: AGENTFLOW.SPAN_START_TIME_UNIX_NANO,
  kSpanName: AGENTFLOW.SPAN_NAME,
  kInstance: RESOURCE.SERVICE_INSTANCE_ID,
  kAgentId: GEN_AI.AGENT_ID,
  kAgent: GEN_AI.AGENT_NAME,
  kAgentDescription: GEN_AI.AGENT_DESCRIPTION,
  kAgentType: AGENTFLOW.AGENT_TYPE,
  kGoal: AGENTFLOW.GOAL,
  kGoalType: AGENTFLOW.GOAL_TYPE,
  kTask: AGENTFLOW.TASK_ID,
  kWorkflow: GEN_AI.WORKFLOW_NAME,
  kConversation: GEN_AI.CONVERSATION_ID,
  kUser: GENERAL.USER_ID,
  kTrigger: AGENTFLOW.TRIGGER,
};

/** Parent chains are followed this far at most (a sender reusing span ids could make a cycle). */
const MAX_HOPS = 64;
/** Sessions derived per pass at most (after a restart every old one is due at once): the rest wait for the next pass. */
const MAX_PER_PASS = 1_000;

/** A stale or orphaned session old enough to be derived as timed out, with what the watch tells of its place. */
export interface TimedOutCandidate {
  record: StartRecord;
  /** Its trace's last sign of life (a start record or span end, or its own start), ms: its end as far as anyone knows. */
  lastMs: number;
  /** Its nearest agent ancestor among the watched start records; '' when none is. */
  parentSessionId: string;
  /** Its topmost agent ancestor among the watched start records, else itself. */
  rootSessionId: string;
  /** The first ancestor the watch does not hold (ended, or sent no start record); '' when the chain reaches its top. */
  beyond: string;
}

/** What the start record of a session says of it, beyond what the watch keeps. */
interface SessionStart {
  tenantId: string;
  spanId: string;
  /** The record's Timestamp and the span's start as the record states it, ns as decimal strings. */
  timestampNs: string;
  startNs: string;
  serviceName: string;
  instance: string;
  spanName: string;
  agentId: string;
  agentName: string;
  agentDescription: string;
  agentType: string;
  goal: string;
  goalType: string;
  taskId: string;
  workflowName: string;
  conversationId: string;
  userId: string;
  trigger: string;
}

/**
 * The sessions found stale or orphaned this pass that started at least `timedOutAfterMs` ago (the
 * assembly timeout: by then assembly would have settled any trace of theirs), except those in
 * `done` (`spanKey`s of sessions derived already); at most {@link MAX_PER_PASS}.
 */
export function timedOutCandidates(findings: readonly Finding[], view: PassView, o: StuckOptions, done: ReadonlySet<string>): TimedOutCandidate[] {
  const out = new Map<string, TimedOutCandidate>();
  for (const f of findings) {
    if (out.size >= MAX_PER_PASS) break;
    if (f.kind !== 'stuck.stale' && f.kind !== 'stuck.orphaned') continue;
    const key = spanKey(f.tenantId, f.subject);
    const s = view.watched.get(key);
    if (s === undefined || s.operation !== GEN_AI_OPERATION.INVOKE_AGENT || out.has(key) || done.has(key)) continue;
    if (view.nowMs - s.startedMs < o.timedOutAfterMs) continue;
    const activity = view.activity.get(traceKey(s.tenantId, s.traceId))?.lastMs ?? s.startedMs;
    out.set(key, { record: s, lastMs: Math.min(Math.max(s.startedMs, activity), view.nowMs), ...lineage(s, view.watched) });
  }
  return [...out.values()];
}

/** The agent ancestors of `s` that the watched start records show, and where the chain leaves them. */
function lineage(s: StartRecord, watched: PassView['watched']): Pick<TimedOutCandidate, 'parentSessionId' | 'rootSessionId' | 'beyond'> {
  let parentSessionId = '';
  let rootSessionId = s.spanId;
  let parent = s.parentSpanId;
  for (let hops = 0; parent !== '' && hops < MAX_HOPS; hops++) {
    const p = watched.get(spanKey(s.tenantId, parent));
    if (p === undefined) return { parentSessionId, rootSessionId, beyond: parent };
    if (p.operation === GEN_AI_OPERATION.INVOKE_AGENT) {
      if (parentSessionId === '') parentSessionId = p.spanId;
      rootSessionId = p.spanId;
    }
    parent = p.parentSpanId;
  }
  return { parentSessionId, rootSessionId, beyond: '' };
}

/**
 * The `timed_out` session rows of `candidates` that have no derived session yet, and the
 * `spanKey`s of those that have one (assembly derived them, or an earlier run of this detector).
 * Each row is built from the session's start record: no calls, tokens or cost (none ended), ended
 * at its trace's last sign of life.
 */
export async function timedOutSessions(
  client: ClickHouseClient, candidates: readonly TimedOutCandidate[], horizonMs: number, nextVersion: () => bigint,
): Promise<{ rows: SessionRow[]; derived: string[] }> {
  if (candidates.length === 0) return { rows: [], derived: [] };
  const ancestors = candidates.map((c) => c.beyond).filter((id) => id !== '');
  const roots = await derivedRoots(client, candidates, ancestors, horizonMs);
  const starts = await sessionStarts(client, candidates.filter((c) => !roots.has(spanKey(c.record.tenantId, c.record.spanId))));
  const rows: SessionRow[] = [];
  const derived: string[] = [];
  for (const c of candidates) {
    const key = spanKey(c.record.tenantId, c.record.spanId);
    if (roots.has(key)) {
      derived.push(key);
      continue;
    }
    // A record not found (expired since the watch read it) is looked for again next time.
    const start = starts.get(key);
    if (start !== undefined) rows.push(sessionRow(c, start, roots.get(spanKey(c.record.tenantId, c.beyond)), nextVersion()));
  }
  return { rows, derived };
}

function sessionRow(c: TimedOutCandidate, start: SessionStart, beyondRoot: string | undefined, version: bigint): SessionRow {
  const s = c.record;
  const startedAt = /^\d+$/.test(start.startNs) ? BigInt(start.startNs) : BigInt(start.timestampNs);
  const lastNs = BigInt(c.lastMs) * 1_000_000n;
  const endedAt = lastNs > startedAt ? lastNs : startedAt;
  // Where the chain leaves the watch, the span there is taken for the parent session (it is the
  // parent span itself when that is not watched). Only a derived session there is known to be an
  // agent, and knows the root; otherwise the root stays the topmost agent known.
  const parentSessionId = c.parentSessionId || c.beyond;
  const rootSessionId = beyondRoot || c.rootSessionId;
  return {
    tenantId: s.tenantId, sessionId: s.spanId, traceId: s.traceId, rootSessionId, parentSessionId,
    agentId: start.agentId, agentName: start.agentName || s.agentName, agentType: start.agentType, agentDescription: start.agentDescription,
    goal: start.goal, goalType: start.goalType, taskId: start.taskId, workflowName: start.workflowName,
    conversationId: start.conversationId, userId: start.userId, trigger: start.trigger,
    status: 'timed_out', startedAt, endedAt, durationMs: Number(endedAt - startedAt) / 1e6,
    llmCalls: 0, toolCalls: 0, actions: 0, errors: 0, unpricedCalls: 0,
    inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0,
    errorType: '', errorMessage: '', serviceName: start.serviceName, serviceInstanceId: start.instance || s.instance,
    spanName: start.spanName || s.name, dialect: 'agentflow', implicit: false, version,
  };
}

/**
 * The root session of each of the candidates and `ancestors` that has a derived session, by
 * `spanKey`. By session key (the table's sort key); a session's derived start is never before its
 * start record's, nor an ancestor's more than the horizon before it.
 */
async function derivedRoots(
  client: ClickHouseClient, candidates: readonly TimedOutCandidate[], ancestors: readonly string[], horizonMs: number,
): Promise<Map<string, string>> {
  const since = candidates.reduce((min, c) => Math.min(min, c.record.startedMs), Number.POSITIVE_INFINITY) - horizonMs;
  const rs = await client.query({
    query: `
      SELECT tenant_id AS tenantId, session_id AS sessionId, argMax(root_session_id, version) AS rootSessionId
      FROM ${SESSIONS}
      WHERE tenant_id IN {tenants:Array(String)} AND session_id IN {ids:Array(String)} AND started_at >= {since:DateTime64(3)}
      GROUP BY tenantId, sessionId`,
    format: 'JSONEachRow',
    query_params: {
      tenants: [...new Set(candidates.map((c) => c.record.tenantId))],
      ids: [...new Set([...candidates.map((c) => c.record.spanId), ...ancestors])], since: new Date(since),
    },
  });
  const found = await rs.json<{ tenantId: string; sessionId: string; rootSessionId: string }>();
  return new Map(found.map((r) => [spanKey(r.tenantId, r.sessionId), r.rootSessionId]));
}

/** The start record of each candidate, by `spanKey`, read at its own timestamp. */
async function sessionStarts(client: ClickHouseClient, candidates: readonly TimedOutCandidate[]): Promise<Map<string, SessionStart>> {
  if (candidates.length === 0) return new Map();
  const times = [...new Set(candidates.map((c) => c.record.startedMs))];
  // The record's second (TimestampTime, which prunes partitions and parts) in whole-second bounds,
  // then its millisecond: chDB binds a Date parameter to the second, dropping its milliseconds.
  const seconds = inRanges('TimestampTime', mergeRanges(times.map((t) => {
    const fromMs = Math.floor(t / 1000) * 1000;
    return { fromMs, toMs: fromMs + 1000 };
  }), 60_000, 64), 's');
  const rs = await client.query({
    query: `
      SELECT TenantId AS tenantId, SpanId AS spanId, toString(toUnixTimestamp64Nano(Timestamp)) AS timestampNs,
             LogAttributes[{kStartNs:String}] AS startNs, ServiceName AS serviceName, ResourceAttributes[{kInstance:String}] AS instance,
             LogAttributes[{kSpanName:String}] AS spanName, LogAttributes[{kAgentId:String}] AS agentId,
             LogAttributes[{kAgent:String}] AS agentName, LogAttributes[{kAgentDescription:String}] AS agentDescription,
             LogAttributes[{kAgentType:String}] AS agentType, LogAttributes[{kGoal:String}] AS goal,
             LogAttributes[{kGoalType:String}] AS goalType, LogAttributes[{kTask:String}] AS taskId,
             LogAttributes[{kWorkflow:String}] AS workflowName, LogAttributes[{kConversation:String}] AS conversationId,
             LogAttributes[{kUser:String}] AS userId, LogAttributes[{kTrigger:String}] AS trigger
      FROM ${LOGS}
      WHERE EventName = {startEvent:String} AND ${seconds.sql} AND toUnixTimestamp64Milli(Timestamp) IN {times:Array(Int64)}
        AND TenantId IN {tenants:Array(String)} AND SpanId IN {spans:Array(String)}
      ORDER BY Timestamp
      LIMIT 1 BY TenantId, SpanId`,
    format: 'JSONEachRow',
    query_params: {
      ...KEYS, ...seconds.params, times,
      tenants: [...new Set(candidates.map((c) => c.record.tenantId))], spans: [...new Set(candidates.map((c) => c.record.spanId))],
    },
  });
  const found = await rs.json<SessionStart>();
  return new Map(found.map((r) => [spanKey(r.tenantId, r.spanId), r]));
}
