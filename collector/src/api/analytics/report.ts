import type { ClickHouseClient } from '@clickhouse/client';
import { isoFromNs } from '../sessions/time.js';
import { anomalyFigures, type AnomalyFigures } from './anomaly-stats.js';
import { qualityFigures, type QualityFigures } from './quality-stats.js';
import { actionFigures, repeatedToolCalls, type ModelUse, type RepeatedCalls, type StepFigures } from './action-stats.js';
import { hourlyPattern, type HourlyCount, type HourlyPattern } from './hourly.js';
import { rangeInfo, type RangeInfo } from './params.js';
import { ratio, usd, type Scope } from './scope.js';
import { planRead } from './read-plan.js';
import { sessionReport, type FailureCount, type SessionFigures, type TaskCost } from './session-stats.js';
import { suggest, type Suggestion } from '../../processing/index.js';

/** Bottleneck steps listed, largest share of session time first. */
export const TOP_STEPS = 10;

/** Failed sessions with one error type. */
export interface FailureGroup {
  /** As recorded (`error.type`); '' when the failure named none. */
  error_type: string;
  sessions: number;
  /** Share of all failed sessions in scope. */
  share: number;
  /** The most recent failure's message and session, to start looking from. */
  sample_message: string;
  sample_session_id: string;
  last_seen: string;
  agents: string[];
}

/** A step that takes a large share of an agent's session time. */
export interface Bottleneck {
  agent: string;
  action_type: string;
  step: string;
  calls: number;
  failures: number;
  total_ms: number;
  avg_ms: number;
  p50_ms: number;
  p95_ms: number;
  /** total_ms over the agent's session time (ended sessions); null when that is 0. */
  share_of_session_time: number | null;
}

/** One tool across the agents in scope. */
export interface ToolUsage {
  tool: string;
  calls: number;
  failures: number;
  failure_rate: number;
  success_rate: number;
  retries: number;
  avg_ms: number;
  p50_ms: number;
  p95_ms: number;
  agents: string[];
}

/** Tokens and cost of one model across the agents in scope. */
export type ModelCost = Omit<ModelUse, 'agent'> & { share: number | null; agents: string[] };

/** Tokens and cost of one agent's sessions. */
export interface AgentCost {
  agent: string;
  sessions: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  share: number | null;
  unpriced_calls: number;
}

/** Tokens and cost, in total and by agent, model and task type. */
export interface CostBreakdown {
  total_usd: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  /** LLM calls without a price: total_usd is a lower bound when > 0. */
  unpriced_calls: number;
  unpriced_models: string[];
  by_agent: AgentCost[];
  by_model: ModelCost[];
  by_task: TaskCost[];
}

/** Answer of `GET /analytics/agents/:agent`, and the body of the overview. */
export interface AnalyticsReport {
  range: RangeInfo;
  /** The agent, or null for the overview of every agent. */
  agent: string | null;
  summary: SessionFigures;
  hourly: HourlyPattern;
  failures: FailureGroup[];
  bottlenecks: Bottleneck[];
  tools: ToolUsage[];
  cost: CostBreakdown;
  repeated_tool_calls: RepeatedCalls[];
  /** Anomalies detected in the range: total, open and critical, by kind and by agent. */
  anomalies: AnomalyFigures;
  /** Answer quality per agent and model, over calls whose output was captured and scored. */
  quality: QualityFigures;
  suggestions: Suggestion[];
}

/** One agent's row in the overview. */
export type AgentRow = { agent: string } & SessionFigures;

/** Answer of `GET /analytics/overview`: the report over every agent, plus one row per agent. */
export interface Overview extends AnalyticsReport {
  agents: AgentRow[];
}

/**
 * The analytics of a scope (one agent or all), every query filtered by tenant and time first, run
 * in parallel: rolled-up hours from the hourly rollups, the rest of the range raw (see `planRead`).
 */
