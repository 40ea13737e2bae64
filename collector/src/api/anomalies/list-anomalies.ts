import type { ClickHouseClient } from '@clickhouse/client';
import { ANOMALY_KINDS, ANOMALY_SEVERITIES } from '@agentflow/schemas';
import { z } from 'zod';
import { withSettings } from '../../storage/index.js';
import { afterCursor, cursorParams, CURSOR_PARAM, encodeCursor } from '../page-cursor.js';
import { ISO_TIME_PARAM as isoTime, LIMIT_PARAM, SESSION_ID_PARAM, TEXT_PARAM as text } from '../query-params.js';
import { queryRows } from '../sessions/session-queries.js';
import { ANOMALIES_TABLE, ANOMALY_COLUMNS, toAnomaly, type Anomaly, type StoredAnomaly } from './anomaly-rows.js';

/** Kind families: what comes before the dot (`loop`, `stuck`, `budget`, …). */
export const ANOMALY_FAMILIES: readonly string[] = [...new Set(ANOMALY_KINDS.map((k) => k.slice(0, k.indexOf('.'))))];
const KINDS: ReadonlySet<string> = new Set(ANOMALY_KINDS);

/** What `kind` selects: one kind, or every kind of a family (`loop` and `loop.` both mean `loop.*`). */
export type KindFilter = { exact: string } | { prefix: string };

const KIND_PARAM = z.string().transform((s, ctx): KindFilter => {
  const family = s.endsWith('.') ? s.slice(0, -1) : s.includes('.') ? null : s;
  if (family !== null && ANOMALY_FAMILIES.includes(family)) return { prefix: `${family}.` };
  if (family === null && KINDS.has(s)) return { exact: s };
  ctx.addIssue({ code: 'custom', message: `expected a kind such as loop.repeat_call, or a family: ${ANOMALY_FAMILIES.join(', ')}` });
  return z.NEVER;
});

/** Query string of `GET /anomalies`. Unknown parameters are refused, so a misspelt filter is not silently ignored. */
export const LIST_ANOMALIES_QUERY = z.object({
  /** A kind (`loop.repeat_call`) or a family (`loop`, `loop.`: every `loop.*`). */
  kind: KIND_PARAM.optional(),
  severity: z.enum(ANOMALY_SEVERITIES).optional(),
  /** Agent name. */
  agent: text.optional(),
  /** Session id. */
  session: SESSION_ID_PARAM.optional(),
  /** open: not resolved yet; resolved: resolved. */
  state: z.enum(['open', 'resolved']).optional(),
  /** Anomalies detected at or after this time. */
  from: isoTime.optional(),
  /** Anomalies detected before this time. */
  to: isoTime.optional(),
  limit: LIMIT_PARAM,
  cursor: CURSOR_PARAM.optional(),
}).strict();

/** A validated `GET /anomalies` query. */
export type ListAnomaliesQuery = z.output<typeof LIST_ANOMALIES_QUERY>;

/** Answer of `GET /anomalies`: one page, newest detected first, and the cursor of the next page (null on the last). */
export interface AnomalyPage {
  anomalies: Anomaly[];
  next_cursor: string | null;
}

/**
 * One page of the tenant's anomalies matching the filters, newest detected first (ties by
 * anomaly id). The table is keyed by anomaly id, not time, so one read does: the time bounds and
 * the cursor prune the monthly partitions, and FINAL keeps each anomaly's latest version before
 * the filters on what can change between versions (severity, agent, resolution) apply. A
 * version never leaves its partition (detection time does not change), so FINAL need not merge
 * across partitions.
 */
export async function listAnomalies(client: ClickHouseClient, tenant: string, query: ListAnomaliesQuery): Promise<AnomalyPage> {
  const where = ['tenant_id = {tenant:String}'];
  const params: Record<string, unknown> = { tenant, limit: query.limit + 1 };
  const add = (condition: string, bound: Record<string, unknown>) => {
    where.push(condition);
    Object.assign(params, bound);
  };
  if (query.kind && 'exact' in query.kind) add('kind = {kind:String}', { kind: query.kind.exact });
  if (query.kind && 'prefix' in query.kind) add('startsWith(kind, {kind_prefix:String})', { kind_prefix: query.kind.prefix });
  if (query.severity) add('severity = {severity:String}', { severity: query.severity });
  if (query.agent) add('agent_name = {agent:String}', { agent: query.agent });
  if (query.session) add('session_id = {session:String}', { session: query.session });
  if (query.state) add(query.state === 'open' ? 'resolved_at IS NULL' : 'resolved_at IS NOT NULL', {});
  if (query.from !== undefined) add('detected_at >= fromUnixTimestamp64Nano({from:Int64})', { from: query.from.toString() });
  if (query.to !== undefined) add('detected_at < fromUnixTimestamp64Nano({to:Int64})', { to: query.to.toString() });
  if (query.cursor) add(afterCursor('detected_at', 'anomaly_id'), cursorParams(query.cursor));
  const rows = await queryRows<StoredAnomaly>(client, withSettings(
    `SELECT ${ANOMALY_COLUMNS} FROM ${ANOMALIES_TABLE} FINAL WHERE ${where.join(' AND ')}
     ORDER BY detected_at DESC, anomaly_id DESC LIMIT {limit:UInt32}`,
    { do_not_merge_across_partitions_select_final: 1 }), params);
  // One row past the page tells whether another page follows.
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    anomalies: page.map(toAnomaly),
    next_cursor: rows.length > query.limit && last ? encodeCursor({ ns: BigInt(last.detected_ns), id: last.anomaly_id }) : null,
  };
}
