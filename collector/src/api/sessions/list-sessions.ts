import type { ClickHouseClient } from '@clickhouse/client';
import { RUN_STATUS } from '@agentflow/schemas';
import { z } from 'zod';
import { anomalyCounts, NO_ANOMALIES, type AnomalyCounts } from '../anomalies/session-anomalies.js';
import { afterCursor, cursorParams, CURSOR_PARAM as cursor, encodeCursor } from '../page-cursor.js';
import { queryRows } from './session-queries.js';
import { SESSION_COLUMNS, SESSIONS_TABLE, toSessionSummary, type SessionSummary, type StoredSession } from './session-rows.js';
import { firstWindow, nextWindow, type StartWindow } from './start-windows.js';
import { NS_PER_MS } from './time.js';
import { FLAG_PARAM as flag, ISO_TIME_PARAM as isoTime, LIMIT_PARAM, TEXT_PARAM as text } from '../query-params.js';

/** Query string of `GET /sessions`. Unknown parameters are refused, so a misspelt filter is not silently ignored. */
export const LIST_SESSIONS_QUERY = z.object({
  agent_id: text.optional(),
  /** Agent name. */
  agent: text.optional(),
  agent_type: text.optional(),
  status: z.enum(RUN_STATUS).optional(),
  workflow: text.optional(),
  conversation: text.optional(),
  user: text.optional(),
  /** Sessions started at or after this time. */
  from: isoTime.optional(),
  /** Sessions started before this time. */
  to: isoTime.optional(),
  min_cost: z.coerce.number().nonnegative().optional(),
  min_duration_ms: z.coerce.number().nonnegative().optional(),
  /** Text in the goal, case-insensitive. */
  q: text.optional(),
  implicit: flag.optional(),
  limit: LIMIT_PARAM,
  cursor: cursor.optional(),
}).strict();

/** A validated `GET /sessions` query: times in ns, the cursor decoded, the limit defaulted. */
export type ListSessionsQuery = z.output<typeof LIST_SESSIONS_QUERY>;

/** A session in the list: its summary and how many anomalies it has, open and in all. */
export type ListedSession = SessionSummary & AnomalyCounts;

/** Answer of `GET /sessions`: one page, newest first, and the cursor of the next page (null on the last). */
export interface SessionPage {
  sessions: ListedSession[];
  next_cursor: string | null;
}

/** Filters that compare a column with the parameter's value: parameter → column. */
const EQUALS = {
  agent_id: 'agent_id', agent: 'agent_name', agent_type: 'agent_type', status: 'status',
  workflow: 'workflow_name', conversation: 'conversation_id', user: 'user_id',
} as const;

/** SQL conditions, joined by AND, and the values they bind. */
interface Filter {
  where: string[];
  params: Record<string, unknown>;
}

/**
 * One page of the tenant's sessions matching the filters, newest first, with their anomaly counts
 * (one more query, by the page's session ids). `nowNs` only picks the first range read. Derived
 * sessions exist once a session ended: `status=running` is read from the live view instead (running-sessions.ts).
 */
export async function listSessions(
  client: ClickHouseClient, tenant: string, query: ListSessionsQuery, nowNs = BigInt(Date.now()) * NS_PER_MS,
): Promise<SessionPage> {
  const filter = filterOf(tenant, query);
  // One row past the page tells whether another page follows.
  const wanted = query.limit + 1;
  // Ranges are read from the newest position the list can start at: the cursor, `to` or now.
  const anchorNs = [query.cursor?.ns, query.to].reduce<bigint>((min, t) => (t !== undefined && t < min ? t : min), nowNs);
  const floorNs = query.from ?? null;
  const rows: StoredSession[] = [];
  for (let window: StartWindow | null = firstWindow(anchorNs, floorNs); window !== null;) {
    const { where, params } = inWindow(filter, window);
    const found = await queryRows<StoredSession>(client,
      `SELECT ${SESSION_COLUMNS} FROM ${SESSIONS_TABLE} FINAL WHERE ${where.join(' AND ')}
       ORDER BY started_at DESC, session_id DESC LIMIT {limit:UInt32}`,
      { ...params, limit: wanted - rows.length });
    rows.push(...found);
    const missing = wanted - rows.length;
    if (missing <= 0) break;
    window = nextWindow(window, anchorNs, found.length, missing, floorNs);
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const counts = await anomalyCounts(client, tenant, page.map((r) => r.session_id));
  return {
    sessions: page.map((r) => ({ ...toSessionSummary(r), ...(counts.get(r.session_id) ?? NO_ANOMALIES) })),
    next_cursor: rows.length > query.limit && last ? encodeCursor({ ns: BigInt(last.started_ns), id: last.session_id }) : null,
  };
}

/** Adds `condition` and what it binds to `filter` when `value` is given: an optional filter. */
function addIf<T>(filter: Filter, value: T | undefined | null, condition: string, bind: (value: T) => Record<string, unknown>): void {
  if (value === undefined || value === null) return;
  filter.where.push(condition);
  Object.assign(filter.params, bind(value));
}

/** The conditions of the query's filters and cursor. */
function filterOf(tenant: string, query: ListSessionsQuery): Filter {
  const filter: Filter = { where: ['tenant_id = {tenant:String}'], params: { tenant } };
  for (const [param, column] of Object.entries(EQUALS) as [keyof typeof EQUALS, string][]) {
    addIf(filter, query[param], `${column} = {${param}:String}`, (value) => ({ [param]: value }));
  }
  addIf(filter, query.from, 'started_at >= fromUnixTimestamp64Nano({from:Int64})', (ns) => ({ from: ns.toString() }));
  addIf(filter, query.to, 'started_at < fromUnixTimestamp64Nano({to:Int64})', (ns) => ({ to: ns.toString() }));
  addIf(filter, query.min_cost, 'cost_usd >= {min_cost:Float64}', (min) => ({ min_cost: min }));
  addIf(filter, query.min_duration_ms, 'duration_ms >= {min_duration_ms:Float64}', (min) => ({ min_duration_ms: min }));
  addIf(filter, query.q, 'positionCaseInsensitiveUTF8(goal, {q:String}) > 0', (q) => ({ q }));
  addIf(filter, query.implicit, 'implicit = {implicit:UInt8}', (implicit) => ({ implicit: implicit ? 1 : 0 }));
  addIf(filter, query.cursor, afterCursor('started_at', 'session_id'), cursorParams);
  return filter;
}

/** `filter` kept inside one range of start times. */
function inWindow(filter: Filter, window: StartWindow): Filter {
  const bounded: Filter = { where: [...filter.where], params: { ...filter.params } };
  addIf(bounded, window.fromNs, 'started_at >= fromUnixTimestamp64Nano({window_from:Int64})', (ns) => ({ window_from: ns.toString() }));
  addIf(bounded, window.toNs, 'started_at < fromUnixTimestamp64Nano({window_to:Int64})', (ns) => ({ window_to: ns.toString() }));
  return bounded;
}
