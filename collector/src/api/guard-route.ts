import type { FastifyInstance } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { DATABASE, TABLES, type AnomalyRow, type SessionUsage } from '@agentflow/schemas';
import { AgentflowError, ERROR_CODES } from '../errors.js';
import { guardVerdict, type AnomalyHub } from '../processing/index.js';

const SPAN_ID = z.string().regex(/^[0-9a-fA-F]{16}$/, 'a span id is 16 hex digits').transform((s) => s.toLowerCase());
const TRACE_ID = z.string().regex(/^[0-9a-fA-F]{32}$/, 'a trace id is 32 hex digits').transform((s) => s.toLowerCase());

/** `{ session_id }`, or the agent span as `{ trace_id, span_id }` (its span id is the session id). */
export const GUARD_BODY = z.union([
  z.strictObject({ session_id: SPAN_ID }),
  z.strictObject({ trace_id: TRACE_ID, span_id: SPAN_ID }),
]);

/** What the guard route needs. */
export interface GuardRouteOptions {
  client: ClickHouseClient;
  anomalies: AnomalyHub;
}

/**
 * `POST /guard`: may this session take its next step? Answers `allow`, `warn` or `stop` with the
 * open anomalies behind it and the session's usage so far. Sessions the processor is watching
 * are answered from memory; others from storage. Any key of the session's tenant may ask — an
 * agent holds an ingest key — and the answer reveals nothing but the verdict and its reasons.
 */
export async function guardRoute(app: FastifyInstance, opts: GuardRouteOptions): Promise<void> {
  app.post('/guard', async (request) => {
    const parsed = GUARD_BODY.safeParse(request.body ?? {});
    if (!parsed.success) {
      throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, 'invalid body: send {"session_id": "<16 hex digits>"} or {"trace_id": "<32 hex digits>", "span_id": "<16 hex digits>"}');
    }
    const sessionId = 'session_id' in parsed.data ? parsed.data.session_id : parsed.data.span_id;
    const tenant = request.tenantId;
    const held = opts.anomalies.session(tenant, sessionId);
    if (held?.snapshot) return guardVerdict(held.open, held.snapshot.usage);
    const [open, usage] = await Promise.all([held ? held.open : openAnomalies(opts.client, tenant, sessionId), storedUsage(opts.client, tenant, sessionId)]);
    return guardVerdict(open, usage);
  });
}

async function openAnomalies(client: ClickHouseClient, tenant: string, sessionId: string): Promise<AnomalyRow[]> {
  const result = await client.query({
    query: `SELECT anomaly_id, kind, severity, detail FROM ${DATABASE}.${TABLES.ANOMALIES_DATA} FINAL
            WHERE tenant_id = {tenant:String} AND session_id = {session:String} AND resolved_at IS NULL`,
    query_params: { tenant, session: sessionId },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ anomaly_id: string; kind: AnomalyRow['kind']; severity: AnomalyRow['severity']; detail: string }>();
  return rows.map((r) => ({
    tenantId: tenant, anomalyId: r.anomaly_id, sessionId, traceId: '', agentName: '', kind: r.kind, severity: r.severity, detail: r.detail,
    evidence: [], count: 0, detectedAt: 0n, lastSeenAt: 0n, resolvedAt: null, version: 0n,
  }));
}

async function storedUsage(client: ClickHouseClient, tenant: string, sessionId: string): Promise<SessionUsage | undefined> {
  const result = await client.query({
    query: `SELECT llm_calls, tool_calls, actions, input_tokens + output_tokens AS tokens, cost_usd, duration_ms
            FROM ${DATABASE}.${TABLES.SESSIONS_DATA} FINAL WHERE tenant_id = {tenant:String} AND session_id = {session:String} LIMIT 1`,
    query_params: { tenant, session: sessionId },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ llm_calls: number; tool_calls: number; actions: number; tokens: string; cost_usd: number; duration_ms: number }>();
  return row && {
    llmCalls: Number(row.llm_calls), toolCalls: Number(row.tool_calls), steps: Number(row.actions), tokens: Number(row.tokens),
    costUsd: Number(row.cost_usd), durationMs: Number(row.duration_ms),
  };
}
