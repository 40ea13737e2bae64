import type { ClickHouseClient } from '@clickhouse/client';
import { RUN_STATUS } from '@agentflow/schemas';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor.js';
import { queryRows } from './session-queries.js';
import { SESSION_COLUMNS, SESSIONS_VIEW, toSessionSummary, type SessionSummary, type StoredSession } from './session-rows.js';
import { ISO_TIME_PARAM as isoTime, TEXT_PARAM as text } from '../query-params.js';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const cursor = z.string().transform((s, ctx) => {
  const position = decodeCursor(s);
  if (position === null) {
    ctx.addIssue({ code: 'custom', message: 'not a cursor this server issued: pass next_cursor from the previous page unchanged' });
    return z.NEVER;
  }
  return position;
});

/** Default and largest page size of `GET /sessions`. */
export const PAGE_SIZE = { default: 50, max: 500 } as const;

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
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE.max).default(PAGE_SIZE.default),
  cursor: cursor.optional(),
}).strict();

/** A validated `GET /sessions` query: times in ns, the cursor decoded, the limit defaulted. */
export type ListSessionsQuery = z.output<typeof LIST_SESSIONS_QUERY>;

/** Answer of `GET /sessions`: one page, newest first, and the cursor of the next page (null on the last). */
export interface SessionPage {
  sessions: SessionSummary[];
  next_cursor: string | null;
}

/** Filters that compare a column with the parameter's value: parameter → column. */
const EQUALS = {
  agent_id: 'agent_id', agent: 'agent_name', agent_type: 'agent_type', status: 'status',
  workflow: 'workflow_name', conversation: 'conversation_id', user: 'user_id',
} as const;

/** One page of the tenant's sessions matching the filters, newest first. */
export async function listSessions(client: ClickHouseClient, tenant: string, query: ListSessionsQuery): Promise<SessionPage> {
  const where = ['tenant_id = {tenant:String}'];
  const params: Record<string, unknown> = { tenant, limit: query.limit + 1 };
  for (const [param, column] of Object.entries(EQUALS) as [keyof typeof EQUALS, string][]) {
    const value = query[param];
    if (value === undefined) continue;
    where.push(`${column} = {${param}:String}`);
    params[param] = value;
  }
  if (query.from !== undefined) {
    where.push('started_at >= fromUnixTimestamp64Nano({from:Int64})');
    params.from = query.from.toString();
  }
  if (query.to !== undefined) {
    where.push('started_at < fromUnixTimestamp64Nano({to:Int64})');
    params.to = query.to.toString();
  }
  if (query.min_cost !== undefined) {
    where.push('cost_usd >= {min_cost:Float64}');
    params.min_cost = query.min_cost;
  }
  if (query.min_duration_ms !== undefined) {
    where.push('duration_ms >= {min_duration_ms:Float64}');
    params.min_duration_ms = query.min_duration_ms;
  }
  if (query.q !== undefined) {
    where.push('positionCaseInsensitiveUTF8(goal, {q:String}) > 0');
    params.q = query.q;
  }
  if (query.implicit !== undefined) {
    where.push('implicit = {implicit:UInt8}');
    params.implicit = query.implicit ? 1 : 0;
  }
  if (query.cursor !== undefined) {
    // (started_at, session_id) < cursor, spelt so the started_at bound can prune parts and granules.
    where.push(`started_at <= fromUnixTimestamp64Nano({cursor_ns:Int64})
      AND (started_at < fromUnixTimestamp64Nano({cursor_ns:Int64}) OR session_id < {cursor_id:String})`);
    params.cursor_ns = query.cursor.startedNs.toString();
    params.cursor_id = query.cursor.sessionId;
  }
  // One row past the page tells whether another page follows.
  const rows = await queryRows<StoredSession>(client,
    `SELECT ${SESSION_COLUMNS} FROM ${SESSIONS_VIEW} WHERE ${where.join(' AND ')}
     ORDER BY started_at DESC, session_id DESC LIMIT {limit:UInt32}`,
    params);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    sessions: page.map(toSessionSummary),
    next_cursor: rows.length > query.limit && last ? encodeCursor({ startedNs: BigInt(last.started_ns), sessionId: last.session_id }) : null,
  };
}
