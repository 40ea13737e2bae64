import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention } from '../src/storage/index.js';
import { agentRun, exportOf } from './helpers/agent-spans.js';
import { newSpanId, newTraceId, type TestSpan } from './helpers/otlp-payloads.js';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';

let t: TestCollector;
beforeAll(async () => {
  t = await startTestCollector();
});
afterAll(async () => t?.stop());

const ttlOf = async (table: string) => {
  const rows = await t.query<{ q: string }>("SELECT create_table_query AS q FROM system.tables WHERE database = 'agentflow' AND name = {n:String}", { n: table });
  return /TTL (.*?)( SETTINGS|$)/.exec(rows[0]?.q ?? '')?.[1] ?? '';
};

describe('retention', () => {
  it('sets TTLs from the defaults: 30 days for raw rows, 180 for derived ones', async () => {
    expect(await ttlOf('otel_traces')).toBe('toDateTime(Timestamp) + toIntervalDay(30)');
    expect(await ttlOf('otel_logs')).toBe('toDateTime(TimestampTime) + toIntervalDay(30)');
    expect(await ttlOf('agent_sessions_data')).toBe('toDateTime(started_at) + toIntervalDay(180)');
    expect(await ttlOf('agent_communications_data')).toBe('toDateTime(sent_at) + toIntervalDay(180)');
    expect(await ttlOf('anomalies_data')).toBe('toDateTime(detected_at) + toIntervalDay(180)');
  });

  it('changes nothing when the setting is unchanged, and follows a changed one', async () => {
    const client = t.collector.storage.client;
    expect(await applyRetention(client, { raw: 30, derived: 180 })).toEqual([]);
    expect(await applyRetention(client, { raw: 7, derived: 0 })).toHaveLength(13);
    expect(await ttlOf('otel_traces')).toBe('toDateTime(Timestamp) + toIntervalDay(7)');
    expect(await ttlOf('agent_actions_data')).toBe('');
    await applyRetention(client, { raw: 30, derived: 180 });
  });
});

describe('purge', () => {
  it("deletes the tenant's raw and derived rows older than the cut, and nothing newer or of other tenants", async () => {
    const old = agentRun('old-agent', 1, 1);
    const recent = agentRun('recent-agent', 1, 1);
    const twoDaysMs = 2 * 86_400_000;
    const shift = (s: TestSpan): TestSpan => ({ ...s, start: s.start - BigInt(twoDaysMs) * 1_000_000n, end: s.end - BigInt(twoDaysMs) * 1_000_000n });
    for (const spans of [[old.agent, ...old.llmCalls, ...old.toolCalls].map(shift), [recent.agent, ...recent.llmCalls, ...recent.toolCalls]]) {
      const res = await t.collector.app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: exportOf(spans) });
      expect(res.statusCode).toBe(200);
    }
    // Another tenant's old span, written straight into the table.
    await t.collector.storage.client.command({
      query: `INSERT INTO agentflow.otel_traces (TenantId, Timestamp, TraceId, SpanId, SpanName) VALUES ('other', now64(9) - INTERVAL 3 DAY, '${newTraceId().toString('hex')}', '${newSpanId().toString('hex')}', 'other tenant span')`,
    });
    const agents = async () => (await t.query<{ agent_name: string }>('SELECT agent_name FROM agentflow.agent_sessions ORDER BY agent_name')).map((r) => r.agent_name);
    expect(await agents()).toEqual(['old-agent', 'recent-agent']);

    const res = await t.collector.app.inject({ method: 'POST', url: '/api/v1/admin/purge', payload: { before: '1d' } });
    expect(res.statusCode).toBe(200);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as { purged?: string; done?: boolean });
    expect(lines.filter((l) => l.purged).map((l) => l.purged)).toContain('otel_traces');
    expect(lines.at(-1)).toMatchObject({ done: true });

    expect(await agents()).toEqual(['recent-agent']);
    const spans = await t.query<{ TenantId: string; SpanName: string }>('SELECT TenantId, SpanName FROM agentflow.otel_traces ORDER BY TenantId, SpanName');
    expect(spans.filter((s) => s.TenantId === 'default').every((s) => !s.SpanName.includes('old-agent'))).toBe(true);
    expect(spans.filter((s) => s.TenantId === 'default')).toHaveLength(3);
    expect(spans.filter((s) => s.TenantId === 'other')).toEqual([{ TenantId: 'other', SpanName: 'other tenant span' }]);
    const actions = await t.query<{ n: string }>("SELECT toString(count()) AS n FROM agentflow.agent_actions WHERE agent_name = 'old-agent'");
    expect(actions).toEqual([{ n: '0' }]);
  });

  it('refuses a cut it cannot read', async () => {
    const res = await t.collector.app.inject({ method: 'POST', url: '/api/v1/admin/purge', payload: { before: 'last week' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/before must be a duration like 30m/);
  });
});
