import type { ClickHouseClient } from '@clickhouse/client';
import { mergedRows, type ReadPlan } from './read-plan.js';
import { ACTION_ROLLUP, REPEAT_ROLLUP, SUGGESTION_THRESHOLDS, type StepInput } from '../../processing/index.js';
import { num, readRows, usd, type Scope } from './scope.js';
import type { UsageFigures } from '../usage-figures.js';

/**
 * Action figures. Actions are counted by their own start time in the range (a session straddling
 * the range's edge contributes the actions on each side to each side).
 */

/** The calls of one step (an action of one type and name) by one agent, or by every agent (`agent` null), with its durations. */
export interface StepFigures extends StepInput {
  total_ms: number;
  avg_ms: number;
  p50_ms: number;
  p95_ms: number;
  /** Agents that ran the step, sorted (the first 16). */
  agents: string[];
}

/** Calls, tokens and cost of one model used by one agent. */
export interface ModelUse extends UsageFigures {
  agent: string;
  model: string;
  provider: string;
  calls: number;
  /** Calls whose model has no price (cost_source unknown). */
  unpriced_calls: number;
}

/** Steps (per agent and across agents) and model use (per agent) of a scope. */
export interface ActionFigures {
  steps: StepFigures[];
  models: ModelUse[];
}

const TOKENS = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens'] as const;

/** `grouping(agent_name, action_type, model_name)` of each grouping set: a bit is set where the column is aggregated over. */
const SET = { agentStep: 0b001, step: 0b101, agentModel: 0b010 } as const;

type Row = Record<string, unknown> & { q: number[]; agents: string[]; g: number };

/** The action rollup's columns that add up across rows. */
const SUMMED = ['calls', 'failures', 'retries', 'total_ms', ...TOKENS, 'cost_usd', 'unpriced_calls'] as const;
const KEYS = 'agent_name, action_type, step, model_name, provider';
const sums = SUMMED.map((c) => `sum(${c}) AS ${c}`).join(', ');

/**
 * Steps per agent, steps across agents (per-step quantiles across agents cannot be merged from
 * per-agent ones) and model use per agent, in one statement (GROUPING SETS). Quantiles are exact
 * when every hour is read raw, t-digest estimates otherwise.
 *
 * The scope's rollup rows (one per hour and step: tens of thousands over a week) are first merged
 * into one row per agent, step and model, and the grouping sets aggregate those. Merging duration
 * states is most of the statement's cost, and each grouping set would otherwise merge every hourly
 * state again.
 */
export async function actionFigures(client: ClickHouseClient, scope: Scope, plan: ReadPlan): Promise<ActionFigures> {
  const source = mergedRows(ACTION_ROLLUP, scope, plan);
  const rows = await readRows<Row>(client,
    `SELECT agent_name, action_type, provider, model_name, step,
       grouping(agent_name, action_type, model_name) AS g,
       ${sums}, total_ms / calls AS avg_ms, ${source.quantiles}Merge(0.5, 0.95)(duration_q) AS q,
       arraySlice(arraySort(groupUniqArray(agent_name)), 1, 16) AS agents
     FROM (
       SELECT ${KEYS}, ${sums}, ${source.quantiles}MergeState(0.5, 0.95)(duration_q) AS duration_q
       FROM ${source.sql} GROUP BY ${KEYS}
     )
     GROUP BY GROUPING SETS ((agent_name, action_type, step), (action_type, step), (agent_name, model_name, provider))
     ORDER BY total_ms DESC, calls DESC, step, agent_name, model_name
     LIMIT 10000`,
    source.params);
  const steps: StepFigures[] = [];
  const models: ModelUse[] = [];
  for (const r of rows) {
    const g = Number(r.g);
    if (g === SET.agentModel) {
      if (r.model_name !== '') models.push(modelUseOf(r));
      continue;
    }
    steps.push({
      agent: g === SET.step ? null : String(r.agent_name), action_type: String(r.action_type), step: String(r.step),
      calls: num(r.calls), failures: num(r.failures), retries: num(r.retries), total_ms: num(r.total_ms), avg_ms: num(r.avg_ms),
      p50_ms: num(r.q[0]), p95_ms: num(r.q[1]), agents: r.agents.map(String),
    });
  }
  models.sort((a, b) => b.cost_usd - a.cost_usd || b.calls - a.calls || a.agent.localeCompare(b.agent) || a.model.localeCompare(b.model));
  return { steps, models };
}

function modelUseOf(r: Row): ModelUse {
  const use: ModelUse = {
    agent: String(r.agent_name), model: String(r.model_name), provider: String(r.provider), calls: num(r.calls),
    input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0,
    cost_usd: usd(r.cost_usd), unpriced_calls: num(r.unpriced_calls),
  };
  for (const k of TOKENS) use[k] = num(r[k]);
  return use;
}

/** Identical tool calls repeated within sessions: the same tool with the same arguments (args_hash). */
export interface RepeatedCalls {
  agent: string;
  tool: string;
  /** Sessions where some call of the tool was repeated at least `SUGGESTION_THRESHOLDS.repeatMin` times. */
  sessions: number;
  /** Distinct (session, arguments) pairs repeated that often. */
  groups: number;
  /** Calls in those groups. */
  calls: number;
  /** Most repeats of one call in one session. */
  max_repeats: number;
  /** The session with the most repeats (latest session id on ties). */
  example_session_id: string;
}

/**
 * Tools called with identical arguments at least `SUGGESTION_THRESHOLDS.repeatMin` times in a
 * session, by agent: the scope's repeat groups summed over hours, then the repeated ones counted.
 */
export async function repeatedToolCalls(client: ClickHouseClient, scope: Scope, plan: ReadPlan): Promise<RepeatedCalls[]> {
  const source = mergedRows(REPEAT_ROLLUP, scope, plan);
  const rows = await readRows<Record<string, unknown>>(client,
    `SELECT agent_name, tool_name, uniqExact(session_id) AS sessions, count() AS groups, sum(n) AS calls, max(n) AS max_repeats,
       argMax(session_id, (n, session_id)) AS example_session_id
     FROM (
       SELECT agent_name, session_id, tool_name, args_hash, sum(calls) AS n FROM ${source.sql}
       GROUP BY agent_name, session_id, tool_name, args_hash HAVING n >= {repeat_min:UInt32}
     )
     GROUP BY agent_name, tool_name ORDER BY calls DESC, agent_name, tool_name LIMIT 200`,
    { ...source.params, repeat_min: SUGGESTION_THRESHOLDS.repeatMin });
  return rows.map((r) => ({
    agent: String(r.agent_name), tool: String(r.tool_name), sessions: num(r.sessions), groups: num(r.groups), calls: num(r.calls),
    max_repeats: num(r.max_repeats), example_session_id: String(r.example_session_id),
  }));
}
