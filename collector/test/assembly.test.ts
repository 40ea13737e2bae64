import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentRun, exportOf } from './helpers/agent-spans.js';
import { newSpanId, newTraceId, nowNanos, type TestSpan } from './helpers/otlp-payloads.js';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';

/**
 * Trace assembly against the real engine: spans out of order and across exports, traces that
 * never end, exports sent twice, and a rebuild from raw spans.
 */
let t: TestCollector;
const MAX_TRACES = 40;

beforeAll(async () => {
  t = await startTestCollector({
    AGENTFLOW_ASSEMBLY_QUIET_MS: '100', AGENTFLOW_ASSEMBLY_TIMEOUT_MS: '1500', AGENTFLOW_ASSEMBLY_TICK_MS: '50',
    AGENTFLOW_ASSEMBLY_MAX_TRACES: String(MAX_TRACES),
  });
});
afterAll(async () => t?.stop());

async function send(spans: readonly TestSpan[]): Promise<void> {
  const res = await t.collector.app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: exportOf(spans) });
  expect(res.statusCode, res.body).toBe(200);
}

interface SessionTotals { agent_name: string; llm_calls: number; tool_calls: number; input_tokens: number; output_tokens: number; cost_usd: number }

async function sessionOf(traceId: Buffer): Promise<SessionTotals[]> {
  const rows = await t.query<SessionTotals>(
    'SELECT agent_name, llm_calls, tool_calls, input_tokens, output_tokens, cost_usd FROM agentflow.agent_sessions WHERE trace_id = {id:String}',
    { id: traceId.toString('hex') },
  );
  // 64-bit counts may arrive as JSON numbers or strings depending on the engine's settings.
  return rows.map((r) => ({ ...r, input_tokens: Number(r.input_tokens), output_tokens: Number(r.output_tokens) }));
}

