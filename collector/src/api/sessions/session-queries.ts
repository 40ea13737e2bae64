import type { ClickHouseClient } from '@clickhouse/client';
import { SESSION_COLUMNS, SESSIONS_TABLE, toSessionSummary, type SessionSummary, type StoredSession } from './session-rows.js';

/**
 * What the session reads share, and the lookup of one session. Every query binds the tenant.
 * Lookups read the `*_data` tables, not the FINAL views, and keep each row's latest version with
 * `LIMIT 1 BY`: for the few rows of one trace that is cheaper than FINAL, which merges whole key
 * ranges. Only what never changes between versions (ids, the table's key) filters before the
 * latest version is picked, so an older version never answers for a newer one.
 */

/** Runs a query with bound parameters and returns its rows. */
export async function queryRows<T = Record<string, unknown>>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({ query, format: 'JSONEachRow', query_params: params });
  return rs.json<T>();
}

/** `ORDER BY … LIMIT 1 BY …` keeping one row, the latest version, per `key` (a column list). */
export function latestBy(key: string): string {
  return `ORDER BY ${key}, version DESC LIMIT 1 BY ${key}`;
}

/** The latest version of one session, by its id: found through the session_id bloom filter. */
export const SESSION_BY_ID = `SELECT * FROM ${SESSIONS_TABLE} WHERE tenant_id = {tenant:String} AND session_id = {id:String} ORDER BY version DESC LIMIT 1`;

/** One session by id, or null when the tenant has none with that id. */
export async function findSession(client: ClickHouseClient, tenant: string, sessionId: string): Promise<SessionSummary | null> {
  const rows = await queryRows<StoredSession>(client, `SELECT ${SESSION_COLUMNS} FROM (${SESSION_BY_ID})`, { tenant, id: sessionId });
  return rows[0] ? toSessionSummary(rows[0]) : null;
}
