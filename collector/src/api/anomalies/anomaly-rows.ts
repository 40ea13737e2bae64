import { DATABASE, TABLES, type AnomalyJson } from '@agentflow/schemas';
import { isoFromNs } from '../sessions/time.js';

/**
 * The anomalies table, fully qualified: every stored version of each anomaly, sorted by (tenant,
 * anomaly id) and partitioned by the month it was detected, so a read keeps the latest version
 * itself (FINAL, or `LIMIT 1 BY anomaly_id` for the few rows of some sessions).
 */
export const ANOMALIES_TABLE = `${DATABASE}.${TABLES.ANOMALIES_DATA}`;

/** Columns of an {@link Anomaly}. Times travel as nanosecond strings ('' for no resolution), converted by {@link toAnomaly}. */
export const ANOMALY_COLUMNS = `anomaly_id, session_id, trace_id, agent_name, kind, severity, detail, evidence, count,
  toString(toUnixTimestamp64Nano(detected_at)) AS detected_ns, toString(toUnixTimestamp64Nano(last_seen_at)) AS last_seen_ns,
  if(resolved_at IS NULL, '', toString(toUnixTimestamp64Nano(assumeNotNull(resolved_at)))) AS resolved_ns`;

/** An anomaly row as stored, with {@link ANOMALY_COLUMNS}. */
export type StoredAnomaly = Record<string, unknown> & { anomaly_id: string; detected_ns: string };

/**
 * One detected problem as the API returns it, in its latest version. Column names and meanings
 * are those of `agentflow.anomalies`; times ISO 8601 UTC with nanoseconds.
 */
export type Anomaly = AnomalyJson;

/** A stored anomaly row → its API shape. */
export function toAnomaly(r: StoredAnomaly): Anomaly {
  const resolved = String(r.resolved_ns ?? '');
  return {
    anomaly_id: r.anomaly_id, session_id: String(r.session_id ?? ''), trace_id: String(r.trace_id ?? ''),
    agent_name: String(r.agent_name ?? ''), kind: String(r.kind ?? ''), severity: String(r.severity ?? ''),
    detail: String(r.detail ?? ''), evidence: Array.isArray(r.evidence) ? r.evidence.map(String) : [], count: Number(r.count ?? 0),
    detected_at: isoFromNs(r.detected_ns), last_seen_at: isoFromNs(String(r.last_seen_ns)),
    resolved_at: resolved === '' ? null : isoFromNs(resolved),
  };
}
