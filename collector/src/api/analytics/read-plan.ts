import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { rawRollupRows, storedRollupRows, type QuantileFunction, type RollupShape } from '../../processing/index.js';
import { readRows, staleBeforeNs, type Scope } from './scope.js';

const HOUR_NS = 3_600_000_000_000n;
/** Past this many separate runs of rolled-up hours (hours recomputed piecemeal), the range is read raw: the filter would outgrow its use. */
const MAX_ROLLED_RUNS = 32;

/** A time interval in ns since the epoch, `fromNs` inclusive, `toNs` exclusive. */
export interface Interval {
  fromNs: bigint;
  toNs: bigint;
}

/** How a scope's range is read: whole hours from the rollups, the rest (partial hours, open or stale hours) raw. */
export interface ReadPlan {
  rolled: Interval[];
  raw: Interval[];
}

/** How each kind of figure reads a scope's range. */
export interface ReadPlans {
  /** Action figures: every whole hour of the range, ended, whose rollup is current. */
  actions: ReadPlan;
  /**
   * Session figures and repeated calls: those hours that also ended before the stale-running
   * threshold. A rolled-up hour counts its running sessions as stale, and its repeat groups were
   * counted when the hour after it had barely begun; the raw read of the latest hours gets both right.
   */
  sessions: ReadPlan;
}

/**
 * Splits the scope's range into rolled-up hours and raw time. An hour is read from the rollups when
 * it lies wholly in the range, ended before the scope's "now" and its rollup is current
 * (`agent_rollup_hours`, not stale); for sessions, when it also ended before the stale-running
 * threshold.
 */
export async function planRead(client: ClickHouseClient, scope: Scope): Promise<ReadPlans> {
  const { fromNs, toNs } = scope.range;
  const firstHour = ceilHour(fromNs);
  // Only hours that ended before the request's "now" (a range may reach past it).
  const endHour = earlier(floorHour(toNs), floorHour(BigInt(scope.nowMs) * 1_000_000n));
  const sessionsEndHour = earlier(endHour, floorHour(staleBeforeNs(scope.nowMs)));
  if (firstHour >= endHour) return { actions: planOf([], scope.range), sessions: planOf([], scope.range) };
  const rows = await readRows<{ h: string }>(client,
    `SELECT toString(toUnixTimestamp(hour)) AS h FROM ${DATABASE}.${TABLES.ROLLUP_HOURS} FINAL
     WHERE tenant_id = {tenant:String} AND hour >= fromUnixTimestamp64Nano({first:Int64}) AND hour < fromUnixTimestamp64Nano({end:Int64}) AND stale = 0
     ORDER BY hour`,
    { tenant: scope.tenant, first: firstHour.toString(), end: endHour.toString() });
  const hours = rows.map(({ h }) => BigInt(h) * 1_000_000_000n);
  return { actions: planOf(hours, scope.range), sessions: planOf(hours.filter((h) => h < sessionsEndHour), scope.range) };
}

/** The plan reading `hours` (sorted hour starts, ns) from the rollups and the rest of `range` raw. */
function planOf(hours: readonly bigint[], range: Interval): ReadPlan {
  const rolled: Interval[] = [];
  for (const start of hours) {
    const last = rolled.at(-1);
    if (last && last.toNs === start) last.toNs = start + HOUR_NS;
    else rolled.push({ fromNs: start, toNs: start + HOUR_NS });
  }
  if (rolled.length > MAX_ROLLED_RUNS) return { rolled: [], raw: [{ fromNs: range.fromNs, toNs: range.toNs }] };
  const raw: Interval[] = [];
  let at = range.fromNs;
  for (const r of rolled) {
    if (r.fromNs > at) raw.push({ fromNs: at, toNs: r.fromNs });
    at = r.toNs;
  }
  if (at < range.toNs) raw.push({ fromNs: at, toNs: range.toNs });
  return { rolled, raw };
}

/** The rollup rows of a scope as one subquery: stored rows of its rolled hours and rows computed from raw records for the rest. */
export interface MergedRows {
  sql: string;
  params: Record<string, unknown>;
  /** How its duration quantiles are kept: merge them with `${quantiles}Merge`. */
  quantiles: QuantileFunction;
}

/** The scope's rows of one rollup, read as the plan says. */
export function mergedRows(shape: RollupShape, scope: Scope, plan: ReadPlan): MergedRows {
  const params: Record<string, unknown> = { tenant: scope.tenant };
  const where = ['tenant_id = {tenant:String}'];
  if (scope.agent !== null) {
    where.push('agent_name = {agent:String}');
    params.agent = scope.agent;
  }
  const raw = rawRollupRows(shape, plan.rolled.length > 0 ? 'quantilesTDigest' : 'quantilesExact',
    [...where, within('started_at', plan.raw, 'raw', params)].join(' AND '));
  if (plan.rolled.length === 0) return { sql: `(${raw})`, params, quantiles: 'quantilesExact' };
  const stored = storedRollupRows(shape, [...where, within('hour', plan.rolled, 'rolled', params)].join(' AND '));
  return { sql: `(${stored}\n    UNION ALL\n    ${raw})`, params, quantiles: 'quantilesTDigest' };
}

/** `column` within any of the intervals (bound as parameters named after `prefix`); false for none. */
function within(column: string, intervals: readonly Interval[], prefix: string, params: Record<string, unknown>): string {
  if (intervals.length === 0) return '0';
  const terms = intervals.map((iv, i) => {
    params[`${prefix}${i}_from`] = iv.fromNs.toString();
    params[`${prefix}${i}_to`] = iv.toNs.toString();
    return `(${column} >= fromUnixTimestamp64Nano({${prefix}${i}_from:Int64}) AND ${column} < fromUnixTimestamp64Nano({${prefix}${i}_to:Int64}))`;
  });
  return `(${terms.join(' OR ')})`;
}

function earlier(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function floorHour(ns: bigint): bigint {
  return ns - (((ns % HOUR_NS) + HOUR_NS) % HOUR_NS);
}

function ceilHour(ns: bigint): bigint {
  const floor = floorHour(ns);
  return floor === ns ? ns : floor + HOUR_NS;
}
