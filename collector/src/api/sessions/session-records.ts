import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import {
  ACTION_COLUMNS, COMMUNICATION_COLUMNS, DECISION_COLUMNS, TRANSITION_COLUMNS,
  toAction, toCommunication, toDecision, toTransition, type Action, type Communication, type Decision, type Transition,
} from './record-rows.js';
import { latestBy, queryRows, SESSION_BY_ID } from './session-queries.js';
import { SESSION_COLUMNS, SESSIONS_TABLE, toSessionSummary, type SessionSummary, type StoredSession } from './session-rows.js';
import { parseIsoNs } from './time.js';

/**
 * Reads of the sessions of one trace and of the records inside them: actions, state transitions,
 * decisions and communications. Several kinds come back from one statement (chDB runs one
 * statement at a time, so every round trip adds up), each row as (kind, sort position, the row as
 * a JSON object). Each kind keeps the latest version of a row with `LIMIT 1 BY` its table's key,
 * filtering before that only on what the key holds or never changes between versions.
 */

/** Sessions and records of one trace, each kind in the order the API lists it. */
export interface SessionRecords {
  /** Every session of the trace, in no particular order. */
  sessions: SessionSummary[];
  actions: Action[];
  transitions: Transition[];
  decisions: Decision[];
  communications: Communication[];
}

type RecordKind = 'session' | 'action' | 'transition' | 'decision' | 'communication';

/**
 * Where to read, as SQL expressions: bound parameters, or the fields of a session looked up in the
 * same statement. Actions are read where they started in [actionsFrom, actionsTo] (null: any time).
 */
interface Scope {
  trace: string;
  sessionIds: string;
  actionsFrom: string | null;
  actionsTo: string | null;
  toolCallsOnly: boolean;
}

const T = (table: string) => `${DATABASE}.${table}`;
const row = (columns: string) => `formatRowNoNewline('JSONEachRow', ${columns}) AS row`;

/**
 * One kind as (kind, position, row). A session's actions start inside it, so the window bounds
 * started_at too: with a time-leading sort key on actions that is what keeps the read small.
 */
function branch(kind: RecordKind, scope: Scope): string {
  const ofSessions = `tenant_id = {tenant:String} AND trace_id = ${scope.trace} AND session_id IN ${scope.sessionIds}`;
  switch (kind) {
    case 'session':
      return `SELECT 'session' AS kind, (toDateTime64(0, 9), session_id, 0) AS position, ${row(SESSION_COLUMNS)}
        FROM ${SESSIONS_TABLE} WHERE tenant_id = {tenant:String} AND trace_id = ${scope.trace} ${latestBy('session_id')}`;
    case 'action': {
      const window = [
        ...(scope.actionsFrom === null ? [] : [`started_at >= ${scope.actionsFrom}`]),
        ...(scope.actionsTo === null ? [] : [`started_at <= ${scope.actionsTo}`]),
      ].map((c) => `AND ${c}`).join(' ');
      return `SELECT 'action' AS kind, (started_at, session_id, sequence) AS position, ${row(ACTION_COLUMNS)}
        FROM (SELECT * FROM ${T(TABLES.ACTIONS_DATA)} WHERE ${ofSessions} ${window} ${latestBy('session_id, action_id')})
        ${scope.toolCallsOnly ? "WHERE action_type = 'tool_call'" : ''}`;
    }
    case 'transition':
      return `SELECT 'transition' AS kind, (toDateTime64(0, 9), '', sequence) AS position, ${row(TRANSITION_COLUMNS)}
        FROM ${T(TABLES.TRANSITIONS_DATA)} WHERE ${ofSessions} ${latestBy('session_id, transition_id')}`;
    case 'decision':
      return `SELECT 'decision' AS kind, (decided_at, decision_id, 0) AS position, ${row(DECISION_COLUMNS)}
        FROM ${T(TABLES.DECISIONS_DATA)} WHERE ${ofSessions} ${latestBy('session_id, decision_id')}`;
    case 'communication':
      // Sender and receiver can change between versions (a receiver found later): filtered once the latest is picked.
      return `SELECT 'communication' AS kind, (sent_at, communication_id, 0) AS position, ${row(COMMUNICATION_COLUMNS)}
        FROM (SELECT * FROM ${T(TABLES.COMMUNICATIONS_DATA)} WHERE tenant_id = {tenant:String} AND trace_id = ${scope.trace} ${latestBy('communication_id')})
        WHERE from_session_id IN ${scope.sessionIds} OR to_session_id IN ${scope.sessionIds}`;
  }
}

/** Reads the kinds asked for in one statement (`prefix` may define what the scope refers to); other kinds come back empty. */
async function readKinds(
  client: ClickHouseClient, kinds: readonly RecordKind[], scope: Scope, params: Record<string, unknown>, prefix = '',
): Promise<SessionRecords> {
  const rows = await queryRows<{ kind: RecordKind; row: string }>(client,
    `${prefix} SELECT kind, row FROM (${kinds.map((k) => branch(k, scope)).join('\nUNION ALL\n')}) ORDER BY kind, position`,
    params);
  const out: SessionRecords = { sessions: [], actions: [], transitions: [], decisions: [], communications: [] };
  for (const { kind, row: json } of rows) {
    const record = JSON.parse(json) as Record<string, unknown>;
    if (kind === 'session') out.sessions.push(toSessionSummary(record as StoredSession));
    else if (kind === 'action') out.actions.push(toAction(record));
    else if (kind === 'transition') out.transitions.push(toTransition(record));
    else if (kind === 'decision') out.decisions.push(toDecision(record));
    else out.communications.push(toCommunication(record));
  }
  return out;
}

