import type { ClickHouseClient } from '@clickhouse/client';
import { latestBy, queryRows } from '../sessions/session-queries.js';
import { ANOMALIES_TABLE, ANOMALY_COLUMNS, toAnomaly, type Anomaly, type StoredAnomaly } from './anomaly-rows.js';

/**
 * The anomalies of given sessions, for the session endpoints: read by session id (the
 * `session_id` bloom filter finds them), each anomaly in its latest version picked with
 * `LIMIT 1 BY` — cheaper than FINAL for a few rows. Only the session id, which never changes
 * between an anomaly's versions, filters before the latest version is picked.
 */

/** How many anomalies a session has, and how many of them are still open. */
export interface AnomalyCounts {
  open_anomalies: number;
  anomalies: number;
}

/** No anomalies. */
export const NO_ANOMALIES: Readonly<AnomalyCounts> = Object.freeze({ open_anomalies: 0, anomalies: 0 });

/** Latest versions of the tenant's anomalies of these sessions, as a subquery binding `tenant` and `sessions`. */
const LATEST_OF_SESSIONS = `SELECT * FROM ${ANOMALIES_TABLE}
  WHERE tenant_id = {tenant:String} AND session_id IN {sessions:Array(String)} ${latestBy('anomaly_id')}`;

/** Anomaly counts per session id; sessions without anomalies are absent. One query, whatever the number of sessions. */
export async function anomalyCounts(client: ClickHouseClient, tenant: string, sessionIds: readonly string[]): Promise<Map<string, AnomalyCounts>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await queryRows<{ session_id: string; open: string | number; total: string | number }>(client,
    `SELECT session_id, countIf(resolved_at IS NULL) AS open, count() AS total FROM (${LATEST_OF_SESSIONS}) GROUP BY session_id`,
    { tenant, sessions: sessionIds });
  return new Map(rows.map((r) => [r.session_id, { open_anomalies: Number(r.open), anomalies: Number(r.total) }]));
}

/** Every anomaly of one session: open ones first, then newest detected first. */
export async function anomaliesOfSession(client: ClickHouseClient, tenant: string, sessionId: string): Promise<Anomaly[]> {
  const rows = await queryRows<StoredAnomaly>(client,
    `SELECT ${ANOMALY_COLUMNS} FROM (${LATEST_OF_SESSIONS})
     ORDER BY resolved_at IS NULL DESC, detected_at DESC, anomaly_id DESC`,
    { tenant, sessions: [sessionId] });
  return rows.map(toAnomaly);
}