async function actionCount(traceId: Buffer): Promise<number> {
  const rows = await t.query<{ n: string }>('SELECT count() AS n FROM agentflow.agent_actions WHERE trace_id = {id:String}', { id: traceId.toString('hex') });
  return Number(rows[0]?.n);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// gpt-4o-mini: $0.15 input and $0.60 output per 1M tokens; per call 100·0.15e-6 + 10·0.6e-6 = 0.000021.
const CALL_COST = 0.000021;

describe('trace assembly', () => {
  it('derives the whole session when children arrive in exports before and after their agent span', async () => {
    const run = agentRun('out-of-order', 3, 2);
    await send([run.llmCalls[0]!, run.toolCalls[0]!]); // children first, root not yet seen
    await sleep(300); // longer than the quiet period: without the root the trace must not settle
    await send([run.agent, run.llmCalls[1]!]);
    await send([run.llmCalls[2]!, run.toolCalls[1]!]);
    const sessions = await sessionOf(run.traceId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ agent_name: 'out-of-order', llm_calls: 3, tool_calls: 2, input_tokens: 300, output_tokens: 30 });
    expect(sessions[0]?.cost_usd).toBeCloseTo(3 * CALL_COST, 12);
  });

  it('re-derives a settled trace from storage when a span arrives late', async () => {
    const run = agentRun('late-child', 2, 0);
    await send([run.agent, run.llmCalls[0]!]);
    expect((await sessionOf(run.traceId))[0]).toMatchObject({ llm_calls: 1 });
    await send([run.llmCalls[1]!]); // after the trace settled and was written
    expect(await sessionOf(run.traceId)).toEqual([expect.objectContaining({ llm_calls: 2, input_tokens: 200 })]);
    expect((await t.collector.assembly.stats()).reloadedTraces).toBeGreaterThan(0);
  });

  it('counts an export sent twice once, whether the copies arrive together or after settling', async () => {
    const run = agentRun('twice', 2, 1);
    const spans = [run.agent, ...run.llmCalls, ...run.toolCalls];
    await send(spans);
    await send(spans);
    expect(await sessionOf(run.traceId)).toEqual([expect.objectContaining({ llm_calls: 2, tool_calls: 1, input_tokens: 200 })]);
    await send(spans); // a retry long after the first copies were assembled
    expect(await sessionOf(run.traceId)).toEqual([expect.objectContaining({ llm_calls: 2, tool_calls: 1, input_tokens: 200 })]);
    expect(await actionCount(run.traceId)).toBe(3);
  });

  it('settles a trace whose root never arrives at the timeout, and keeps the buffer within its limit', async () => {
    const traces: Buffer[] = [];
    for (let i = 0; i < MAX_TRACES * 3; i++) {
      const traceId = newTraceId();
      traces.push(traceId);
      // A child of a parent that never comes: no root, so only the timeout or the limit settles it.
      const start = nowNanos(-1000);
      await send([{ traceId, spanId: newSpanId(), parentSpanId: newSpanId(), name: 'chat', kind: 3, start, end: start + 1000n,
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 7n, 'gen_ai.usage.output_tokens': 1n } }]);
      expect((await t.collector.assembly.stats()).openTraces).toBeLessThanOrEqual(MAX_TRACES);
    }
    // Past the timeout the timer settles the rest without being asked (polled: CI machines are slow).
    for (let i = 0; i < 100 && (await t.collector.assembly.stats()).openTraces > 0; i++) await sleep(100);
    expect(await t.collector.assembly.stats()).toMatchObject({ openTraces: 0, openSpans: 0 });
    const rows = await t.query<{ n: string; tokens: string }>(
      'SELECT count() AS n, sum(input_tokens) AS tokens FROM agentflow.agent_sessions WHERE trace_id IN {ids:Array(String)}',
      { ids: traces.map((x) => x.toString('hex')) },
    );
    expect([Number(rows[0]?.n), Number(rows[0]?.tokens)]).toEqual([traces.length, 7 * traces.length]);
  });

  it('rebuild re-derives the same rows from raw spans, also after the derived rows are gone', async () => {
    const runs = [agentRun('rebuild-a', 2, 1), agentRun('rebuild-b', 1, 2)];
    for (const run of runs) await send([run.agent, ...run.llmCalls, ...run.toolCalls]);
    const ids = runs.map((r) => r.traceId.toString('hex'));
    const snapshot = async () => ({
      sessions: await t.query(`SELECT * EXCEPT version FROM agentflow.agent_sessions WHERE trace_id IN {ids:Array(String)} ORDER BY session_id`, { ids }),
      actions: await t.query(`SELECT * EXCEPT version FROM agentflow.agent_actions WHERE trace_id IN {ids:Array(String)} ORDER BY action_id`, { ids }),
      communications: await t.query(`SELECT * EXCEPT version FROM agentflow.agent_communications WHERE trace_id IN {ids:Array(String)} ORDER BY communication_id`, { ids }),
    });
    const before = await snapshot();
    expect(before.sessions).toHaveLength(2);
    expect(before.actions).toHaveLength(6);

    const rebuild = async () => {
      const res = await t.collector.app.inject({ method: 'POST', url: '/api/v1/admin/rebuild', payload: { since: '1d' } });
      expect(res.statusCode).toBe(200);
      const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as { done?: boolean; tenants?: { traces: number }[] });
      expect(lines.at(-1)).toMatchObject({ done: true });
      return lines.at(-1)?.tenants?.[0]?.traces ?? 0;
    };
    expect(await rebuild()).toBeGreaterThanOrEqual(2);
    expect(await snapshot()).toEqual(before);

    // A crash during assembly loses derived rows; the raw spans repair them.
    for (const table of ['agent_sessions_data', 'agent_actions_data', 'agent_communications_data']) {
      await t.collector.storage.client.command({ query: `TRUNCATE TABLE agentflow.${table}` });
    }
    expect((await snapshot()).sessions).toEqual([]);
    await rebuild();
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a rebuild with a since it cannot read, naming the forms it takes', async () => {
    const res = await t.collector.app.inject({ method: 'POST', url: '/api/v1/admin/rebuild', payload: { since: 'yesterday' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/duration like 30m, 6h or 7d, or an ISO time/);
  });
});
