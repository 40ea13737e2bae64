import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import {
  ACTION_COLUMNS, COMMUNICATION_COLUMNS, DECISION_COLUMNS, TRANSITION_COLUMNS,
  toAction, toCommunication, toDecision, toTransition, type Action, type Communication, type Decision, type Transition,
} from './record-rows.js';
import { SESSION_COLUMNS, SESSIONS_VIEW, toSessionSummary, type SessionSummary, type StoredSession } from './session-rows.js';

/**
 * Reads of one session and its records. Every query binds the tenant; lookups also bind the
 * trace, which the records' bloom filters and sort keys narrow on.
 */

/** Runs a query with bound parameters and returns its rows. */
export async function queryRows<T = Record<string, unknown>>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({ query, format: 'JSONEachRow', query_params: params });
  return rs.json<T>();
}

/** One session by id, or null when the tenant has none with that id. */
export async function findSession(client: ClickHouseClient, tenant: string, sessionId: string): Promise<SessionSummary | null> {
  const rows = await queryRows<StoredSession>(client,
    `SELECT ${SESSION_COLUMNS} FROM ${SESSIONS_VIEW} WHERE tenant_id = {tenant:String} AND session_id = {id:String} LIMIT 1`,
    { tenant, id: sessionId });
  return rows[0] ? toSessionSummary(rows[0]) : null;
}

/** Every session of the tree rooted at `rootSessionId` (in trace `traceId`), in start order. */
export async function sessionsOfTree(client: ClickHouseClient, tenant: string, traceId: string, rootSessionId: string): Promise<SessionSummary[]> {
  const rows = await queryRows<StoredSession>(client,
    `SELECT ${SESSION_COLUMNS} FROM ${SESSIONS_VIEW}
     WHERE tenant_id = {tenant:String} AND trace_id = {trace:String} AND root_session_id = {root:String}
     ORDER BY started_at, session_id`,
    { tenant, trace: traceId, root: rootSessionId });
  return rows.map(toSessionSummary);
}

/** The actions of some sessions of one trace, in start order per session; `toolCallsOnly` keeps tool calls. */
export async function actionsOf(
  client: ClickHouseClient, tenant: string, traceId: string, sessionIds: readonly string[], toolCallsOnly = false,
): Promise<Action[]> {
  const rows = await queryRows(client,
    `SELECT ${ACTION_COLUMNS} FROM ${DATABASE}.${TABLES.ACTIONS}
     WHERE tenant_id = {tenant:String} AND trace_id = {trace:String} AND session_id IN {ids:Array(String)}
       ${toolCallsOnly ? "AND action_type = 'tool_call'" : ''}
     ORDER BY started_at, session_id, sequence`,
    { tenant, trace: traceId, ids: sessionIds });
  return rows.map(toAction);
}

/** The session's state transitions, in order. */
export async function transitionsOf(client: ClickHouseClient, tenant: string, traceId: string, sessionId: string): Promise<Transition[]> {
  const rows = await queryRows(client,
    `SELECT ${TRANSITION_COLUMNS} FROM ${DATABASE}.${TABLES.TRANSITIONS}
     WHERE tenant_id = {tenant:String} AND trace_id = {trace:String} AND session_id = {id:String}
     ORDER BY sequence`,
    { tenant, trace: traceId, id: sessionId });
  return rows.map(toTransition);
}

/** The session's decisions, in time order. */
export async function decisionsOf(client: ClickHouseClient, tenant: string, traceId: string, sessionId: string): Promise<Decision[]> {
  const rows = await queryRows(client,
    `SELECT ${DECISION_COLUMNS} FROM ${DATABASE}.${TABLES.DECISIONS}
     WHERE tenant_id = {tenant:String} AND trace_id = {trace:String} AND session_id = {id:String}
     ORDER BY decided_at, decision_id`,
    { tenant, trace: traceId, id: sessionId });
  return rows.map(toDecision);
}

/** Messages, delegations, handoffs and links of the trace sent or received by any of the sessions, in time order. */
export async function communicationsOf(
  client: ClickHouseClient, tenant: string, traceId: string, sessionIds: readonly string[],
): Promise<Communication[]> {
  const rows = await queryRows(client,
    `SELECT ${COMMUNICATION_COLUMNS} FROM ${DATABASE}.${TABLES.COMMUNICATIONS}
     WHERE tenant_id = {tenant:String} AND trace_id = {trace:String}
       AND (from_session_id IN {ids:Array(String)} OR to_session_id IN {ids:Array(String)})
     ORDER BY sent_at, communication_id`,
    { tenant, trace: traceId, ids: sessionIds });
  return rows.map(toCommunication);
}
