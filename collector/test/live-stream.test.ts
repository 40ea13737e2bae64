import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSpanId, newTraceId, nowNanos } from './helpers/otlp-payloads.js';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { connectLive } from './helpers/live-client.js';

/** An SSE client connected before ingest sees the session's events, in order, within a second. */
let t: TestCollector;
beforeAll(async () => {
  t = await startTestCollector();
  await t.listen();
});
afterAll(async () => t?.stop());

const connect = (query = '') => connectLive(t.url, query);

const attr = (key: string, v: string | number) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } });

function agentExport(agent: string) {
  const traceId = newTraceId().toString('hex');
  const agentSpan = newSpanId().toString('hex');
  const t0 = nowNanos(-1000);
  const ms = (n: number) => (t0 + BigInt(n) * 1_000_000n).toString();
  const spans = [
    { traceId, spanId: newSpanId().toString('hex'), parentSpanId: agentSpan, name: 'chat gpt-4o-mini', kind: 3, startTimeUnixNano: ms(10), endTimeUnixNano: ms(20),
      attributes: [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.request.model', 'gpt-4o-mini'), attr('gen_ai.usage.input_tokens', 50), attr('gen_ai.usage.output_tokens', 5)] },
    { traceId, spanId: newSpanId().toString('hex'), parentSpanId: agentSpan, name: 'execute_tool search', kind: 1, startTimeUnixNano: ms(30), endTimeUnixNano: ms(40),
      attributes: [attr('gen_ai.operation.name', 'execute_tool'), attr('gen_ai.tool.name', 'search')] },
    { traceId, spanId: agentSpan, name: `invoke_agent ${agent}`, kind: 1, startTimeUnixNano: ms(0), endTimeUnixNano: ms(50),
      attributes: [attr('gen_ai.operation.name', 'invoke_agent'), attr('gen_ai.agent.name', agent)],
      events: [
        { timeUnixNano: ms(5), name: 'agentflow.state', attributes: [attr('agentflow.state.from', 'idle'), attr('agentflow.state.to', 'working')] },
        { timeUnixNano: ms(45), name: 'agentflow.state', attributes: [attr('agentflow.state.from', 'working'), attr('agentflow.state.to', 'done')] },
      ] },
  ];
  return { agentSpan, body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [attr('service.name', 'svc')] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] }) };
}

async function post(body: string): Promise<number> {
  const res = await fetch(`${t.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(res.status).toBe(200);
  return Date.now();
}

describe('GET /api/v1/live', () => {
  it("delivers a session's events in order within a second of the acknowledgement", async () => {
    const client = await connect();
    const { agentSpan, body } = agentExport('streamer');
    const ackedAt = await post(body);
    const events = await client.waitFor(5);
    await client.close();
    expect(events.map((e) => [e.type, e.data.data.to ?? e.data.data.name ?? e.data.data.status])).toEqual([
      ['state', 'working'], ['action', 'gpt-4o-mini'], ['action', 'search'], ['state', 'done'], ['session.end', 'completed'],
    ]);
    expect(events.every((e) => e.data.agent === 'streamer' && e.data.sessionId === agentSpan)).toBe(true);
    expect(Math.max(...events.map((e) => e.atMs)) - ackedAt).toBeLessThan(1000);
  });

  it('announces a session start from the live processor’s start record, before the span ends', async () => {
    const client = await connect();
    const traceId = newTraceId().toString('hex');
    const spanId = newSpanId().toString('hex');
    const body = { resourceLogs: [{ resource: { attributes: [attr('service.name', 'svc')] }, scopeLogs: [{ scope: { name: 'agentflow' }, logRecords: [
      { timeUnixNano: nowNanos().toString(), eventName: 'agentflow.span.start', traceId, spanId,
        attributes: [attr('gen_ai.operation.name', 'invoke_agent'), attr('gen_ai.agent.name', 'early-bird'), attr('agentflow.goal', 'be first')] },
    ] }] }] };
    const res = await fetch(`${t.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    const [event] = await client.waitFor(1);
    await client.close();
    expect(event).toMatchObject({ type: 'session.start', data: { agent: 'early-bird', sessionId: spanId, data: { goal: 'be first' } } });
  });

  it('sends only the named agent’s events when filtered', async () => {
    const client = await connect('?agent=wanted');
    await post(agentExport('unwanted').body);
    await post(agentExport('wanted').body);
    const events = await client.waitFor(5);
    await new Promise((r) => setTimeout(r, 200));
    await client.close();
    expect(events.length).toBe(5);
    expect(new Set(events.map((e) => e.data.agent))).toEqual(new Set(['wanted']));
  });

  it('refuses unknown parameters', async () => {
    const res = await fetch(`${t.url}/api/v1/live?agnet=x`);
    expect(res.status).toBe(400);
  });
});

describe('agentflow live', () => {
  it('prints each event of the stream as a line until interrupted', async () => {
    const cli = spawn(process.execPath, [fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)), 'live', '--url', t.url], {
      env: { ...process.env, AGENTFLOW_URL: '', AGENTFLOW_API_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    // The CLI is connected once the hub counts it as a subscriber.
    for (let i = 0; i < 100 && t.collector.app.server.listening && (await (await fetch(`${t.url}/health`)).json()).live.subscribers === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await post(agentExport('cli-watched').body);
    for (let i = 0; i < 100 && stdout.split('\n').filter((l) => l.includes('cli-watched')).length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    cli.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    const lines = stdout.split('\n').filter((l) => l.includes('cli-watched'));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/cli-watched\s+state\s+idle → working/);
    expect(lines[1]).toMatch(/action\s+llm gpt-4o-mini completed 10 ms/);
    expect(lines[4]).toMatch(/session.end\s+completed after 50 ms/);
    expect(code).toBe(0);
  });
});
