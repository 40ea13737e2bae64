import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOf } from './helpers/agent-spans.js';
import { newSpanId, newTraceId, nowNanos, type TestSpan } from './helpers/otlp-payloads.js';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';

/**
 * Anomaly records as stored and as the guard tells them: one row per anomaly however often it is
 * detected (a retried export, a rebuild), restored by a rebuild from raw spans, and a guard that
 * answers an agent's ingest key for its own tenant only.
 */
const KEYS = { acmeIngest: 'acme-ingest-key-000001', acmeAdmin: 'acme-admin-key-0000001', globexIngest: 'globex-ingest-key-0001' };
let t: TestCollector;

beforeAll(async () => {
  t = await startTestCollector({
    AGENTFLOW_API_KEYS: [`acme:ingest:${KEYS.acmeIngest}`, `acme:admin:${KEYS.acmeAdmin}`, `globex:ingest:${KEYS.globexIngest}`].join(','),
  });
});
afterAll(async () => t?.stop());

const MS = 1_000_000n;

/** An agent calling get_forecast for Lisbon `calls` times in a row; `ended` includes the agent span itself. */
function loopingRun(calls: number, ended: boolean): { spans: TestSpan[]; sessionId: string; traceId: string } {
  const traceId = newTraceId();
  const agent: TestSpan = {
    traceId, spanId: newSpanId(), name: 'invoke_agent weather-agent', kind: 1, start: nowNanos(-60_000), end: nowNanos(-60_000) + 1_000n * MS,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'weather-agent' },
  };
  const tools = Array.from({ length: calls }, (_, i): TestSpan => ({
    traceId, spanId: newSpanId(), parentSpanId: agent.spanId, name: 'execute_tool get_forecast', kind: 1,
    start: agent.start + BigInt(10 + i * 50) * MS, end: agent.start + BigInt(40 + i * 50) * MS,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_forecast', 'gen_ai.tool.call.arguments': '{"city": "Lisbon"}' },
  }));
  return { spans: ended ? [agent, ...tools] : tools, sessionId: agent.spanId.toString('hex'), traceId: traceId.toString('hex') };
}

async function ingest(spans: TestSpan[], key: string): Promise<void> {
  const res = await t.collector.app.inject({
    method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${key}` }, payload: exportOf(spans),
  });
  expect(res.statusCode, res.body).toBe(200);
}

function guard(sessionId: string, key: string) {
  return t.collector.app.inject({ method: 'POST', url: '/api/v1/guard', headers: { authorization: `Bearer ${key}` }, payload: { session_id: sessionId } });
}

const stored = (traceId: string) => t.query<{ anomaly_id: string; kind: string; count: number; detail: string; detected_at: string; resolved_at: string | null }>(
  `SELECT anomaly_id, kind, count, detail, detected_at, resolved_at FROM agentflow.anomalies WHERE trace_id = {t:String} ORDER BY kind`, { t: traceId },
);

async function rebuild(): Promise<void> {
  const res = await t.collector.app.inject({ method: 'POST', url: '/api/v1/admin/rebuild', headers: { authorization: `Bearer ${KEYS.acmeAdmin}` }, payload: { since: '1d' } });
  expect(res.statusCode).toBe(200);
}

describe('anomaly records', () => {
  it('stores a loop once though its export came twice, and a rebuild writes a newer version of the same row', async () => {
    const run = loopingRun(5, true);
    await ingest(run.spans, KEYS.acmeIngest);
    await ingest(run.spans, KEYS.acmeIngest);
    const first = await stored(run.traceId);
    expect(first.map((a) => [a.kind, a.count, a.detail])).toEqual([['loop.repeat_call', 5, 'get_forecast called 5 times in a row with the same arguments']]);
    expect(first[0]?.resolved_at).not.toBeNull();

    await rebuild();
    expect(await stored(run.traceId)).toEqual(first);
    const versions = await t.query<{ n: number }>(`SELECT toUInt32(count()) AS n FROM agentflow.anomalies_data WHERE trace_id = {t:String}`, { t: run.traceId });
    expect(versions[0]?.n).toBeGreaterThanOrEqual(2);

    // Derived records lost (a crash during assembly): the raw spans bring the anomaly back as it was.
    await t.collector.storage.client.command({ query: 'TRUNCATE TABLE agentflow.anomalies_data' });
    expect(await stored(run.traceId)).toEqual([]);
    await rebuild();
    expect(await stored(run.traceId)).toEqual(first);
  });

  it("answers an agent's ingest key stop for its own open looping session, and tells another tenant nothing", async () => {
    const run = loopingRun(6, false);
    await ingest(run.spans, KEYS.acmeIngest);
    let answer = (await guard(run.sessionId, KEYS.acmeIngest)).json();
    for (let i = 0; i < 100 && answer.verdict !== 'stop'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      answer = (await guard(run.sessionId, KEYS.acmeIngest)).json();
    }
    expect(answer).toMatchObject({ verdict: 'stop', reasons: [{ kind: 'loop.repeat_call', severity: 'critical' }], usage: { tool_calls: 6 } });

    const other = await guard(run.sessionId, KEYS.globexIngest);
    expect(other.statusCode).toBe(200);
    expect(other.json()).toEqual({ verdict: 'allow', reasons: [], usage: { llm_calls: 0, tool_calls: 0, tokens: 0, cost_usd: 0, duration_ms: 0 } });
  });

  it('names what is wrong with a guard request', async () => {
    const res = await t.collector.app.inject({ method: 'POST', url: '/api/v1/guard', headers: { authorization: `Bearer ${KEYS.acmeIngest}` }, payload: { session: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/session_id/);
    const ingestOnly = await t.collector.app.inject({ method: 'GET', url: '/api/v1/anomalies', headers: { authorization: `Bearer ${KEYS.acmeIngest}` } });
    expect(ingestOnly.statusCode).toBe(403);
  });
});
