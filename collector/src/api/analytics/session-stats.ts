import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { FAILED_SQL, isoOrNull, num, numOrNull, ratio, readRows, scopeFilter, staleBeforeNs, usd, type Scope } from './scope.js';
import type { UsageFigures } from '../usage-figures.js';

const SESSIONS = `${DATABASE}.${TABLES.SESSIONS}`;
const LIVE = `${DATABASE}.${TABLES.LIVE_SESSIONS}`;

/** Durations of ended sessions in ms: quantiles as ClickHouse's `quantileExact` (the value at index ⌊level·n⌋ of the sorted durations). */
export interface DurationFigures {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  avg: number | null;
  max: number | null;
  /** Sum over ended sessions: the time the agent spent working. */
  total: number;
}

/** What the sessions of one agent, or of every agent in scope, add up to. */
export interface SessionFigures extends UsageFigures {
  /** Sessions started in the range: ended, running (recorded), and running now (seen only from their start). */
  executions: number;
  completed: number;
  failed: number;
  timed_out: number;
  cancelled: number;
  /** Sessions without an end yet, including those only known from their live start record. */
  running: number;
  /** Running sessions that started over an hour ago: likely never to complete. */
  stale_running: number;
  ended: number;
  /** completed / ended; null when none ended. */
  success_rate: number | null;
  duration_ms: DurationFigures;
  llm_calls: number;
  tool_calls: number;
  /** LLM calls without a price: cost_usd is a lower bound when > 0. */
  unpriced_calls: number;
  first_started_at: string | null;
  last_started_at: string | null;
}

/** Figures per agent, and over all of them. */
export interface FiguresByAgent {
  total: SessionFigures;
  agents: { agent: string; figures: SessionFigures }[];
  /** Sessions running now known only from their start record (already counted in the figures). */
  live: LiveSession[];
}

type Row = Record<string, unknown> & { agent_name: string; is_total: number; q: (number | null)[] };

const SUMS = ['llm_calls', 'tool_calls', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'unpriced_calls'] as const;

/**
 * Session figures per agent and in total (ROLLUP), in one pass over the range. Quantiles are
 * exact (`quantilesExact`): memory grows with the sessions in range, which for sessions (not
 * spans) stays in the low millions at most.
 */
export async function sessionFigures(client: ClickHouseClient, scope: Scope): Promise<FiguresByAgent> {
  const { where, params } = scopeFilter(scope);
  const ended = "status != 'running'";
  const [rows, live] = await Promise.all([
    readRows<Row>(client,
      `SELECT agent_name, grouping(agent_name) AS is_total, count() AS executions,
         countIf(status = 'completed') AS completed, countIf(status = 'failed') AS failed, countIf(status = 'timed_out') AS timed_out,
         countIf(status = 'cancelled') AS cancelled, countIf(status = 'running') AS running,
         countIf(status = 'running' AND started_at < fromUnixTimestamp64Nano({stale_before_ns:Int64})) AS stale_running,
         quantilesExactIf(0.5, 0.95, 0.99)(duration_ms, ${ended}) AS q, avgIf(duration_ms, ${ended}) AS avg_ms,
         maxIf(duration_ms, ${ended}) AS max_ms, sumIf(duration_ms, ${ended}) AS total_ms,
         ${SUMS.map((c) => `sum(${c}) AS ${c}`).join(', ')}, sum(cost_usd) AS cost_usd,
         toString(toUnixTimestamp64Nano(min(started_at))) AS first_ns, toString(toUnixTimestamp64Nano(max(started_at))) AS last_ns
       FROM ${SESSIONS} WHERE ${where}
       GROUP BY ROLLUP(agent_name)
       ORDER BY is_total DESC, executions DESC, agent_name`,
      params),
    liveSessions(client, scope),
  ]);
  const liveOf = (agent: string | null) => {
    const mine = agent === null ? live : live.filter((l) => l.agent === agent);
    return { running: mine.length, stale: mine.filter((l) => l.stale).length };
  };
  const totalRow = rows.find((r) => Number(r.is_total) === 1);
  const agents = rows.filter((r) => Number(r.is_total) === 0).map((r) => ({ agent: r.agent_name, figures: toFigures(r, liveOf(r.agent_name)) }));
  // Agents seen only running now have no recorded session yet.
  for (const name of new Set(live.map((l) => l.agent))) {
    if (!agents.some((a) => a.agent === name)) agents.push({ agent: name, figures: toFigures(undefined, liveOf(name)) });
  }
  return { total: toFigures(totalRow, liveOf(null)), agents, live };
}

/** An agent session running now, known only from its live start record. */
export interface LiveSession {
  agent: string;
  started_ns: string;
  stale: boolean;
}

/** Sessions of the scope running now that have no recorded session yet (`agent_live_sessions`). */
export async function liveSessions(client: ClickHouseClient, scope: Scope): Promise<LiveSession[]> {
  const { where, params } = scopeFilter(scope);
  const rows = await readRows<{ agent_name: string; started_ns: string }>(client,
    `SELECT agent_name, toString(toUnixTimestamp64Nano(started_at)) AS started_ns FROM ${LIVE} WHERE ${where} LIMIT 100000`,
    params);
  const staleBefore = staleBeforeNs(scope.nowMs);
  return rows.map((r) => ({ agent: r.agent_name, started_ns: r.started_ns, stale: BigInt(r.started_ns) < staleBefore }));
}