export async function loadReport(client: ClickHouseClient, scope: Scope): Promise<Overview> {
  const plans = await planRead(client, scope);
  const [{ figures, hours, failures, tasks }, { steps, models }, repeats, anomalies, quality] = await Promise.all([
    sessionReport(client, scope, plans.sessions), actionFigures(client, scope, plans.actions), repeatedToolCalls(client, scope, plans.sessions),
    anomalyFigures(client, scope), qualityFigures(client, scope),
  ]);
  const sessionTime = new Map(figures.agents.map((a) => [a.agent, a.figures.duration_ms.total]));
  const total = figures.total;
  return {
    range: rangeInfo(scope.range),
    agent: scope.agent,
    summary: total,
    hourly: hourlyPattern(withLive(hours, figures.live), scope.range),
    failures: failureGroups(failures),
    bottlenecks: steps.filter((s) => s.agent !== null).slice(0, TOP_STEPS).map((s) => bottleneck(s, sessionTime)),
    tools: steps.filter((s) => s.agent === null && s.action_type === 'tool_call').map(toolUsage)
      .sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool)),
    cost: {
      total_usd: total.cost_usd, input_tokens: total.input_tokens, output_tokens: total.output_tokens, cache_read_tokens: total.cache_read_tokens,
      cache_write_tokens: total.cache_write_tokens, reasoning_tokens: total.reasoning_tokens, unpriced_calls: total.unpriced_calls,
      unpriced_models: [...new Set(models.filter((m) => m.unpriced_calls > 0).map((m) => m.model))].sort(),
      by_agent: figures.agents.map((a) => ({
        agent: a.agent, sessions: a.figures.executions, input_tokens: a.figures.input_tokens, output_tokens: a.figures.output_tokens,
        cost_usd: a.figures.cost_usd, share: ratio(a.figures.cost_usd, total.cost_usd), unpriced_calls: a.figures.unpriced_calls,
      })).sort((a, b) => b.cost_usd - a.cost_usd || a.agent.localeCompare(b.agent)),
      by_model: byModel(models),
      by_task: tasks,
    },
    repeated_tool_calls: repeats,
    anomalies,
    quality,
    suggestions: suggest({ agents: figures.agents, failures, steps, models, repeats }),
    agents: figures.agents.map((a) => ({ agent: a.agent, ...a.figures })),
  };
}

/** Live sessions count as executions in the hour they started. */
function withLive(hours: readonly HourlyCount[], live: readonly { started_ns: string }[]): HourlyCount[] {
  const out = hours.map((h) => ({ ...h }));
  for (const l of live) {
    const hour = Number(BigInt(l.started_ns) / 3_600_000_000_000n);
    const found = out.find((h) => h.hour === hour);
    if (found) found.executions += 1;
    else out.push({ hour, executions: 1, failures: 0 });
  }
  return out;
}

/** Per-agent failure counts merged by error type: counts add up, the sample is the most recent. */
function failureGroups(rows: readonly FailureCount[]): FailureGroup[] {
  const all = rows.reduce((n, r) => n + r.sessions, 0);
  const groups = new Map<string, FailureGroup & { lastNs: bigint }>();
  for (const r of rows) {
    const lastNs = BigInt(r.last_ns);
    const g = groups.get(r.error_type);
    if (!g) {
      groups.set(r.error_type, {
        error_type: r.error_type, sessions: r.sessions, share: 0, sample_message: r.sample_message, sample_session_id: r.sample_session_id,
        last_seen: isoFromNs(lastNs), agents: [r.agent], lastNs,
      });
      continue;
    }
    g.sessions += r.sessions;
    g.agents.push(r.agent);
    if (lastNs > g.lastNs) Object.assign(g, { lastNs, last_seen: isoFromNs(lastNs), sample_message: r.sample_message, sample_session_id: r.sample_session_id });
  }
  return [...groups.values()]
    .map(({ lastNs: _lastNs, ...g }) => ({ ...g, share: g.sessions / all, agents: [...g.agents].sort() }))
    .sort((a, b) => b.sessions - a.sessions || a.error_type.localeCompare(b.error_type));
}

function bottleneck(s: StepFigures, sessionTime: ReadonlyMap<string, number>): Bottleneck {
  const agent = s.agent ?? '';
  return {
    agent, action_type: s.action_type, step: s.step, calls: s.calls, failures: s.failures, total_ms: s.total_ms, avg_ms: s.avg_ms,
    p50_ms: s.p50_ms, p95_ms: s.p95_ms, share_of_session_time: ratio(s.total_ms, sessionTime.get(agent) ?? 0),
  };
}

function toolUsage(s: StepFigures): ToolUsage {
  return {
    tool: s.step, calls: s.calls, failures: s.failures, failure_rate: s.failures / s.calls, success_rate: (s.calls - s.failures) / s.calls,
    retries: s.retries, avg_ms: s.avg_ms, p50_ms: s.p50_ms, p95_ms: s.p95_ms, agents: s.agents,
  };
}

/** Per-agent model use summed by model and provider (sums only: additive across agents). */
function byModel(models: readonly ModelUse[]): ModelCost[] {
  const out = new Map<string, ModelCost>();
  for (const { agent, ...m } of models) {
    const key = `${m.provider}\u0000${m.model}`;
    const found = out.get(key);
    if (!found) {
      out.set(key, { ...m, share: null, agents: [agent] });
      continue;
    }
    for (const k of ['calls', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'unpriced_calls'] as const) found[k] += m[k];
    found.agents.push(agent);
  }
  const total = [...out.values()].reduce((n, m) => n + m.cost_usd, 0);
  return [...out.values()]
    .map((m) => ({ ...m, cost_usd: usd(m.cost_usd), share: ratio(m.cost_usd, total), agents: [...m.agents].sort() }))
    .sort((a, b) => b.cost_usd - a.cost_usd || b.calls - a.calls || a.model.localeCompare(b.model));
}
