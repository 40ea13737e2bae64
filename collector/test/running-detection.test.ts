import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOf } from './helpers/agent-spans.js';
import { newSpanId, newTraceId, nowNanos, type TestSpan } from './helpers/otlp-payloads.js';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';

/**
 * A running session is known by its children's parent id; its agent's start record says who it
 * is, and so which thresholds and budgets apply to it before its agent span ends.
 */
let t: TestCollector;
const dir = mkdtempSync(join(tmpdir(), 'agentflow-detection-'));
const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
const MS = 1_000_000n;

beforeAll(async () => {
  const file = join(dir, 'detection.yaml');
  writeFileSync(file, 'overrides:\n  - match: { agent_type: forecaster }\n    budgets: { tool_calls: 2 }\n');
  t = await startTestCollector({ AGENTFLOW_DETECTION_FILE: file });
});
afterAll(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A start record for an agent of `type`, then `calls` different tool calls under it; its own span never ends. */
async function runningAgent(type: string, calls: number): Promise<string> {
  const traceId = newTraceId();
  const sessionId = newSpanId();
  const start = nowNanos(-10_000);
  const logs = { resourceLogs: [{ resource: { attributes: [attr('service.name', 'svc')] }, scopeLogs: [{ scope: { name: 'agentflow' }, logRecords: [
    { timeUnixNano: start.toString(), eventName: 'agentflow.span.start', traceId: traceId.toString('hex'), spanId: sessionId.toString('hex'),
      attributes: [attr('gen_ai.operation.name', 'invoke_agent'), attr('gen_ai.agent.name', `${type}-agent`), attr('agentflow.agent.type', type)] },
  ] }] }] };
  const res = await t.collector.app.inject({ method: 'POST', url: '/v1/logs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(logs) });
  expect(res.statusCode).toBe(200);
  const tools = Array.from({ length: calls }, (_, i): TestSpan => ({
    traceId, spanId: newSpanId(), parentSpanId: sessionId, name: 'execute_tool get_forecast', kind: 1,
    start: start + BigInt(100 + i * 100) * MS, end: start + BigInt(150 + i * 100) * MS,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_forecast', 'gen_ai.tool.call.arguments': `{"city": "city-${i}"}` },
  }));
  const spans = await t.collector.app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: exportOf(tools) });
  expect(spans.statusCode).toBe(200);
  return sessionId.toString('hex');
}

async function verdictOf(sessionId: string, want: string): Promise<{ verdict: string; reasons: { kind: string; detail: string }[] }> {
  let answer = { verdict: '', reasons: [] as { kind: string; detail: string }[] };
  for (let i = 0; i < 60 && answer.verdict !== want; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 50));
    answer = (await t.collector.app.inject({ method: 'POST', url: '/api/v1/guard', payload: { session_id: sessionId } })).json();
  }
  return answer;
}

describe('detection on a running session', () => {
  it("applies its agent type's budget, named from the start record, before the agent span ends", async () => {
    const sessionId = await runningAgent('forecaster', 3);
    const answer = await verdictOf(sessionId, 'stop');
    expect(answer).toMatchObject({ verdict: 'stop', reasons: [{ kind: 'budget.tool_calls', detail: 'used 3 tool calls, over the budget of 2 tool calls' }] });
    await t.collector.writer.flush();
    const rows = await t.query<{ agent_name: string; open: number }>(
      `SELECT agent_name, toUInt8(resolved_at IS NULL) AS open FROM agentflow.anomalies WHERE session_id = {s:String} AND kind = 'budget.tool_calls'`, { s: sessionId },
    );
    expect(rows).toEqual([{ agent_name: 'forecaster-agent', open: 1 }]);
  });

  it("leaves other agent types to the defaults, which set no budget", async () => {
    const sessionId = await runningAgent('planner', 3);
    // Looked at within a tick; nothing to find.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await verdictOf(sessionId, 'allow')).toMatchObject({ verdict: 'allow', reasons: [] });
  });
});
