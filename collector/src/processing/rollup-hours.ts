import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { withSettings } from '../storage/index.js';
import { REPEAT_ROLLUP, ROLLUPS, rawRollupRows, rollupColumns } from './analytics/rollup-shapes.js';
import { SUGGESTION_THRESHOLDS } from './analytics/thresholds.js';

/** One hour in ns since the epoch. */
export const HOUR_NS = 3_600_000_000_000n;

const LEDGER = `${DATABASE}.${TABLES.ROLLUP_HOURS}`;
const SOURCES = [TABLES.SESSIONS_DATA, TABLES.ACTIONS_DATA].map((t) => `${DATABASE}.${t}`);

/** An hour of one tenant whose derived rows are newer than its rollup (or that has none). */
export interface ChangedHour {
  tenant: string;
  /** Start of the hour, ns. */
  hourNs: bigint;
  /** Newest version of a derived row in the hour: a derivation time, ns. */
  version: bigint;
}

/** Where to look for changes: rows derived after `sinceVersion`, or started at or after `newFromNs`; hours before `closedBeforeNs` only. */
export interface ChangeScan {
  sinceVersion: bigint;
  newFromNs: bigint;
  closedBeforeNs: bigint;
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  // Versions of a row share a partition (the month of its start): FINAL need not merge across them.
  const rs = await client.query({ query: withSettings(query, { do_not_merge_across_partitions_select_final: 1 }), format: 'JSONEachRow', query_params: params });
  return rs.json<T>();
}

/**
 * Closed hours whose derived sessions or actions changed since they were rolled up: rows derived
 * after the scan's version, or in hours closed since the last scan (both prune: the versions by
 * their minmax index, the hours by the sort key), compared with the ledger's version per hour; and
 * hours a purge marked stale.
 */
export async function changedHours(client: ClickHouseClient, scan: ChangeScan): Promise<ChangedHour[]> {
  const recent = SOURCES.map((t) => `SELECT tenant_id, toStartOfHour(started_at, 'UTC') AS hour, version FROM ${t}
      WHERE (version > {since:UInt64} OR started_at >= fromUnixTimestamp64Nano({new_from:Int64})) AND started_at < fromUnixTimestamp64Nano({closed:Int64})`);
  const found = await rows<{ tenant_id: string; h: string; v: string }>(client,
    `SELECT d.tenant_id AS tenant_id, toString(toUnixTimestamp(d.hour)) AS h, toString(d.v) AS v
     FROM (SELECT tenant_id, hour, max(version) AS v FROM (${recent.join(' UNION ALL ')}) GROUP BY tenant_id, hour) AS d
     LEFT JOIN (SELECT tenant_id, hour, source_version, stale FROM ${LEDGER} FINAL) AS l ON l.tenant_id = d.tenant_id AND l.hour = d.hour
     WHERE d.v > l.source_version OR l.stale = 1
     UNION ALL
     SELECT tenant_id, toString(toUnixTimestamp(hour)), '0' FROM ${LEDGER} FINAL WHERE stale = 1 AND hour < fromUnixTimestamp64Nano({closed:Int64})`,
    { since: scan.sinceVersion.toString(), new_from: scan.newFromNs.toString(), closed: scan.closedBeforeNs.toString() });
  const byHour = new Map<string, ChangedHour>();
  for (const r of found) {
    const hour: ChangedHour = { tenant: r.tenant_id, hourNs: BigInt(r.h) * 1_000_000_000n, version: BigInt(r.v) };
    const key = `${hour.tenant}\u0000${hour.hourNs}`;
    const seen = byHour.get(key);
    if (!seen || seen.version < hour.version) byHour.set(key, hour);
  }
  return [...byHour.values()];
}

/** A run of whole hours of one tenant, recomputed together. */
export interface HourRun {
  tenant: string;
  fromNs: bigint;
  toNs: bigint;
}