/** The scope of one session looked up by id in the same statement, and the `WITH` clause that looks it up. */
const BY_ID = {
  prefix: `WITH (SELECT (trace_id, started_at, ended_at) FROM (${SESSION_BY_ID})) AS looked_up`,
  scope: { trace: 'looked_up.1', sessionIds: '[{id:String}]', actionsFrom: 'looked_up.2', actionsTo: 'looked_up.3', toolCallsOnly: false },
} as const;

/** The scope of sessions already known (one trace), as bound parameters, with the values to bind. */
function knownSessions(tenant: string, sessions: readonly SessionSummary[], toolCallsOnly: boolean): { scope: Scope; params: Record<string, unknown> } {
  const starts = sessions.map((s) => parseIsoNs(s.started_at) ?? 0n);
  // A running session has no end yet: its start stands in, and the count check of withAllActions covers the rest.
  const ends = sessions.map((s) => parseIsoNs(s.ended_at ?? s.started_at) ?? 0n);
  return {
    scope: {
      trace: '{trace:String}', sessionIds: '{ids:Array(String)}', toolCallsOnly,
      actionsFrom: 'fromUnixTimestamp64Nano({from:Int64})', actionsTo: 'fromUnixTimestamp64Nano({to:Int64})',
    },
    params: {
      tenant, trace: sessions[0]?.trace_id ?? '', ids: sessions.map((s) => s.session_id),
      from: starts.reduce((a, b) => (b < a ? b : a), starts[0] ?? 0n).toString(), to: ends.reduce((a, b) => (b > a ? b : a), 0n).toString(),
    },
  };
}

/**
 * `records` with every action of the sessions. Actions are read inside the sessions' time span
 * first: a fast path, not a rule the data keeps (a span whose parent never arrived joins a session
 * it did not start inside). When the sessions count more actions (or tool calls) than that found,
 * the actions are read again at any time.
 */
async function withAllActions(
  client: ClickHouseClient, tenant: string, sessions: readonly SessionSummary[], records: SessionRecords, toolCallsOnly = false,
): Promise<SessionRecords> {
  const expected = sessions.reduce((n, s) => n + (toolCallsOnly ? s.tool_calls : s.actions), 0);
  if (records.actions.length >= expected) return records;
  const { scope, params } = knownSessions(tenant, sessions, toolCallsOnly);
  const { actions } = await readKinds(client, ['action'], { ...scope, actionsFrom: null, actionsTo: null }, params);
  return { ...records, actions };
}

/** Reads kinds of records of sessions already known (one trace), in one statement unless actions are missing. */
async function readOf(
  client: ClickHouseClient, tenant: string, sessions: readonly SessionSummary[], kinds: readonly RecordKind[], toolCallsOnly = false,
): Promise<SessionRecords> {
  const { scope, params } = knownSessions(tenant, sessions, toolCallsOnly);
  const records = await readKinds(client, kinds, scope, params);
  return kinds.includes('action') ? withAllActions(client, tenant, sessions, records, toolCallsOnly) : records;
}

/**
 * One session with all of its records and the sessions of its trace (its tree among them), in one
 * statement; null when the tenant has no session with that id.
 */
export async function sessionWithRecords(
  client: ClickHouseClient, tenant: string, sessionId: string,
): Promise<{ session: SessionSummary; records: SessionRecords } | null> {
  const records = await readKinds(client, ['session', 'action', 'transition', 'decision', 'communication'], BY_ID.scope,
    { tenant, id: sessionId }, BY_ID.prefix);
  const session = records.sessions.find((s) => s.session_id === sessionId);
  return session ? { session, records: await withAllActions(client, tenant, [session], records) } : null;
}

/** Every session of the trace the session belongs to (its tree among them), in one statement; empty when the session is unknown. */
export async function sessionsOfTrace(client: ClickHouseClient, tenant: string, sessionId: string): Promise<SessionSummary[]> {
  return (await readKinds(client, ['session'], BY_ID.scope, { tenant, id: sessionId }, BY_ID.prefix)).sessions;
}

/** The session's actions, in start order. */
export async function actionsOf(client: ClickHouseClient, tenant: string, session: SessionSummary): Promise<Action[]> {
  return (await readOf(client, tenant, [session], ['action'])).actions;
}

/** The session's state transitions, in order. */
export async function transitionsOf(client: ClickHouseClient, tenant: string, session: SessionSummary): Promise<Transition[]> {
  return (await readOf(client, tenant, [session], ['transition'])).transitions;
}

/**
 * What the sessions of one tree said to each other and the tools they called: communications sent
 * or received by any of them and their tool calls, each in time order.
 */
export async function interactionsOf(
  client: ClickHouseClient, tenant: string, sessions: readonly SessionSummary[],
): Promise<{ communications: Communication[]; toolCalls: Action[] }> {
  const { communications, actions } = await readOf(client, tenant, sessions, ['action', 'communication'], true);
  return { communications, toolCalls: actions };
}
