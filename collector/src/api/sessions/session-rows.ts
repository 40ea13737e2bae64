import { DATABASE, TABLES } from '@agentflow/schemas';
import { isoFromNs } from './time.js';
import type { UsageFigures } from '../usage-figures.js';

/**
 * The sessions table, fully qualified: every stored version of each session, so a read keeps the
 * latest itself (FINAL, or `LIMIT 1 BY` for a few rows). Sorted by (tenant, started_at, session id).
 */
export const SESSIONS_TABLE = `${DATABASE}.${TABLES.SESSIONS_DATA}`;

/**
 * Columns of a session summary. Times travel as nanosecond strings, 64-bit counters as strings
 * (ClickHouse's JSON default), both converted by {@link toSessionSummary}.
 */
export const SESSION_COLUMNS = `session_id, trace_id, root_session_id, parent_session_id, agent_id, agent_name, agent_type,
  agent_description, goal, goal_type, task_id, workflow_name, conversation_id, user_id, trigger, status,
  toString(toUnixTimestamp64Nano(started_at)) AS started_ns, toString(toUnixTimestamp64Nano(ended_at)) AS ended_ns,
  duration_ms, llm_calls, tool_calls, actions, errors, input_tokens, output_tokens, cache_read_tokens,
  cache_write_tokens, reasoning_tokens, cost_usd, unpriced_calls, error_type, error_message, service_name,
  service_instance_id, span_name, dialect, implicit`;

/** A session row as stored, with {@link SESSION_COLUMNS}. */
export type StoredSession = Record<string, unknown> & { session_id: string; started_ns: string; ended_ns: string; status: string };

/**
 * One agent session (an agent invocation) as the API returns it. Column names and meanings are
 * those of `agentflow.agent_sessions`; ids are '' where there is none (a root's parent). Times are
 * ISO 8601 UTC with nanoseconds; `ended_at` is null while the session runs. Durations in ms, cost in USD.
 */
export interface SessionSummary extends UsageFigures {
  session_id: string;
  trace_id: string;
  root_session_id: string;
  parent_session_id: string;
  agent_id: string;
  agent_name: string;
  agent_type: string;
  agent_description: string;
  goal: string;
  goal_type: string;
  task_id: string;
  workflow_name: string;
  conversation_id: string;
  user_id: string;
  trigger: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number;
  llm_calls: number;
  tool_calls: number;
  actions: number;
  errors: number;
  /** LLM calls whose model has no price: `cost_usd` is a lower bound when > 0. */
  unpriced_calls: number;
  error_type: string;
  error_message: string;
  service_name: string;
  service_instance_id: string;
  span_name: string;
  dialect: string;
  /** True for the implicit session of a trace without agent spans (its root span). */
  implicit: boolean;
}

const TEXT = [
  'session_id', 'trace_id', 'root_session_id', 'parent_session_id', 'agent_id', 'agent_name', 'agent_type', 'agent_description',
  'goal', 'goal_type', 'task_id', 'workflow_name', 'conversation_id', 'user_id', 'trigger', 'status', 'error_type',
  'error_message', 'service_name', 'service_instance_id', 'span_name', 'dialect',
] as const;
const NUMBERS = [
  'duration_ms', 'llm_calls', 'tool_calls', 'actions', 'errors', 'input_tokens', 'output_tokens', 'cache_read_tokens',
  'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'unpriced_calls',
] as const;

/** A stored session row → its API shape. */
export function toSessionSummary(row: StoredSession): SessionSummary {
  const out: Record<string, unknown> = {};
  for (const k of TEXT) out[k] = String(row[k] ?? '');
  for (const k of NUMBERS) out[k] = Number(row[k] ?? 0);
  out.started_at = isoFromNs(row.started_ns);
  out.ended_at = row.status === 'running' ? null : isoFromNs(row.ended_ns);
  out.implicit = Number(row.implicit) === 1;
  return out as unknown as SessionSummary;
}

/** Calls, tokens and cost added up over a set of sessions. */
export interface Totals {
  sessions: number;
  llm_calls: number;
  tool_calls: number;
  actions: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
}

const SUMMED = ['llm_calls', 'tool_calls', 'actions', 'errors', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_usd'] as const;

/** Adds up the figures of some sessions. */
export function totalsOf(sessions: readonly SessionSummary[]): Totals {
  const totals: Totals = {
    sessions: sessions.length, llm_calls: 0, tool_calls: 0, actions: 0, errors: 0, input_tokens: 0, output_tokens: 0,
    cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_usd: 0,
  };
  for (const s of sessions) for (const k of SUMMED) totals[k] += s[k];
  // Float sums of per-call costs drift in the last digits; no price has more than 12 decimals.
  totals.cost_usd = Math.round(totals.cost_usd * 1e12) / 1e12;
  return totals;
}
