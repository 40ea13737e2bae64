import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import {
  FAILED_SQL, isFailedStatus, judge, type AgentDecision, type AgentFiredAnswer, type ConversationAgent, type ConversationSession, type Elsewhere,
  type FailedAction, type Handover,
} from '../../processing/index.js';
import { isoOrNull, num, numOrNull, readRows } from './scope.js';

const db = (table: string) => `${DATABASE}.${table}`;

/** How far back "did it run elsewhere" looks. */
export const ELSEWHERE_DAYS = 7;
/** Sessions of one conversation read at most: a conversation is a chat, not a fleet. */
const CONVERSATION_LIMIT = 2000;

type Row = Record<string, unknown>;

/**
 * Gathers the evidence about agent `agent` in conversation `conversation` and judges it. The
 * conversation's sessions come first (the `conversation_id` bloom filter finds them); decisions,
 * handovers and failed actions are then read by those sessions' ids and traces, which lead their
 * tables' sort keys.
 */
export async function agentFired(client: ClickHouseClient, tenant: string, agent: string, conversation: string, nowMs: number): Promise<AgentFiredAnswer> {
  const recorded = await conversationSessions(client, tenant, conversation);
  const traces = [...new Set(recorded.map((s) => s.trace_id))];
  const all = [...recorded, ...await liveSessions(client, tenant, conversation, traces)]
    .sort((a, b) => a.started_at.localeCompare(b.started_at) || a.session_id.localeCompare(b.session_id));
  const mine = all.filter((s) => s.agent === agent);
  const others = all.filter((s) => s.agent !== agent);
  const failedIds = mine.filter((s) => isFailedStatus(s.status)).map((s) => s.session_id);
  const [decisions, handovers, failedActions, elsewhere] = await Promise.all([
    decisionsNaming(client, tenant, agent, others),
    handoversTo(client, tenant, agent, traces),
    failedActionsOf(client, tenant, failedIds),
    mine.length === 0 ? ranElsewhere(client, tenant, agent, conversation, nowMs) : Promise.resolve(null),
  ]);
  const evidence = {
    sessions: mine, failed_actions: failedActions, decisions, handovers, conversation_agents: agentsOf(all), elsewhere,
  };
  return { agent, conversation, ...judge(agent, conversation, evidence), evidence };
}

async function conversationSessions(client: ClickHouseClient, tenant: string, conversation: string): Promise<ConversationSession[]> {
  const rows = await readRows<Row>(client,
    `SELECT session_id, trace_id, parent_session_id, agent_name, status, toString(toUnixTimestamp64Nano(started_at)) AS started_ns,
       toString(toUnixTimestamp64Nano(ended_at)) AS ended_ns, duration_ms, error_type, error_message
     FROM ${db(TABLES.SESSIONS)} WHERE tenant_id = {tenant:String} AND conversation_id = {conversation:String}
     ORDER BY started_at, session_id LIMIT {limit:UInt32}`,
    { tenant, conversation, limit: CONVERSATION_LIMIT });
  return rows.map((r) => {
    const running = r.status === 'running';
    return {
      session_id: String(r.session_id), trace_id: String(r.trace_id), parent_session_id: String(r.parent_session_id), agent: String(r.agent_name),
      status: String(r.status), started_at: isoOrNull(r.started_ns) ?? '', ended_at: running ? null : isoOrNull(r.ended_ns),
      duration_ms: running ? null : num(r.duration_ms), error_type: String(r.error_type), error_message: String(r.error_message), live: false, idle_ms: null,
    };
  });
}

/** Sessions running now in the conversation (or in its traces: a sub-agent's start record may not carry the conversation). */
async function liveSessions(client: ClickHouseClient, tenant: string, conversation: string, traces: readonly string[]): Promise<ConversationSession[]> {
  const rows = await readRows<Row>(client,
    `SELECT session_id, trace_id, parent_span_id, agent_name, toString(toUnixTimestamp64Nano(started_at)) AS started_ns, idle_ms
     FROM ${db(TABLES.LIVE_SESSIONS)}
     WHERE tenant_id = {tenant:String} AND (conversation_id = {conversation:String} OR trace_id IN {traces:Array(String)})
     ORDER BY started_at, session_id LIMIT {limit:UInt32}`,
    { tenant, conversation, traces, limit: CONVERSATION_LIMIT });
  return rows.map((r) => ({
    session_id: String(r.session_id), trace_id: String(r.trace_id), parent_session_id: String(r.parent_span_id), agent: String(r.agent_name),
    status: 'running', started_at: isoOrNull(r.started_ns) ?? '', ended_at: null, duration_ms: null, error_type: '', error_message: '',
    live: true, idle_ms: numOrNull(r.idle_ms),
  }));
}

