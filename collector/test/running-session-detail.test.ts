import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOf } from './helpers/agent-spans.js';
import { newSpanId, newTraceId, nowNanos, type TestSpan } from './helpers/otlp-payloads.js';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';

/** A session still running, looked at as a user would: `GET /sessions/:id` and `agentflow show`. */
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
let t: TestCollector;
const traceId = newTraceId();
const sessionId = newSpanId();
const MS = 1_000_000n;
const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

beforeAll(async () => {
  t = await startTestCollector();
  await t.listen();
  const start = nowNanos(-5_000);
  // The agent's start record (its span has not ended), then two tool calls that ended under it.
  const logs = { resourceLogs: [{ resource: { attributes: [attr('service.name', 'scout-svc'), attr('service.instance.id', 'scout-1')] }, scopeLogs: [{ scope: { name: 'agentflow' }, logRecords: [
    { timeUnixNano: start.toString(), eventName: 'agentflow.span.start', traceId: traceId.toString('hex'), spanId: sessionId.toString('hex'),
      attributes: [attr('gen_ai.operation.name', 'invoke_agent'), attr('gen_ai.agent.name', 'scout'), attr('agentflow.goal', 'map the area'), attr('agentflow.span.name', 'invoke_agent scout')] },
  ] }] }] };
  const res = await fetch(`${t.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(logs) });
  expect(res.status).toBe(200);
  const tool = (i: number, name: string): TestSpan => ({
    traceId, spanId: newSpanId(), parentSpanId: sessionId, name: `execute_tool ${name}`, kind: 1,
    start: start + BigInt(100 + i * 200) * MS, end: start + BigInt(250 + i * 200) * MS, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name },
  });
  const spans = await t.collector.app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: exportOf([tool(0, 'look'), tool(1, 'walk')]) });
  expect(spans.statusCode).toBe(200);
  await t.collector.writer.flush();
});
afterAll(async () => t?.stop());

describe('a running session', () => {
  it('is answered by GET /sessions/:id with its start record, the calls that ended under it and its anomalies', async () => {
    const res = await fetch(`${t.url}/api/v1/sessions/${sessionId.toString('hex')}`);
    expect(res.status).toBe(200);
    const detail = await res.json();
    expect(detail).toMatchObject({
      running: true,
      session: { session_id: sessionId.toString('hex'), agent_name: 'scout', goal: 'map the area', status: 'running', service_instance_id: 'scout-1' },
      anomalies: [],
    });
    expect(detail.spans.map((s: { name: string }) => s.name)).toEqual(['execute_tool look', 'execute_tool walk']);
  });

  it('is shown by agentflow show, still running, with what ended so far', async () => {
    const run = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, [CLI, 'show', sessionId.toString('hex'), '--url', t.url], { env: { ...process.env, AGENTFLOW_URL: '' }, timeout: 20_000 }, (err, stdout) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout });
      });
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^session ${sessionId.toString('hex')}  scout  running`, 'm'));
    expect(run.stdout).toContain('still running');
    expect(run.stdout).toMatch(/ended so far \(2 spans/);
    expect(run.stdout).toMatch(/execute_tool look\s+\(150 ms\)/);
  });

  it('is still unknown to GET /sessions/:id under another id', async () => {
    const res = await fetch(`${t.url}/api/v1/sessions/${newSpanId().toString('hex')}`);
    expect(res.status).toBe(404);
  });
});
