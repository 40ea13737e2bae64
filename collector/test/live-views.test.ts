import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOf } from './helpers/agent-spans.js';
import { newSpanId, newTraceId, nowNanos } from './helpers/otlp-payloads.js';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';

/** Running agents and the registry, from the live processor's log records, before any span ends. */
let t: TestCollector;
beforeAll(async () => {
  t = await startTestCollector({ AGENTFLOW_ASSEMBLY_QUIET_MS: '50', AGENTFLOW_ASSEMBLY_TICK_MS: '25' });
});
afterAll(async () => t?.stop());

type Attr = Record<string, string | number>;
const value = (v: string | number) => (typeof v === 'number' ? { intValue: String(v) } : { stringValue: v });

function logRecord(timeNs: bigint, eventName: string, attributes: Attr, traceId?: Buffer, spanId?: Buffer) {
  return {
    timeUnixNano: timeNs.toString(), eventName,
    ...(traceId ? { traceId: traceId.toString('hex') } : {}), ...(spanId ? { spanId: spanId.toString('hex') } : {}),
    attributes: Object.entries(attributes).map(([key, v]) => ({ key, value: value(v) })),
  };
}

async function sendLogs(instance: string, records: unknown[]): Promise<void> {
  const body = {
    resourceLogs: [{
      resource: { attributes: [
        { key: 'service.name', value: { stringValue: 'fleet' } }, { key: 'service.instance.id', value: { stringValue: instance } },
        { key: 'agentflow.agent.type', value: { stringValue: 'researcher' } },
      ] },
      scopeLogs: [{ scope: { name: 'agentflow' }, logRecords: records }],
    }],
  };
  const res = await t.collector.app.inject({ method: 'POST', url: '/v1/logs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  expect(res.statusCode, res.body).toBe(200);
}

describe('agent_live_sessions', () => {
  it('shows an agent running from its start record, with its latest activity, until its span arrives', async () => {
    const traceId = newTraceId();
    const agentSpan = newSpanId();
    const started = nowNanos(-30_000);
    await sendLogs('inst-live', [
      logRecord(started, 'agentflow.span.start', { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'watcher', 'agentflow.span.name': 'invoke_agent watcher', 'agentflow.goal': 'watch deploys' }, traceId, agentSpan),
      logRecord(nowNanos(-5_000), 'agentflow.span.start', { 'gen_ai.operation.name': 'execute_tool', 'agentflow.span.name': 'execute_tool check_status', 'agentflow.span.parent_span_id': agentSpan.toString('hex') }, traceId, newSpanId()),
    ]);
    const live = await t.query<Record<string, unknown>>('SELECT * FROM agentflow.agent_live_sessions WHERE trace_id = {id:String}', { id: traceId.toString('hex') });
    expect(live).toEqual([expect.objectContaining({
      session_id: agentSpan.toString('hex'), agent_name: 'watcher', goal: 'watch deploys', status: 'running',
      last_action: 'execute_tool check_status', agent_type: '', service_instance_id: 'inst-live',
    })]);
    expect(Number(live[0]?.idle_ms)).toBeGreaterThanOrEqual(4_000);

    // The agent span ends and arrives: the derived session replaces the live one.
    const res = await t.collector.app.inject({
      method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' },
      payload: exportOf([{ traceId, spanId: agentSpan, name: 'invoke_agent watcher', kind: 1, start: started, end: nowNanos(), attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'watcher' } }]),
    });
    expect(res.statusCode).toBe(200);
    expect(await t.query('SELECT session_id FROM agentflow.agent_live_sessions WHERE trace_id = {id:String}', { id: traceId.toString('hex') })).toEqual([]);
    expect(await t.query('SELECT status FROM agentflow.agent_sessions WHERE session_id = {id:String}', { id: agentSpan.toString('hex') })).toEqual([{ status: 'completed' }]);
  });
});

describe('agent_instances', () => {
  it('lists each instance with its latest reported status, load and capacity', async () => {
    await sendLogs('inst-a', [
      logRecord(nowNanos(-2_000), 'agentflow.heartbeat', { 'agentflow.instance.status': 'online', 'agentflow.instance.load': 0, 'agentflow.agent.capacity': 4, 'agentflow.heartbeat.interval_ms': 10_000 }),
      logRecord(nowNanos(-1_000), 'agentflow.heartbeat', { 'agentflow.instance.status': 'busy', 'agentflow.instance.load': 4, 'agentflow.agent.capacity': 4, 'agentflow.heartbeat.interval_ms': 10_000 }),
    ]);
    const rows = await t.query<Record<string, unknown>>("SELECT * FROM agentflow.agent_instances WHERE service_instance_id = 'inst-a'");
    expect(rows).toEqual([expect.objectContaining({ status: 'busy', current_load: 4, max_capacity: 4, agent_type: 'researcher', service_name: 'fleet' })]);
  });

  it('marks an instance offline once its heartbeats stop for three intervals', async () => {
    await sendLogs('inst-gone', [
      logRecord(nowNanos(-60_000), 'agentflow.heartbeat', { 'agentflow.instance.status': 'online', 'agentflow.instance.load': 1, 'agentflow.heartbeat.interval_ms': 5_000 }),
    ]);
    const rows = await t.query<Record<string, unknown>>("SELECT reported_status, status FROM agentflow.agent_instances WHERE service_instance_id = 'inst-gone'");
    expect(rows).toEqual([{ reported_status: 'online', status: 'offline' }]);
  });
});
