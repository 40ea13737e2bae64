import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { mergedRows, type ReadPlan } from './read-plan.js';
import { FAILED_SQL, SESSION_ROLLUP } from '../../processing/index.js';
import { isoOrNull, num, numOrNull, ratio, readRows, scopeFilter, staleBeforeNs, usd, type Scope } from './scope.js';
import type { UsageFigures } from '../usage-figures.js';

const SESSIONS = `${DATABASE}.${TABLES.SESSIONS}`;
const LIVE = `${DATABASE}.${TABLES.LIVE_SESSIONS}`;

/**
 * Durations of ended sessions in ms. Quantiles are ClickHouse's `quantileExact` (the value at index
 * ⌊level·n⌋ of the sorted durations) when every hour of the range is read raw, and t-digest
 * estimates (within ~1% of rank) when rolled-up hours take part.
 */
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

type Row = Record<string, unknown> & { g: number; q: (number | null)[] };

const SUMS = ['llm_calls', 'tool_calls', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'unpriced_calls'] as const;

/** The grouping columns of the session statement, in `grouping(…)` order. */
const GROUPED = ['agent_name', 'hour', 'error_type', 'goal_type', 'workflow_name'] as const;
/** `grouping(…)` of a set: a bit is set (most significant first) for each column aggregated over. */
const setOf = (...kept: (typeof GROUPED)[number][]): number =>
  GROUPED.reduce((mask, c, i) => (kept.includes(c) ? mask : mask | (1 << (GROUPED.length - 1 - i))), 0);
const SET = {
  agent: setOf('agent_name'), total: setOf(), hour: setOf('hour'), failure: setOf('agent_name', 'error_type'), task: setOf('goal_type', 'workflow_name'),
} as const;

/** Everything the report reads from sessions. */
export interface SessionReport {
  figures: FiguresByAgent;
  hours: HourCount[];
  failures: FailureCount[];
  tasks: TaskCost[];
}

/**
 * Session figures per agent and in total, sessions per hour, failures by agent and error type and
 * cost by task type, in one statement over the scope's session rollup rows (GROUPING SETS), so
 * rolled-up and raw hours are read once. Quantiles are exact when every hour is read raw
 * (`quantilesExact`), t-digest estimates when rolled-up hours take part.
 */
export async function sessionReport(client: ClickHouseClient, scope: Scope, plan: ReadPlan): Promise<SessionReport> {
  const source = mergedRows(SESSION_ROLLUP, scope, plan);
  const ended = "status != 'running'";
  const failed = `status IN ${FAILED_SQL}`;
  const count = (status: string) => `sumIf(sessions, status = '${status}') AS ${status}`;
  const [rows, live, recent] = await Promise.all([
    readRows<Row>(client,
      `SELECT agent_name, intDiv(toUnixTimestamp(hour), 3600) AS hour_no, error_type, goal_type, workflow_name,
         grouping(${GROUPED.join(', ')}) AS g, sum(sessions) AS executions,
         ${['completed', 'failed', 'timed_out', 'cancelled', 'running'].map(count).join(', ')}, sumIf(sessions, ${failed}) AS failures,
         ${source.quantiles}MergeIf(0.5, 0.95, 0.99)(duration_q, ${ended}) AS q, sumIf(duration_total_ms, ${ended}) AS total_ms,
         total_ms / sumIf(sessions, ${ended}) AS avg_ms, maxIf(duration_max_ms, ${ended}) AS max_ms,
         ${SUMS.map((c) => `sum(${c}) AS ${c}`).join(', ')}, sum(cost_usd) AS cost_usd,
         toString(toUnixTimestamp64Nano(min(first_started_at))) AS first_ns, toString(toUnixTimestamp64Nano(max(last_started_at))) AS last_ns,
         argMaxIf(sample_message, (last_started_at, sample_session_id), ${failed}) AS failure_message,
         argMaxIf(sample_session_id, (last_started_at, sample_session_id), ${failed}) AS failure_session_id,
         toString(toUnixTimestamp64Nano(maxIf(last_started_at, ${failed}))) AS last_failed_ns
       FROM ${source.sql}
       GROUP BY GROUPING SETS ((agent_name), (), (hour), (agent_name, error_type), (goal_type, workflow_name))`,
      source.params),
    liveSessions(client, scope),
    recentRunning(client, scope),
  ]);
  const of = (set: number) => rows.filter((r) => Number(r.g) === set);
  return {
    figures: figuresByAgent(of(SET.total)[0], of(SET.agent), live, recent),
    hours: of(SET.hour).map((r) => ({ hour: num(r.hour_no), executions: num(r.executions), failures: num(r.failures) })).sort((a, b) => a.hour - b.hour),
    failures: of(SET.failure).filter((r) => num(r.failures) > 0).map((r) => ({
      agent: String(r.agent_name), error_type: String(r.error_type), sessions: num(r.failures), sample_message: String(r.failure_message),
      sample_session_id: String(r.failure_session_id), last_ns: String(r.last_failed_ns),
    })).sort((a, b) => b.sessions - a.sessions || a.agent.localeCompare(b.agent) || a.error_type.localeCompare(b.error_type)),
    tasks: of(SET.task).map(taskCost)
      .sort((a, b) => b.cost_usd - a.cost_usd || b.sessions - a.sessions || a.goal_type.localeCompare(b.goal_type) || a.workflow.localeCompare(b.workflow))
      .slice(0, MAX_TASKS),
  };
}

