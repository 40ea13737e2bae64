import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, TABLES } from '@agentflow/schemas';
import { z } from 'zod';
import { LIMIT_PARAM, TEXT_PARAM } from '../query-params.js';
import { queryRows } from '../sessions/session-queries.js';
import { isoFromNs } from '../sessions/time.js';

const UNIT_NS = { m: 60n * 1_000_000_000n, h: 3_600n * 1_000_000_000n, d: 86_400n * 1_000_000_000n } as const;
/** The longest look back accepted: a year and a day, as the analytics ranges. */
const MAX_SINCE_NS = 366n * UNIT_NS.d;

/** A look back such as `30m`, `24h` or `7d`, as nanoseconds. */
const SINCE_PARAM = z.string().transform((s, ctx) => {
  const m = /^([1-9]\d{0,5})([mhd])$/.exec(s);
  const ns = m ? BigInt(m[1] as string) * UNIT_NS[m[2] as keyof typeof UNIT_NS] : 0n;
  if (!m || ns > MAX_SINCE_NS) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration such as 30m, 24h or 7d, at most 366d' });
    return z.NEVER;
  }
  return ns;
});

/** Query string of `GET /quality/poor-responses`. Unknown parameters are refused. */
export const POOR_RESPONSES_QUERY = z.object({
  /** Calls scoring under this are listed (0–1, default 0.7, the detection default). */
  threshold: z.coerce.number().min(0).max(1).default(0.7),
  /** How far back, by call start: `30m`, `24h` (default), `7d`. */
  since: SINCE_PARAM.default(24n * UNIT_NS.h),
  /** Agent name. */
  agent: TEXT_PARAM.optional(),
  limit: LIMIT_PARAM,
}).strict();

/** A validated `GET /quality/poor-responses` query. */
export type PoorResponsesQuery = z.output<typeof POOR_RESPONSES_QUERY>;

/** One poor model call. The answer itself is not here: content is kept only in the raw spans. */
export interface PoorResponse {
  started_at: string;
  agent_name: string;
  model: string;
  quality_score: number;
  quality_issues: string[];
  session_id: string;
  trace_id: string;
  action_id: string;
}

/** Answer of `GET /quality/poor-responses`: newest first, at most `limit`; `more` when others matched. */
export interface PoorResponsesPage {
  threshold: number;
  from: string;
  responses: PoorResponse[];
  more: boolean;
}

/**
 * The tenant's model calls whose answer scored under `threshold` since `since` ago, newest first.
 * Reads the actions' latest versions (the FINAL view); the time bound leads the table's sort key
 * (tenant, hour of start), so only the hours asked for are read.
 */
export async function listPoorResponses(client: ClickHouseClient, tenant: string, query: PoorResponsesQuery, nowNs: bigint): Promise<PoorResponsesPage> {
  const fromNs = nowNs - query.since;
  const params: Record<string, unknown> = { tenant, threshold: query.threshold, from: fromNs.toString(), limit: query.limit + 1 };
  const agent = query.agent === undefined ? '' : 'AND agent_name = {agent:String}';
  if (query.agent !== undefined) params.agent = query.agent;
  const rows = await queryRows<Record<string, unknown>>(client,
    `SELECT toString(toUnixTimestamp64Nano(started_at)) AS started_ns, agent_name, model, quality_score, quality_issues, session_id, trace_id, action_id
     FROM ${DATABASE}.${TABLES.ACTIONS}
     WHERE tenant_id = {tenant:String} AND started_at >= fromUnixTimestamp64Nano({from:Int64})
       AND quality_score IS NOT NULL AND quality_score < {threshold:Float64} ${agent}
     ORDER BY started_at DESC, action_id DESC LIMIT {limit:UInt32}`, params);
  return {
    threshold: query.threshold,
    from: isoFromNs(fromNs.toString()),
    responses: rows.slice(0, query.limit).map((r) => ({
      started_at: isoFromNs(String(r.started_ns)), agent_name: String(r.agent_name), model: String(r.model),
      // Float32 in storage: rounded to what it can hold, not its binary expansion (0.41666666 not 0.4166666567325592).
      quality_score: Number(Number(r.quality_score).toPrecision(6)),
      quality_issues: Array.isArray(r.quality_issues) ? r.quality_issues.map(String) : [],
      session_id: String(r.session_id), trace_id: String(r.trace_id), action_id: String(r.action_id),
    })),
    more: rows.length > query.limit,
  };
}
