import { AGENTFLOW, GEN_AI, RESOURCE } from '@agentflow/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentTracker, startAgentTelemetry } from '../src/index.js';
import { startFakeServer, type FakeServer, type ReceivedRequest } from './support/fake-server.js';

/** OTLP/JSON key-value lists as a plain map of their scalar values. */
type KeyValue = { key: string; value: Record<string, unknown> };
function attributeMap(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
}

interface OtlpSpan { name: string; spanId: string; parentSpanId?: string; attributes?: KeyValue[] }
interface OtlpLog { eventName?: string; spanId?: string; attributes?: KeyValue[] }

function received(requests: ReceivedRequest[], path: string): Record<string, unknown>[] {
  return requests.filter((r) => r.path === path).map((r) => r.body);
}

let receiver: FakeServer;
beforeAll(async () => {
  receiver = await startFakeServer(() => ({ json: {} }));
});
afterAll(async () => receiver.close());

describe('startAgentTelemetry', () => {
  it('exports spans and live log records over OTLP/HTTP with the agent resource, and flushes on shutdown', async () => {
    const telemetry = startAgentTelemetry({
      serviceName: 'research-agent', endpoint: `${receiver.url}/`, serviceInstanceId: 'instance-1', agentType: 'research',
      capacity: 2, heartbeatIntervalMs: 40, exportIntervalMs: 50,
    });
    expect(telemetry.serviceInstanceId).toBe('instance-1');
    const tracker = createAgentTracker();
    await tracker.runSession({ agentName: 'researcher' }, async (session) => {
      await session.tool({ name: 'search' }, () => new Promise((r) => setTimeout(r, 120)));
    });
    await telemetry.shutdown();
    await telemetry.shutdown();

    const traces = received(receiver.requests, '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    const resourceSpans = traces.flatMap((t) => t['resourceSpans'] as { resource: { attributes: KeyValue[] }; scopeSpans: { spans: OtlpSpan[] }[] }[]);
    expect(attributeMap(resourceSpans[0]!.resource.attributes)).toMatchObject({
      [RESOURCE.SERVICE_NAME]: 'research-agent',
      [RESOURCE.SERVICE_INSTANCE_ID]: 'instance-1',
      [AGENTFLOW.AGENT_TYPE]: 'research',
      [AGENTFLOW.AGENT_CAPACITY]: 2,
    });
    const spans = resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const session = spans.find((s) => s.name === 'invoke_agent researcher')!;
    const tool = spans.find((s) => s.name === 'execute_tool search')!;
    expect(tool.parentSpanId).toBe(session.spanId);

    const logs = received(receiver.requests, '/v1/logs')
      .flatMap((l) => l['resourceLogs'] as { resource: { attributes: KeyValue[] }; scopeLogs: { logRecords: OtlpLog[] }[] }[]);
    expect(attributeMap(logs[0]!.resource.attributes)[RESOURCE.SERVICE_INSTANCE_ID]).toBe('instance-1');
    const records = logs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords));
    const starts = records.filter((r) => r.eventName === AGENTFLOW.SPAN_START_EVENT);
    expect(starts.map((r) => attributeMap(r.attributes)[AGENTFLOW.SPAN_NAME])).toEqual(['invoke_agent researcher', 'execute_tool search']);
    expect(starts[0]!.spanId).toBe(session.spanId);
    expect(attributeMap(starts[1]!.attributes)[GEN_AI.AGENT_NAME]).toBe('researcher');
    const statuses = records.filter((r) => r.eventName === AGENTFLOW.HEARTBEAT_EVENT).map((r) => attributeMap(r.attributes)[AGENTFLOW.INSTANCE_STATUS]);
    expect(statuses).toContain('online');
    expect(statuses.at(-1)).toBe('offline');
  });

  it('fails fast on bad configuration', () => {
    expect(() => startAgentTelemetry({} as never)).toThrow(TypeError);
    expect(() => startAgentTelemetry({ serviceName: 's', endpoint: 'not a url' })).toThrow(/endpoint/);
    expect(() => startAgentTelemetry({ serviceName: 's', endpoint: 'ftp://127.0.0.1' })).toThrow(/http/);
  });
});
