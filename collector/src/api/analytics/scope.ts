import type { ClickHouseClient } from '@clickhouse/client';
import { withSettings } from '../../storage/index.js';
import { isoFromNs } from '../sessions/time.js';
import type { TimeRange } from './params.js';
import { SUGGESTION_THRESHOLDS } from '../../processing/index.js';

/** What one analytics answer reads: one tenant's records that started in a range, optionally of one agent. */
export interface Scope {
  tenant: string;
  range: TimeRange;
  /** An agent name, or null for every agent. */
  agent: string | null;
  /** The request's "now" in ms: running sessions older than an hour before it count as stale. */
  nowMs: number;
}

/**
 * The WHERE clause of a scope, tenant and time first (the sort key starts with the tenant; the
 * time bound prunes monthly partitions and the `started_at` minmax index), with its parameters.
 */
export function scopeFilter(scope: Scope): { where: string; params: Record<string, unknown> } {
  const where = [
    'tenant_id = {tenant:String}',
    'started_at >= fromUnixTimestamp64Nano({from_ns:Int64})',
    'started_at < fromUnixTimestamp64Nano({to_ns:Int64})',
  ];
  const params: Record<string, unknown> = {
    tenant: scope.tenant, from_ns: scope.range.fromNs.toString(), to_ns: scope.range.toNs.toString(),
    stale_before_ns: staleBeforeNs(scope.nowMs).toString(),
  };
  if (scope.agent !== null) {
    where.push('agent_name = {agent:String}');
    params.agent = scope.agent;
  }
  return { where: where.join(' AND '), params };
}

/** Start time before which a still-running session is stale, in ns. */
export function staleBeforeNs(nowMs: number): bigint {
  return BigInt(nowMs - SUGGESTION_THRESHOLDS.staleRunningMs) * 1_000_000n;
}

/**
 * Runs a read with bound parameters. The derived tables are views with FINAL over
 * ReplacingMergeTree tables whose versions of a row always share a partition (the month of the
 * record's own start), so FINAL need not merge across partitions, which lets it work partition
 * by partition in parallel. Settings travel in the statement: see `withSettings`.
 */
export async function readRows<T>(client: ClickHouseClient, sql: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({
    query: withSettings(sql, { do_not_merge_across_partitions_select_final: 1 }),
    format: 'JSONEachRow',
    query_params: params,
  });
  return rs.json<T>();
}

/** A ClickHouse number (64-bit integers arrive as strings) as a JS number; 0 for nothing. */
export function num(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** A number, or null for a figure over no rows (ClickHouse answers nan or null). */
export function numOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A ratio, or null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** USD rounded to 12 decimals: float sums of per-call costs drift in the last digits, no price has more. */
export function usd(value: unknown): number {
  return Math.round(num(value) * 1e12) / 1e12;
}

/** Nanoseconds in a string → ISO time, or null for none (0). */
export function isoOrNull(ns: unknown): string | null {
  return ns === undefined || ns === null || ns === '' || ns === '0' ? null : isoFromNs(String(ns));
}
