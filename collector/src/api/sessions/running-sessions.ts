import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { AgentflowError, ERROR_CODES } from '../../errors.js';
import { withSettings } from '../../storage/index.js';
import { anomalyCounts, NO_ANOMALIES, type AnomalyCounts } from '../anomalies/session-anomalies.js';
import { afterCursor, cursorParams, encodeCursor } from '../page-cursor.js';
import { tenantFilters } from '../tenant-sql.js';
import type { ListSessionsQuery } from './list-sessions.js';
import { queryRows } from './session-queries.js';
import { isoFromNs } from './time.js';

/**
 * A session that has started and not ended: known from the `agentflow.span.start` record of its
 * agent span (`agent_live_sessions`), before the span itself arrives. Its figures (calls, tokens,
 * cost) and state changes travel on the spans, so they are not known yet; what it is doing is the
 * latest span started in its trace. Times ISO 8601 UTC with nanoseconds.
 */
export interface RunningSession extends AnomalyCounts {
  session_id: string;
  trace_id: string;
  /** The span the agent span started under; '' for a root. */
  parent_session_id: string;
  agent_id: string;
  agent_name: string;
  /** From the start record, else from the process's heartbeats. */
  agent_type: string;
  goal: string;
  workflow_name: string;
  conversation_id: string;
  status: 'running';
  /** `orphaned` when the registry says the session's process is offline, else `running`. */
  process_status: 'running' | 'orphaned';
  /** The process's status in `agent_instances` (online, busy, paused, offline); '' when it sends no heartbeats. */
  instance_status: string;
  /** Name of the latest span started in the session's trace, e.g. `execute_tool search`. */
  current_activity: string;
  started_at: string;
  ended_at: null;
  last_activity_at: string;
  /** Milliseconds since the latest span started in the trace. */
  idle_ms: number;
  service_name: string;
  service_instance_id: string;
}

/** Answer of `GET /sessions?status=running`: one page, newest started first, and the next page's cursor. */
export interface RunningSessionPage {
  sessions: RunningSession[];
  next_cursor: string | null;
}

/** Filters that do not apply to a running session: it has no figures or user yet. */
const NOT_FOR_RUNNING = ['user', 'min_cost', 'min_duration_ms'] as const;

/** `GET /sessions` filter → column of the live view. */
const EQUALS = {
  agent_id: 'l.agent_id', agent: 'l.agent_name', workflow: 'l.workflow_name', conversation: 'l.conversation_id',
} as const;

const T = (table: string) => `${DATABASE}.${table}`;
const ns = (column: string, alias: string) => `toString(toUnixTimestamp64Nano(${column})) AS ${alias}`;

type Row = Record<string, string | number> & { session_id: string; started_ns: string };

/**
 * One page of the tenant's running sessions, newest started first, each with its process's status
 * from the registry and its anomaly counts (one more query, by the page's session ids).
 */
export async function listRunningSessions(client: ClickHouseClient, tenant: string, query: ListSessionsQuery): Promise<RunningSessionPage> {
  for (const name of NOT_FOR_RUNNING) {
    if (query[name] !== undefined) {
      throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, `invalid query parameter ${name}: not available with status=running (a running session has no figures yet)`);
    }
  }
  // Every running session is an agent span: none is implicit.
  if (query.implicit === true) return { sessions: [], next_cursor: null };
  const where = ['l.tenant_id = {tenant:String}'];
  const params: Record<string, unknown> = { tenant, limit: query.limit + 1 };
  for (const [param, column] of Object.entries(EQUALS) as [keyof typeof EQUALS, string][]) {
    const value = query[param];
    if (value !== undefined) {
      where.push(`${column} = {${param}:String}`);
      params[param] = value;
    }
  }
  if (query.agent_type !== undefined) {
    where.push("if(l.agent_type != '', l.agent_type, i.agent_type) = {agent_type:String}");
    params.agent_type = query.agent_type;
  }
  if (query.from !== undefined) {
    where.push('l.started_at >= fromUnixTimestamp64Nano({from:Int64})');
    params.from = query.from.toString();
  }
  if (query.to !== undefined) {
    where.push('l.started_at < fromUnixTimestamp64Nano({to:Int64})');
    params.to = query.to.toString();
  }
  if (query.q !== undefined) {
    where.push('positionCaseInsensitiveUTF8(l.goal, {q:String}) > 0');
    params.q = query.q;
  }
  if (query.cursor) {
    where.push(afterCursor('l.started_at', 'l.session_id'));
    Object.assign(params, cursorParams(query.cursor));
  }
  const rows = await runningRows(client, tenant, where, params);
  const page = rows.slice(0, query.limit);
  const counts = await anomalyCounts(client, tenant, page.map((r) => r.session_id));
  const last = page.at(-1);
  return {
    sessions: page.map((r) => toRunningSession(r, counts.get(r.session_id) ?? NO_ANOMALIES)),
    next_cursor: rows.length > query.limit && last ? encodeCursor({ ns: BigInt(last.started_ns), id: last.session_id }) : null,
  };
}