/** Task types listed at most. */
const MAX_TASKS = 200;

function figuresByAgent(totalRow: Row | undefined, agentRows: readonly Row[], live: readonly LiveSession[], recent: ReadonlyMap<string, number>): FiguresByAgent {
  const liveOf = (agent: string | null) => {
    const mine = agent === null ? live : live.filter((l) => l.agent === agent);
    const fresh = agent === null ? [...recent.values()].reduce((n, c) => n + c, 0) : recent.get(agent) ?? 0;
    return { running: mine.length, stale: mine.filter((l) => l.stale).length, fresh };
  };
  const agents = [...agentRows]
    .sort((a, b) => num(b.executions) - num(a.executions) || String(a.agent_name).localeCompare(String(b.agent_name)))
    .map((r) => ({ agent: String(r.agent_name), figures: toFigures(r, liveOf(String(r.agent_name))) }));
  // Agents seen only running now have no recorded session yet.
  for (const name of new Set(live.map((l) => l.agent))) {
    if (!agents.some((a) => a.agent === name)) agents.push({ agent: name, figures: toFigures(undefined, liveOf(name)) });
  }
  return { total: toFigures(totalRow, liveOf(null)), agents, live: [...live] };
}

/**
 * Recorded sessions still running that started after the stale threshold, by agent: every other
 * running session is stale. They all lie in the last hour or two, which is read raw.
 */
async function recentRunning(client: ClickHouseClient, scope: Scope): Promise<Map<string, number>> {
  const { where, params } = scopeFilter(scope);
  const rows = await readRows<{ agent_name: string; n: string }>(client,
    `SELECT agent_name, count() AS n FROM ${SESSIONS}
     WHERE ${where} AND status = 'running' AND started_at >= fromUnixTimestamp64Nano({stale_before_ns:Int64}) GROUP BY agent_name`,
    params);
  return new Map(rows.map((r) => [r.agent_name, num(r.n)]));
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

function toFigures(row: Row | undefined, live: { running: number; stale: number; fresh: number }): SessionFigures {
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
    stale_running: num(row?.running) - live.fresh + live.stale,
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

function taskCost(r: Row): TaskCost {
  const ended = num(r.executions) - num(r.running);
  return {
    goal_type: String(r.goal_type), workflow: String(r.workflow_name), sessions: num(r.executions), completed: num(r.completed),
    failed: num(r.failures), success_rate: ratio(num(r.completed), ended), input_tokens: num(r.input_tokens),
    output_tokens: num(r.output_tokens), cost_usd: usd(r.cost_usd), avg_cost_usd: usd(num(r.cost_usd) / Math.max(1, num(r.executions))),
  };
}