/** Decisions of other agents' sessions whose options or choice name the agent (case-insensitive substring). */
async function decisionsNaming(client: ClickHouseClient, tenant: string, agent: string, deciders: readonly ConversationSession[]): Promise<AgentDecision[]> {
  const recorded = deciders.filter((s) => !s.live);
  if (recorded.length === 0) return [];
  const rows = await readRows<Row & { options: string[] }>(client,
    `SELECT session_id, decision_type, question, options, chosen, positionCaseInsensitiveUTF8(chosen, {agent:String}) > 0 AS chose_agent,
       toString(toUnixTimestamp64Nano(decided_at)) AS decided_ns
     FROM ${db(TABLES.DECISIONS)}
     WHERE tenant_id = {tenant:String} AND session_id IN {ids:Array(String)}
       AND (arrayExists(o -> positionCaseInsensitiveUTF8(o, {agent:String}) > 0, options) OR positionCaseInsensitiveUTF8(chosen, {agent:String}) > 0)
     ORDER BY decided_at, decision_id LIMIT 100`,
    { tenant, agent, ids: recorded.map((s) => s.session_id) });
  const agentOf = new Map(recorded.map((s) => [s.session_id, s.agent]));
  return rows.map((r) => ({
    session_id: String(r.session_id), decided_by: agentOf.get(String(r.session_id)) ?? '', decision_type: String(r.decision_type),
    question: String(r.question), options: r.options.map(String), chosen: String(r.chosen), chose_agent: Number(r.chose_agent) === 1,
    decided_at: isoOrNull(r.decided_ns) ?? '',
  }));
}

/** Delegations, handoffs and messages addressed to the agent in the conversation's traces (span links are not requests). */
async function handoversTo(client: ClickHouseClient, tenant: string, agent: string, traces: readonly string[]): Promise<Handover[]> {
  if (traces.length === 0) return [];
  const rows = await readRows<Row>(client,
    `SELECT message_type, from_agent, from_session_id, to_session_id, toString(toUnixTimestamp64Nano(sent_at)) AS sent_ns
     FROM ${db(TABLES.COMMUNICATIONS)}
     WHERE tenant_id = {tenant:String} AND trace_id IN {traces:Array(String)} AND to_agent = {agent:String} AND message_type != 'link'
     ORDER BY sent_at, communication_id LIMIT 100`,
    { tenant, agent, traces });
  return rows.map((r) => ({
    message_type: String(r.message_type), from_agent: String(r.from_agent), from_session_id: String(r.from_session_id),
    to_session_id: String(r.to_session_id), sent_at: isoOrNull(r.sent_ns) ?? '',
  }));
}

async function failedActionsOf(client: ClickHouseClient, tenant: string, sessionIds: readonly string[]): Promise<FailedAction[]> {
  if (sessionIds.length === 0) return [];
  const rows = await readRows<Row>(client,
    `SELECT session_id, sequence, action_type, name, tool_name, error_type, error, toString(toUnixTimestamp64Nano(started_at)) AS started_ns
     FROM ${db(TABLES.ACTIONS)}
     WHERE tenant_id = {tenant:String} AND session_id IN {ids:Array(String)} AND status IN ${FAILED_SQL}
     ORDER BY started_at, session_id, sequence LIMIT 200`,
    { tenant, ids: sessionIds });
  return rows.map((r) => ({
    session_id: String(r.session_id), sequence: num(r.sequence), action_type: String(r.action_type), name: String(r.name),
    tool_name: String(r.tool_name), error_type: String(r.error_type), error: String(r.error), started_at: isoOrNull(r.started_ns) ?? '',
  }));
}

/** The agent's sessions in other conversations over the last {@link ELSEWHERE_DAYS} days. */
async function ranElsewhere(client: ClickHouseClient, tenant: string, agent: string, conversation: string, nowMs: number): Promise<Elsewhere> {
  const [row] = await readRows<Row>(client,
    `SELECT count() AS sessions, countIf(status = 'completed') AS completed,
       toString(toUnixTimestamp64Nano(max(started_at))) AS last_ns, argMax(conversation_id, started_at) AS last_conversation
     FROM ${db(TABLES.SESSIONS)}
     WHERE tenant_id = {tenant:String} AND started_at >= fromUnixTimestamp64Nano({since_ns:Int64})
       AND agent_name = {agent:String} AND conversation_id != {conversation:String}`,
    { tenant, agent, conversation, since_ns: (BigInt(nowMs - ELSEWHERE_DAYS * 86_400_000) * 1_000_000n).toString() });
  const sessions = num(row?.sessions);
  return {
    days: ELSEWHERE_DAYS, sessions, completed: num(row?.completed), last_started_at: sessions > 0 ? isoOrNull(row?.last_ns) : null,
    last_conversation: sessions > 0 ? String(row?.last_conversation ?? '') : null,
  };
}

/** Every agent of the conversation with its session counts, in order of first appearance (sessions come oldest first). */
function agentsOf(sessions: readonly ConversationSession[]): ConversationAgent[] {
  const out = new Map<string, ConversationAgent>();
  for (const s of sessions) {
    const a = out.get(s.agent) ?? { agent: s.agent, sessions: 0, completed: 0, failed: 0, running: 0, first_started_at: s.started_at, last_started_at: s.started_at };
    a.sessions += 1;
    if (s.status === 'completed') a.completed += 1;
    else if (s.status === 'running') a.running += 1;
    else a.failed += 1;
    a.last_started_at = s.started_at;
    out.set(s.agent, a);
  }
  return [...out.values()];
}
