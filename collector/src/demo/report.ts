import type { SqlResponse } from '../api/index.js';
import { postJson, type ServerTarget } from '../cli/http.js';
import { renderTable } from '../cli/table.js';
import {
  actionsByTypeSql, anomaliesSql, anomalyCountSql, communicationsSql, decisionsSql, instancesSql, repeatedCallsSql, runningSessionsSql, sessionsSql, settledSessionsSql,
  statePathsSql, totalCostSql,
} from './demo-sql.js';

/** What the report covers: the run's traces and processes. */
export interface ReportScope {
  traceIds: string[];
  instanceIds: string[];
}

const POLL_MS = 250;

function sql(target: ServerTarget, query: string): Promise<SqlResponse> {
  return postJson<SqlResponse>(target, '/api/v1/sql', { query });
}

/**
 * Polls until `expected` ended sessions of the traces are derived — the collector derives a trace
 * once its root span arrived and it went quiet — or `timeoutMs` passed. Returns how many it saw.
 */
export async function waitForSessions(target: ServerTarget, traceIds: string[], expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await sql(target, settledSessionsSql(traceIds));
    const seen = Number(result.rows[0]?.n ?? 0);
    if (seen >= expected || Date.now() >= deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Polls until an anomaly of `kind` is recorded for the traces, or `timeoutMs` passed; says whether it was. */
export async function waitForAnomaly(target: ServerTarget, traceIds: string[], kind: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await sql(target, anomalyCountSql(traceIds, kind));
    if (Number(result.rows[0]?.n ?? 0) > 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Prints a titled table, or a line saying there is nothing to show. */
export async function section(target: ServerTarget, title: string, query: string, out: (text: string) => void, empty = '(none)'): Promise<SqlResponse> {
  const result = await sql(target, query);
  out(`\n${title}`);
  out(result.rowCount === 0 ? `  ${empty}` : renderTable(result.columns.map((c) => c.name), result.rows).replace(/^/gm, '  '));
  return result;
}

/**
 * Prints what agentflow recorded for the run, read back through `POST /api/v1/sql`: sessions,
 * state paths, decisions, messages, actions by type, repeated tool calls, sessions still running,
 * the processes' registry entries and the total cost.
 */
export async function printReport(target: ServerTarget, scope: ReportScope, out: (text: string) => void): Promise<void> {
  const { traceIds, instanceIds } = scope;
  await section(target, 'Sessions (agentflow.agent_sessions)', sessionsSql(traceIds), out);
  await section(target, 'State paths (agent_state_transitions)', statePathsSql(traceIds), out);
  await section(target, 'Decisions (agent_decisions)', decisionsSql(traceIds), out);
  await section(target, 'Messages and delegations (agent_communications)', communicationsSql(traceIds), out);
  await section(target, 'Actions by type (agent_actions)', actionsByTypeSql(traceIds), out);
  await section(target, 'Repeated tool calls, same arguments (possible loops)', repeatedCallsSql(traceIds), out);
  await section(target, 'Still running when the demo stopped (agent_live_sessions, from live span-start records)', runningSessionsSql(traceIds), out);
  await section(target, 'Anomalies (agentflow.anomalies: loops, stuck sessions, budgets)', anomaliesSql(traceIds), out);
  await section(target, 'Agent processes (agent_instances, from heartbeats)', instancesSql(instanceIds), out);
  const total = (await sql(target, totalCostSql(traceIds))).rows[0] ?? {};
  const unpriced = Number(total.unpriced ?? 0);
  out(`\nTotal cost: $${Number(total.total ?? 0).toFixed(6)} for ${String(total.llm_calls ?? 0)} LLM calls`
    + ` (${String(total.computed ?? 0)} priced from the model price table${unpriced > 0 ? `, ${unpriced} unpriced` : ''})`);
}