/** The running session with this id, or null when the tenant has none (it ended, or never started). */
export async function findRunningSession(client: ClickHouseClient, tenant: string, sessionId: string): Promise<RunningSession | null> {
  const [row] = await runningRows(client, tenant, ['l.tenant_id = {tenant:String}', 'l.session_id = {id:String}'], { tenant, id: sessionId, limit: 1 });
  if (!row) return null;
  const counts = await anomalyCounts(client, tenant, [row.session_id]);
  return toRunningSession(row, counts.get(row.session_id) ?? NO_ANOMALIES);
}

/**
 * Rows of the live view matching `where`, with their process's status and type from the
 * registry, newest started first. The tenant filter is also given as `additional_table_filters`,
 * so the view's own reads of the raw logs and derived sessions stay inside the tenant's key range.
 */
function runningRows(client: ClickHouseClient, tenant: string, where: readonly string[], params: Record<string, unknown>): Promise<Row[]> {
  return queryRows<Row>(client, withSettings(
    `SELECT l.session_id AS session_id, l.trace_id AS trace_id, l.parent_span_id AS parent_session_id, l.agent_id AS agent_id,
       l.agent_name AS agent_name, if(l.agent_type != '', l.agent_type, i.agent_type) AS agent_type, l.goal AS goal,
       l.workflow_name AS workflow_name, l.conversation_id AS conversation_id, ${ns('l.started_at', 'started_ns')},
       ${ns('l.last_activity_at', 'last_activity_ns')}, l.last_action AS current_activity, l.idle_ms AS idle_ms,
       l.service_name AS service_name, l.service_instance_id AS service_instance_id, i.status AS instance_status
     FROM ${T(TABLES.LIVE_SESSIONS)} AS l
     LEFT JOIN (SELECT service_instance_id, status, agent_type FROM ${T(TABLES.INSTANCES)}
                WHERE tenant_id = {tenant:String} AND service_instance_id != '') AS i ON i.service_instance_id = l.service_instance_id
     WHERE ${where.join(' AND ')}
     ORDER BY l.started_at DESC, l.session_id DESC LIMIT {limit:UInt32}`,
    { additional_table_filters: tenantFilters(tenant) }), params);
}

function toRunningSession(r: Row, counts: AnomalyCounts): RunningSession {
  const text = (k: string) => String(r[k] ?? '');
  const instanceStatus = text('instance_status');
  return {
    session_id: r.session_id, trace_id: text('trace_id'), parent_session_id: text('parent_session_id'), agent_id: text('agent_id'),
    agent_name: text('agent_name'), agent_type: text('agent_type'), goal: text('goal'), workflow_name: text('workflow_name'),
    conversation_id: text('conversation_id'), status: 'running', process_status: instanceStatus === 'offline' ? 'orphaned' : 'running',
    instance_status: instanceStatus, current_activity: text('current_activity'), started_at: isoFromNs(r.started_ns), ended_at: null,
    last_activity_at: isoFromNs(text('last_activity_ns')), idle_ms: Number(r.idle_ms ?? 0), service_name: text('service_name'),
    service_instance_id: text('service_instance_id'), ...counts,
  };
}