function toFigures(row: Row | undefined, live: { running: number; stale: number }): SessionFigures {
  const completed = num(row?.completed);
  const ended = num(row?.executions) - num(row?.running);
  const q = row?.q ?? [];
  const figures: SessionFigures = {
    executions: num(row?.executions) + live.running,
    completed,
    failed: num(row?.failed),
    timed_out: num(row?.timed_out),
    cancelled: num(row?.cancelled),
    running: num(row?.running) + live.running,
    stale_running: num(row?.stale_running) + live.stale,
    ended,
    success_rate: ratio(completed, ended),
    duration_ms: {
      p50: ended > 0 ? numOrNull(q[0]) : null,
      p95: ended > 0 ? numOrNull(q[1]) : null,
      p99: ended > 0 ? numOrNull(q[2]) : null,
      avg: ended > 0 ? numOrNull(row?.avg_ms) : null,
      max: ended > 0 ? numOrNull(row?.max_ms) : null,
      total: num(row?.total_ms),
    },
    llm_calls: 0, tool_calls: 0, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0,
    cost_usd: usd(row?.cost_usd),
    unpriced_calls: 0,
    first_started_at: row && num(row.executions) > 0 ? isoOrNull(row.first_ns) : null,
    last_started_at: row && num(row.executions) > 0 ? isoOrNull(row.last_ns) : null,
  };
  for (const k of SUMS) figures[k] = num(row?.[k]);
  return figures;
}

/** Sessions started per hour (UTC hours since the epoch) and how many of them failed. */
export interface HourCount {
  hour: number;
  executions: number;
  failures: number;
}

/** Executions and failures per hour of the range, from recorded sessions (hours without any are absent). */
export async function sessionsPerHour(client: ClickHouseClient, scope: Scope): Promise<HourCount[]> {
  const { where, params } = scopeFilter(scope);
  // Hours since the epoch do not depend on the server's time zone; the answer labels them in UTC.
  const rows = await readRows<Record<string, unknown>>(client,
    `SELECT intDiv(toUnixTimestamp(started_at), 3600) AS hour, count() AS executions, countIf(status IN ${FAILED_SQL}) AS failures
     FROM ${SESSIONS} WHERE ${where} GROUP BY hour ORDER BY hour`,
    params);
  return rows.map((r) => ({ hour: num(r.hour), executions: num(r.executions), failures: num(r.failures) }));
}

/** Failed sessions of one agent with one error type. */
export interface FailureCount {
  agent: string;
  error_type: string;
  sessions: number;
  /** The most recent failure's message and session. */
  sample_message: string;
  sample_session_id: string;
  last_ns: string;
}

/** Failed and timed-out sessions by agent and error type. */
export async function failuresByType(client: ClickHouseClient, scope: Scope): Promise<FailureCount[]> {
  const { where, params } = scopeFilter(scope);
  const rows = await readRows<Record<string, unknown>>(client,
    `SELECT agent_name, error_type, count() AS sessions,
       argMax(error_message, (started_at, session_id)) AS sample_message, argMax(session_id, (started_at, session_id)) AS sample_session_id,
       toString(toUnixTimestamp64Nano(max(started_at))) AS last_ns
     FROM ${SESSIONS} WHERE ${where} AND status IN ${FAILED_SQL}
     GROUP BY agent_name, error_type ORDER BY sessions DESC, agent_name, error_type LIMIT 1000`,
    params);
  return rows.map((r) => ({
    agent: String(r.agent_name), error_type: String(r.error_type), sessions: num(r.sessions), sample_message: String(r.sample_message),
    sample_session_id: String(r.sample_session_id), last_ns: String(r.last_ns),
  }));
}

/** Sessions, outcome and cost of one task type: a goal type and workflow pair. */
export interface TaskCost {
  goal_type: string;
  workflow: string;
  sessions: number;
  completed: number;
  failed: number;
  success_rate: number | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  avg_cost_usd: number;
}

/** Cost and outcome by task type (`goal_type` × `workflow_name`), most expensive first. */
export async function costByTask(client: ClickHouseClient, scope: Scope): Promise<TaskCost[]> {
  const { where, params } = scopeFilter(scope);
  const rows = await readRows<Record<string, unknown>>(client,
    `SELECT goal_type, workflow_name, count() AS sessions, countIf(status = 'completed') AS completed,
       countIf(status IN ${FAILED_SQL}) AS failed, countIf(status != 'running') AS ended,
       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd
     FROM ${SESSIONS} WHERE ${where}
     GROUP BY goal_type, workflow_name ORDER BY cost_usd DESC, sessions DESC, goal_type, workflow_name LIMIT 200`,
    params);
  return rows.map((r) => ({
    goal_type: String(r.goal_type), workflow: String(r.workflow_name), sessions: num(r.sessions), completed: num(r.completed),
    failed: num(r.failed), success_rate: ratio(num(r.completed), num(r.ended)), input_tokens: num(r.input_tokens),
    output_tokens: num(r.output_tokens), cost_usd: usd(r.cost_usd), avg_cost_usd: usd(num(r.cost_usd) / Math.max(1, num(r.sessions))),
  }));
}
