import { DATABASE, TABLES } from '@agentflow/schemas';

/**
 * The hourly rollups' rows, defined once: the rollup job inserts these rows for closed hours, and
 * the analytics queries compute the same rows from raw records for every hour not rolled up, then
 * merge both alike. A figure therefore has one definition whichever way its hours are read.
 */

/** Statuses that count as a failure: the run ended without doing its job (cancelled is a decision, not a failure). */
export const FAILED_STATUSES = ['failed', 'timed_out'] as const;
/** `status IN (…)` for {@link FAILED_STATUSES}, for SQL (constants, not input). */
export const FAILED_SQL = `('${FAILED_STATUSES.join("', '")}')`;

/**
 * How duration quantiles are kept: exact when every hour is read raw (the answer then matches
 * `quantileExact`), t-digest states when rolled-up hours take part (their stored type).
 */
export type QuantileFunction = 'quantilesExact' | 'quantilesTDigest';

/** A column of a rollup row and the aggregate (or grouping expression) that computes it from raw records. */
type Column = readonly [name: string, expression: string];

/** One rollup: its table, the view it aggregates, its grouping columns and measures. */
export interface RollupShape {
  table: string;
  /** The FINAL view of the derived records: the latest version of each. */
  source: string;
  keys: readonly Column[];
  measures(quantiles: QuantileFunction): readonly Column[];
  /** Records that count at all, as a SQL condition (constants only). */
  only?: string;
}

const TOKENS = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens'] as const;
const sums = (names: readonly string[]): Column[] => names.map((n) => [n, `sum(${n})`] as const);
const plain = (names: readonly string[]): Column[] => names.map((n) => [n, n] as const);

/** Sessions by hour of start, agent, task type (goal type × workflow), status and error type. */
export const SESSION_ROLLUP: RollupShape = {
  table: `${DATABASE}.${TABLES.SESSION_ROLLUPS}`,
  source: `${DATABASE}.${TABLES.SESSIONS}`,
  keys: plain(['agent_name', 'goal_type', 'workflow_name', 'status', 'error_type']),
  measures: (q) => [
    ['sessions', 'count()'],
    ['duration_total_ms', 'sum(duration_ms)'],
    ['duration_max_ms', 'max(duration_ms)'],
    ['duration_q', `${q}State(0.5, 0.95, 0.99)(duration_ms)`],
    ...sums(['llm_calls', 'tool_calls', ...TOKENS, 'cost_usd', 'unpriced_calls']),
    ['first_started_at', 'min(started_at)'],
    ['last_started_at', 'max(started_at)'],
    ['sample_message', 'argMax(error_message, (started_at, session_id))'],
    ['sample_session_id', 'argMax(session_id, (started_at, session_id))'],
  ],
};

const MODEL_NAME = "if(model != '', model, request_model)";

/** Actions by hour of start, agent, type, step (the tool, else the model, else the span name) and model. */
export const ACTION_ROLLUP: RollupShape = {
  table: `${DATABASE}.${TABLES.ACTION_ROLLUPS}`,
  source: `${DATABASE}.${TABLES.ACTIONS}`,
  keys: [
    ['agent_name', 'agent_name'],
    ['action_type', 'action_type'],
    ['step', `multiIf(tool_name != '', tool_name, ${MODEL_NAME} != '', ${MODEL_NAME}, name)`],
    ['model_name', MODEL_NAME],
    ['provider', 'provider'],
  ],
  measures: (q) => [
    ['calls', 'count()'],
    ['failures', `countIf(status IN ${FAILED_SQL})`],
    ['retries', 'countIf(retry_attempt > 0)'],
    ['total_ms', 'sum(duration_ms)'],
    ['duration_q', `${q}State(0.5, 0.95)(duration_ms)`],
    ...sums([...TOKENS, 'cost_usd']),
    ['unpriced_calls', "countIf(cost_source = 'unknown')"],
  ],
};

/** Tool calls by hour, agent, tool, session and arguments: the groups that identical repeats are found in. */
export const REPEAT_ROLLUP: RollupShape = {
  table: `${DATABASE}.${TABLES.REPEAT_ROLLUPS}`,
  source: `${DATABASE}.${TABLES.ACTIONS}`,
  keys: plain(['agent_name', 'tool_name', 'session_id', 'args_hash']),
  measures: () => [['calls', 'count()']],
  only: "action_type = 'tool_call' AND args_hash != ''",
};

/** Every rollup, in the order the job writes them. */
export const ROLLUPS: readonly RollupShape[] = [SESSION_ROLLUP, ACTION_ROLLUP, REPEAT_ROLLUP];

/** The column names of a rollup row, tenant and hour first, in table order (computed_at aside). */
export function rollupColumns(shape: RollupShape): string[] {
  return ['tenant_id', 'hour', ...shape.keys.map(([n]) => n), ...shape.measures('quantilesTDigest').map(([n]) => n)];
}

/** Rollup rows computed from the raw records matching `where` (hours by UTC start). */
export function rawRollupRows(shape: RollupShape, quantiles: QuantileFunction, where: string): string {
  const keys = shape.keys.map(([n, e]) => (n === e ? n : `${e} AS ${n}`));
  const measures = shape.measures(quantiles).map(([n, e]) => `${e} AS ${n}`);
  return `SELECT tenant_id, toStartOfHour(started_at, 'UTC') AS hour, ${[...keys, ...measures].join(', ')}
    FROM ${shape.source} WHERE ${where}${shape.only ? ` AND ${shape.only}` : ''}
    GROUP BY tenant_id, hour, ${shape.keys.map(([n]) => n).join(', ')}`;
}

/** Stored rollup rows matching `where` (latest computation of each row). */
export function storedRollupRows(shape: RollupShape, where: string): string {
  return `SELECT ${rollupColumns(shape).join(', ')} FROM ${shape.table} FINAL WHERE ${where}`;
}
