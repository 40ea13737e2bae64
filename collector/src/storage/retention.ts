import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES, TENANT_COLUMNS } from '@agentflow/schemas';

/** How long rows are kept, in days; 0 keeps them forever. */
export interface RetentionDays {
  raw: number;
  derived: number;
}

interface Retained {
  table: string;
  /** A DateTime or DateTime64 column: the row's own time. */
  timeColumn: string;
  kind: keyof RetentionDays;
}

/** Every table with rows that age, with the columns retention and purge go by. */
const RETAINED: readonly Retained[] = [
  { table: TABLES.TRACES, timeColumn: 'Timestamp', kind: 'raw' },
  { table: TABLES.TRACES_TRACE_ID_TS, timeColumn: 'Start', kind: 'raw' },
  { table: TABLES.LOGS, timeColumn: 'TimestampTime', kind: 'raw' },
  { table: TABLES.SESSIONS_DATA, timeColumn: 'started_at', kind: 'derived' },
  { table: TABLES.ACTIONS_DATA, timeColumn: 'started_at', kind: 'derived' },
  { table: TABLES.TRANSITIONS_DATA, timeColumn: 'entered_at', kind: 'derived' },
  { table: TABLES.DECISIONS_DATA, timeColumn: 'decided_at', kind: 'derived' },
  { table: TABLES.COMMUNICATIONS_DATA, timeColumn: 'sent_at', kind: 'derived' },
  { table: TABLES.ANOMALIES_DATA, timeColumn: 'detected_at', kind: 'derived' },
  // Hourly rollups age with the records they sum (an hour goes when its start is past the TTL,
  // up to an hour before its last records do).
  { table: TABLES.SESSION_ROLLUPS, timeColumn: 'hour', kind: 'derived' },
  { table: TABLES.ACTION_ROLLUPS, timeColumn: 'hour', kind: 'derived' },
  { table: TABLES.REPEAT_ROLLUPS, timeColumn: 'hour', kind: 'derived' },
  { table: TABLES.ROLLUP_HOURS, timeColumn: 'hour', kind: 'derived' },
];

/**
 * Sets each table's TTL from the configured days, when it differs from what the table has.
 * Tables are partitioned by day or month and use `ttl_only_drop_parts` where they can, so expiry
 * drops whole parts; `materialize_ttl_after_modify = 0` keeps a changed TTL from rewriting every
 * existing part at start-up (old parts expire as they merge or their partition is dropped).
 * Returns the tables whose TTL changed.
 */
export async function applyRetention(client: ClickHouseClient, days: RetentionDays): Promise<string[]> {
  const rs = await client.query({
    query: 'SELECT name, create_table_query FROM system.tables WHERE database = {db:String}',
    format: 'JSONEachRow',
    query_params: { db: DATABASE },
  });
  const ddl = new Map((await rs.json<{ name: string; create_table_query: string }>()).map((r) => [r.name, r.create_table_query]));
  const changed: string[] = [];
  for (const r of RETAINED) {
    const keep = days[r.kind];
    const current = ddl.get(r.table) ?? '';
    const expression = `toDateTime(${r.timeColumn}) + toIntervalDay(${keep})`;
    const has = /\bTTL\b/.test(current);
    if (keep === 0 ? !has : current.includes(`TTL ${expression}`)) continue;
    const alter = keep === 0
      ? `ALTER TABLE ${DATABASE}.${r.table} REMOVE TTL`
      : `ALTER TABLE ${DATABASE}.${r.table} MODIFY TTL ${expression} SETTINGS materialize_ttl_after_modify = 0`;
    await client.command({ query: alter });
    changed.push(r.table);
  }
  return changed;
}

/** Rows a purge deleted from one table. */
export interface PurgedTable {
  table: string;
}

/**
 * Deletes one tenant's rows older than `beforeNs` from every table (lightweight DELETE: rows
 * vanish from queries at once, parts are rewritten in the background). Calls `onTable` as each
 * table is done. Rollups of the hour the cut falls in go too, and the hour is marked stale: the
 * analytics read it raw until the rollup job recomputes it from the rows left.
 */
export async function purgeBefore(client: ClickHouseClient, tenantId: string, beforeNs: bigint, onTable: (t: PurgedTable) => void): Promise<void> {
  for (const r of RETAINED) {
    await client.command({
      query: `DELETE FROM ${DATABASE}.${r.table} WHERE ${TENANT_COLUMNS[r.table]} = {tenant:String} AND ${r.timeColumn} < fromUnixTimestamp64Nano({before:Int64})`,
      query_params: { tenant: tenantId, before: beforeNs.toString() },
    });
    onTable({ table: r.table });
  }
  if (beforeNs % HOUR_NS !== 0n) {
    await client.command({
      query: `INSERT INTO ${DATABASE}.${TABLES.ROLLUP_HOURS} (tenant_id, hour, source_version, stale, computed_at)
        SELECT {tenant:String}, toStartOfHour(fromUnixTimestamp64Nano({before:Int64}), 'UTC'), 0, 1, toUnixTimestamp64Nano(now64(9))
        SETTINGS async_insert = 0`,
      query_params: { tenant: tenantId, before: beforeNs.toString() },
    });
  }
}

const HOUR_NS = 3_600_000_000_000n;
