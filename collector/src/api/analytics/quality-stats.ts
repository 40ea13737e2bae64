import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { DEFAULT_QUALITY_OPTIONS } from '../../assembly/quality/index.js';
import { num, readRows, scopeFilter, type Scope } from './scope.js';

/** Answer quality of one agent's calls to one model. */
export interface ModelQuality {
  agent: string;
  model: string;
  /** Calls with a score (their output was captured and judged). */
  scored_calls: number;
  /** Mean score, 0–1. */
  mean_score: number;
  /** Calls under {@link QualityFigures.poor_threshold}. */
  poor_calls: number;
}

/** Answer quality over the range: every (agent, model) with scored calls, poorest mean first. */
export interface QualityFigures {
  /** The built-in threshold for poor (a detection file may set another for live detection). */
  poor_threshold: number;
  by_agent_model: ModelQuality[];
}

/**
 * Quality per agent and model of the scope's model calls that have a score. Read raw from the
 * actions (latest versions), not from the hourly rollups, which do not hold scores: only calls
 * with captured content have one, and the tenant/time bound leads the sort key.
 */
export async function qualityFigures(client: ClickHouseClient, scope: Scope): Promise<QualityFigures> {
  const { where, params } = scopeFilter(scope);
  const poor = DEFAULT_QUALITY_OPTIONS.poorThreshold;
  const rows = await readRows<{ agent_name: string; model: string; calls: unknown; mean: unknown; poor: unknown }>(client,
    `SELECT agent_name, model, count() AS calls, avg(quality_score) AS mean, countIf(quality_score < {poor:Float64}) AS poor
     FROM ${DATABASE}.${TABLES.ACTIONS_DATA} FINAL
     WHERE ${where} AND quality_score IS NOT NULL
     GROUP BY agent_name, model`,
    { ...params, poor });
  return {
    poor_threshold: poor,
    by_agent_model: rows
      .map((r) => ({ agent: r.agent_name, model: r.model, scored_calls: num(r.calls), mean_score: Number(num(r.mean).toFixed(4)), poor_calls: num(r.poor) }))
      .sort((a, b) => a.mean_score - b.mean_score || b.scored_calls - a.scored_calls || a.agent.localeCompare(b.agent) || a.model.localeCompare(b.model)),
  };
}