/**
 * Recomputes every rollup of the run's hours from the FINAL views and records them in the ledger.
 * Order matters for readers: new rows first (FINAL replaces equal keys), then the ledger (the hours
 * become readable from rollups), then the previous computation's leftover rows (groups that no
 * longer exist) are deleted. Repeat groups are counted over the run and an hour either side, so a
 * group repeated across an hour boundary reaches the threshold in each hour it has calls in.
 */
export async function recomputeRun(client: ClickHouseClient, run: HourRun, computedAt: bigint): Promise<void> {
  const params = {
    tenant: run.tenant, from: run.fromNs.toString(), to: run.toNs.toString(), computed_at: computedAt.toString(),
    window_from: (run.fromNs - HOUR_NS).toString(), window_to: (run.toNs + HOUR_NS).toString(), repeat_min: SUGGESTION_THRESHOLDS.repeatMin,
  };
  const inRun = (column: string, from = 'from', to = 'to') =>
    `tenant_id = {tenant:String} AND ${column} >= fromUnixTimestamp64Nano({${from}:Int64}) AND ${column} < fromUnixTimestamp64Nano({${to}:Int64})`;
  const versions = await sourceVersions(client, run);
  for (const shape of ROLLUPS) {
    const columns = rollupColumns(shape).join(', ');
    const select = shape === REPEAT_ROLLUP
      ? `SELECT ${columns} FROM (
           SELECT *, sum(calls) OVER (PARTITION BY agent_name, session_id, tool_name, args_hash) AS group_calls
           FROM (${rawRollupRows(shape, 'quantilesTDigest', inRun('started_at', 'window_from', 'window_to'))}))
         WHERE group_calls >= {repeat_min:UInt32} AND ${inRun('hour')}`
      : `SELECT ${columns} FROM (${rawRollupRows(shape, 'quantilesTDigest', inRun('started_at'))})`;
    await client.command({
      query: withSettings(`INSERT INTO ${shape.table} (${columns}, computed_at) SELECT *, {computed_at:UInt64} FROM (${select})`,
        { async_insert: 0, do_not_merge_across_partitions_select_final: 1 }),
      query_params: params,
    });
  }
  const hours: number[] = [];
  for (let h = run.fromNs; h < run.toNs; h += HOUR_NS) hours.push(Number(h / 1_000_000_000n));
  await client.command({
    query: withSettings(`INSERT INTO ${LEDGER} (tenant_id, hour, source_version, stale, computed_at)
      SELECT {tenant:String}, toDateTime(p.1, 'UTC'), toUInt64(p.2), 0, {computed_at:UInt64} FROM (SELECT arrayJoin(arrayZip({hours:Array(UInt32)}, {versions:Array(String)})) AS p)`,
    { async_insert: 0 }),
    query_params: { ...params, hours, versions: hours.map((h) => (versions.get(BigInt(h) * 1_000_000_000n) ?? 0n).toString()) },
  });
  for (const shape of ROLLUPS) {
    await client.command({ query: `DELETE FROM ${shape.table} WHERE ${inRun('hour')} AND computed_at < {computed_at:UInt64}`, query_params: params });
  }
}

/** Newest derived version per hour of the run, read before the rollups so a row derived meanwhile makes the hour change again. */
async function sourceVersions(client: ClickHouseClient, run: HourRun): Promise<Map<bigint, bigint>> {
  const found = await rows<{ h: string; v: string }>(client,
    `SELECT toString(toUnixTimestamp(hour)) AS h, toString(max(version)) AS v FROM (${SOURCES.map((t) => `
       SELECT toStartOfHour(started_at, 'UTC') AS hour, version FROM ${t}
       WHERE tenant_id = {tenant:String} AND started_at >= fromUnixTimestamp64Nano({from:Int64}) AND started_at < fromUnixTimestamp64Nano({to:Int64})`).join(' UNION ALL ')})
     GROUP BY hour`,
    { tenant: run.tenant, from: run.fromNs.toString(), to: run.toNs.toString() });
  return new Map(found.map((r) => [BigInt(r.h) * 1_000_000_000n, BigInt(r.v)]));
}
