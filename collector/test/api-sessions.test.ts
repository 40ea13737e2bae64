/**
 * The session read API (`/api/v1/sessions…`, `/api/v1/traces/:id`) and the `agentflow sessions` /
 * `agentflow show` commands, on the real embedded engine: captured multi-agent fixtures, a
 * generated fleet of 130 sessions with known figures, and one hand-built session with states,
 * decisions, messages, a failure and two levels of sub-agents.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENTFLOW, DATABASE, GENERAL, GEN_AI, GEN_AI_OPERATION, RESOURCE, TABLES } from '@agentflow/schemas';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { jsonTraceRequest } from './helpers/otlp-payloads.js';
import type { SessionDetail, SessionPage, SessionSummary, TraceSpans, TreeNode } from '../src/api/sessions/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, '..', 'dist', 'cli', 'main.js');
const FIXTURES = ['otel-genai/multi-agent-delegation.pb', 'openai-agents/handoff-tool.pb', 'vercel-ai-v6/subagent-delegation.pb'];
const MS = 1_000_000n;
const NOW = BigInt(Date.now()) * MS;

// ---------------------------------------------------------------------------------------------
// Spans as OTLP/JSON, with what the shared helpers do not build: status, events and links.

type Attrs = Record<string, string | number | bigint | boolean>;
interface Span {
  traceId: string; spanId: string; parent?: string; name: string; start: bigint; end: bigint; attrs?: Attrs;
  events?: { at: bigint; name: string; attrs: Attrs }[]; error?: string; links?: { traceId: string; spanId: string }[];
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const attributes = (a: Attrs = {}) => Object.entries(a).map(([key, v]) => ({
  key,
  value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v }
    : typeof v === 'bigint' ? { intValue: v.toString() } : { doubleValue: v },
}));
const otlp = (s: Span) => ({
  traceId: s.traceId, spanId: s.spanId, ...(s.parent ? { parentSpanId: s.parent } : {}), name: s.name, kind: 1,
  startTimeUnixNano: s.start.toString(), endTimeUnixNano: s.end.toString(), attributes: attributes(s.attrs),
  events: (s.events ?? []).map((e) => ({ timeUnixNano: e.at.toString(), name: e.name, attributes: attributes(e.attrs) })),
  links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
  status: s.error ? { code: 2, message: s.error } : { code: 0 },
});

const agentSpan = (traceId: string, name: string, start: bigint, end: bigint, attrs: Attrs = {}, parent?: string): Span => ({
  traceId, spanId: hex(8), name: `invoke_agent ${name}`, start, end, ...(parent ? { parent } : {}),
  attrs: { [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_AGENT, [GEN_AI.AGENT_NAME]: name, ...attrs },
});
const chatSpan = (parent: Span, start: bigint, ms: number, input: number, output: number, costUsd: number): Span => ({
  traceId: parent.traceId, spanId: hex(8), parent: parent.spanId, name: 'chat gpt-4o', start, end: start + BigInt(ms) * MS,
  attrs: {
    [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.CHAT, [GEN_AI.REQUEST_MODEL]: 'gpt-4o', [GEN_AI.PROVIDER_NAME]: 'openai',
    [GEN_AI.USAGE_INPUT_TOKENS]: BigInt(input), [GEN_AI.USAGE_OUTPUT_TOKENS]: BigInt(output), [GEN_AI.USAGE_COST]: costUsd,
  },
});
const toolSpan = (parent: Span, tool: string, start: bigint, ms: number, error?: string): Span => ({
  traceId: parent.traceId, spanId: hex(8), parent: parent.spanId, name: `execute_tool ${tool}`, start, end: start + BigInt(ms) * MS,
  attrs: { [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.EXECUTE_TOOL, [GEN_AI.TOOL_NAME]: tool, ...(error ? { [GENERAL.ERROR_TYPE]: 'NotFound' } : {}) },
  ...(error ? { error } : {}),
});

// ---------------------------------------------------------------------------------------------
// The generated fleet: 127 agent sessions and 3 implicit ones, one trace each, with known figures.

interface Generated {
  id: string; traceId: string; name: string; agentId: string; type: string; status: string; workflow: string;
  conversation: string; user: string; goal: string; startNs: bigint; durationMs: number; llm: number; tools: number;
  inputTokens: number; outputTokens: number; cost: number; implicit: boolean;
}
const NAMES = ['gen-planner', 'gen-coder', 'gen-reviewer', 'gen-support'];
const FLEET_START = NOW - 3n * 86_400_000n * MS;

function generateFleet(): { sessions: Generated[]; spans: Span[] } {
  const sessions: Generated[] = [];
  const spans: Span[] = [];
  for (let i = 0; i < 130; i++) {
    // The first 20 start in pairs at the same instant: the cursor must order ties by session id.
    const startNs = FLEET_START + BigInt(i < 20 ? Math.floor(i / 2) : i) * 60_000n * MS;
    const durationMs = 60_000 + i * 1000;
    const traceId = hex(16);
    const implicit = i >= 127;
    const llm = (i % 3) + 1;
    const tools = i % 2;
    const callCost = 0.25 * ((i % 5) + 1);
    const name = implicit ? 'gen-implicit-svc' : (NAMES[i % 4] as string);
    // An implicit session is a plain root span: no agent attributes at all.
    const g: Generated = {
      id: '', traceId, name, agentId: implicit ? '' : `gen-id-${name}`, type: implicit ? '' : i % 4 === 3 ? 'gen-chat' : 'gen-worker',
      status: i % 10 === 3 && !implicit ? 'failed' : 'completed', workflow: implicit ? '' : i % 3 === 0 ? 'wf-gen-a' : 'wf-gen-b',
      conversation: implicit ? '' : `gen-conv-${i % 7}`, user: implicit ? '' : `gen-user-${i % 5}`,
      goal: implicit ? '' : i % 6 === 0 ? `Task ${i}: Refund the ORDER` : `Task ${i}: write code`,
      startNs, durationMs, llm, tools, inputTokens: llm * 100 * ((i % 4) + 1), outputTokens: llm * 10, cost: llm * callCost, implicit,
    };
    const end = startNs + BigInt(durationMs) * MS;
    const root: Span = implicit
      ? { traceId, spanId: hex(8), name: 'GET /gen', start: startNs, end }
      : agentSpan(traceId, name, startNs, end, {
        [GEN_AI.AGENT_ID]: g.agentId, [AGENTFLOW.AGENT_TYPE]: g.type, [GEN_AI.WORKFLOW_NAME]: g.workflow,
        [GEN_AI.CONVERSATION_ID]: g.conversation, [GENERAL.USER_ID]: g.user, [AGENTFLOW.GOAL]: g.goal,
      });
    if (g.status === 'failed') root.error = 'gave up';
    g.id = root.spanId;
    spans.push(root);
    for (let k = 0; k < llm; k++) spans.push(chatSpan(root, startNs + BigInt(k * 100) * MS, 50, 100 * ((i % 4) + 1), 10, callCost));
    for (let k = 0; k < tools; k++) spans.push(toolSpan(root, 'search', startNs + 500n * MS, 30));
    sessions.push(g);
  }
  return { sessions, spans };
}

// ---------------------------------------------------------------------------------------------
// One rich session: desk → billing → ledger, with states, a decision, a message, a failed tool call.

const RICH_START = NOW - 3_600_000n * MS;
const at = (ms: number) => RICH_START + BigInt(ms) * MS;
const LINKED = { traceId: hex(16), spanId: hex(8) };

function richTrace() {
  const traceId = hex(16);
  const state = (ms: number, from: string, to: string) => ({ at: at(ms), name: AGENTFLOW.STATE_EVENT, attrs: { [AGENTFLOW.STATE_FROM]: from, [AGENTFLOW.STATE_TO]: to } });
  const desk = agentSpan(traceId, 'desk', at(0), at(10_000), {
    [AGENTFLOW.AGENT_TYPE]: 'router', [AGENTFLOW.GOAL]: 'Answer ticket #42 "urgent" [billing]', [GEN_AI.WORKFLOW_NAME]: 'wf-rich',
  });
  desk.events = [
    state(100, '', 'triage'), state(1000, 'triage', 'working'), state(3000, 'working', 'waiting'), state(4000, 'waiting', 'working'),
    state(5000, 'working', 'waiting'), state(5500, 'waiting', 'working'), state(9000, 'working', 'done'),
    {
      at: at(500), name: AGENTFLOW.DECISION_EVENT, attrs: {
        [AGENTFLOW.DECISION_TYPE]: 'route', [AGENTFLOW.DECISION_QUESTION]: 'who handles it?', [AGENTFLOW.DECISION_OPTIONS]: '["billing","tech"]',
        [AGENTFLOW.DECISION_CHOSEN]: 'billing', [AGENTFLOW.DECISION_CONFIDENCE]: 0.9,
      },
    },
    { at: at(6000), name: AGENTFLOW.MESSAGE_EVENT, attrs: { [AGENTFLOW.MESSAGE_TO_AGENT]: 'auditor', [AGENTFLOW.MESSAGE_TYPE]: 'notify' } },
  ];
  const chat1 = chatSpan(desk, at(200), 600, 300, 40, 0.02);
  const lookup = toolSpan(desk, 'lookup', at(1100), 400, 'ticket missing');
  const delegate = toolSpan(desk, 'delegate_billing', at(2000), 6000);
  const billing = agentSpan(traceId, 'billing', at(2100), at(7900), {}, delegate.spanId);
  const billingChat = chatSpan(billing, at(2200), 400, 200, 20, 0.01);
  const ledger = agentSpan(traceId, 'ledger', at(3000), at(5000), {}, billing.spanId);
  ledger.links = [LINKED];
  const post = toolSpan(ledger, 'post_entry', at(3100), 100);
  const chat2 = chatSpan(desk, at(8200), 600, 500, 60, 0.03);
  return { traceId, desk, billing, ledger, spans: [desk, chat1, lookup, delegate, billing, billingChat, ledger, post, chat2] };
}

// ---------------------------------------------------------------------------------------------

let t: TestCollector;
const fleet = generateFleet();
const rich = richTrace();
const OTHER = { sessionId: hex(8), traceId: hex(16) };

function exportJson(spans: readonly Span[], service = 'api-sessions-test') {
  return t.collector.app.inject({
    method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' }, payload: jsonTraceRequest(service, spans.map(otlp)),
  });
}

async function get<T = unknown>(url: string): Promise<{ status: number; body: T; contentType: string; text: string }> {
  const res = await t.collector.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: (res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : undefined) as T, contentType: String(res.headers['content-type']), text: res.body };
}

/** Inserts a copy of default-tenant rows stamped with tenant `other` and an `INTRUDER` marker. */
async function copyToOtherTenant(table: string, marker: string, where: string) {
  await t.collector.storage.client.command({
    query: `INSERT INTO ${DATABASE}.${table} SELECT * REPLACE ('other' AS tenant_id, 'INTRUDER' AS ${marker})
            FROM ${DATABASE}.${table} FINAL WHERE tenant_id = 'default' AND ${where}`,
    query_params: { trace: rich.traceId },
  });
}

beforeAll(async () => {
  t = await startTestCollector();
  for (const fixture of FIXTURES) {
    const res = await t.collector.app.inject({
      method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: readFileSync(join(HERE, 'fixtures', fixture)),
    });
    if (res.statusCode !== 200) throw new Error(`${fixture}: ${res.statusCode} ${res.body}`);
  }
  for (let i = 0; i < fleet.spans.length; i += 150) {
    const res = await exportJson(fleet.spans.slice(i, i + 150));
    if (res.statusCode !== 200) throw new Error(`fleet: ${res.statusCode} ${res.body}`);
  }
  // Exported twice, as after a lost acknowledgement: nothing may count twice.
  for (let i = 0; i < 2; i++) expect((await exportJson(rich.spans)).statusCode).toBe(200);
  await t.query('SELECT 1'); // waits until everything is inserted and assembled

  // A running session: its agent span started (the start record the live processor sends) and has not ended.
  const live = await t.collector.app.inject({
    method: 'POST', url: '/v1/logs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ resourceLogs: [{
      resource: { attributes: attributes({ [RESOURCE.SERVICE_NAME]: 'api-sessions-test' }) },
      scopeLogs: [{ scope: { name: 'agentflow' }, logRecords: [{
        timeUnixNano: (NOW - 60_000n * MS).toString(), eventName: AGENTFLOW.SPAN_START_EVENT, traceId: hex(16), spanId: hex(8),
        attributes: attributes({ [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_AGENT, [GEN_AI.AGENT_NAME]: 'gen-live' }),
      }] }],
    }] }),
  });
  expect(live.statusCode, live.body).toBe(200);
  // Another tenant's rows.
  await copyToOtherTenant(TABLES.SESSIONS_DATA, 'agent_name', 'trace_id = {trace:String}');
  await copyToOtherTenant(TABLES.ACTIONS_DATA, 'name', 'trace_id = {trace:String}');
  await copyToOtherTenant(TABLES.TRANSITIONS_DATA, 'to_state', 'trace_id = {trace:String}');
  await copyToOtherTenant(TABLES.DECISIONS_DATA, 'chosen', 'trace_id = {trace:String}');
  await copyToOtherTenant(TABLES.COMMUNICATIONS_DATA, 'to_agent', 'trace_id = {trace:String}');
  await t.collector.storage.client.command({
    query: `INSERT INTO ${DATABASE}.${TABLES.TRACES} SELECT * REPLACE ('other' AS TenantId, 'INTRUDER' AS SpanName)
            FROM ${DATABASE}.${TABLES.TRACES} WHERE TenantId = 'default' AND TraceId = {trace:String}`,
    query_params: { trace: rich.traceId },
  });
  // The newest session of all, of a fleet agent, with ids no default-tenant row has.
  await t.collector.storage.client.command({
    query: `INSERT INTO ${DATABASE}.${TABLES.SESSIONS_DATA} (tenant_id, session_id, trace_id, root_session_id, agent_name, status, started_at, ended_at, version)
            VALUES ('other', {id:String}, {trace:String}, {id:String}, 'gen-coder', 'completed', now64(9), now64(9), 1)`,
    query_params: { id: OTHER.sessionId, trace: OTHER.traceId },
  });
  await t.collector.storage.client.command({
    query: `INSERT INTO ${DATABASE}.${TABLES.TRACES} (TenantId, Timestamp, TraceId, SpanId, SpanName) VALUES ('other', now64(9), {trace:String}, {id:String}, 'INTRUDER')`,
    query_params: { id: OTHER.sessionId, trace: OTHER.traceId },
  });
});
afterAll(async () => t?.stop());

/** Session ids of the default tenant in list order, straight from the view. */
async function allIdsInOrder(): Promise<string[]> {
  const rows = await t.query<{ session_id: string }>(
    `SELECT session_id FROM ${DATABASE}.${TABLES.SESSIONS} WHERE tenant_id = 'default' ORDER BY started_at DESC, session_id DESC`,
  );
  return rows.map((r) => r.session_id);
}

async function listAll(query: string, limit = 500): Promise<SessionSummary[]> {
  const res = await get<SessionPage>(`/api/v1/sessions?limit=${limit}${query ? `&${query}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return res.body.sessions;
}

const newestFirst = (g: readonly Generated[]) => [...g].sort((a, b) => (a.startNs === b.startNs ? (a.id < b.id ? 1 : -1) : a.startNs < b.startNs ? 1 : -1)).map((x) => x.id);
const agents = fleet.sessions.filter((g) => !g.implicit);

describe('GET /api/v1/sessions', () => {
  it('walks every session page by page, newest first, without gaps or repeats, while new sessions arrive', async () => {
    const expected = await allIdsInOrder();
    // The running session has no derived row yet: it is listed by status=running alone.
    expect(expected.length).toBeGreaterThanOrEqual(130 + 8 + 3);
    const seen: SessionSummary[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: SessionPage } = await get<SessionPage>(`/api/v1/sessions?limit=25${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.sessions.length).toBeLessThanOrEqual(25);
      seen.push(...res.body.sessions);
      cursor = res.body.next_cursor;
      if (++pages === 1) {
        // A session newer than everything arrives after the first page: later pages are unaffected.
        const late = agentSpan(hex(16), 'late-arrival', NOW - 1000n * MS, NOW);
        expect((await exportJson([late])).statusCode).toBe(200);
        await t.query('SELECT 1');
      }
    } while (cursor !== null);
    expect(pages).toBe(Math.ceil(expected.length / 25));
    expect(seen.map((s) => s.session_id)).toEqual(expected);
    expect(new Set(seen.map((s) => s.session_id)).size).toBe(seen.length);
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1]!.started_at >= seen[i]!.started_at).toBe(true);
  });

  it('orders sessions that started at the same instant by session id, across page boundaries', async () => {
    const pairs = fleet.sessions.slice(0, 20);
    const ids: string[] = [];
    let cursor = '';
    for (let i = 0; i < 7; i++) {
      const res = await get<SessionPage>(`/api/v1/sessions?agent_type=gen-worker&to=${iso(FLEET_START + 10n * 60_000n * MS)}&limit=3${cursor}`);
      ids.push(...res.body.sessions.map((s) => s.session_id));
      if (!res.body.next_cursor) break;
      cursor = `&cursor=${res.body.next_cursor}`;
    }
    expect(ids).toEqual(newestFirst(pairs.filter((g) => g.type === 'gen-worker')));
  });

  it('answers 50 sessions by default with the full summary of each', async () => {
    const res = await get<SessionPage>('/api/v1/sessions');
    expect(res.body.sessions).toHaveLength(50);
    expect(res.body.next_cursor).toEqual(expect.any(String));
    const g = agents[101]!;
    const [row] = await listAll(`agent_id=${g.agentId}&from=${iso(g.startNs)}&to=${iso(g.startNs + 1n)}`);
    expect(row).toEqual(expect.objectContaining({
      session_id: g.id, trace_id: g.traceId, root_session_id: g.id, parent_session_id: '', agent_id: g.agentId, agent_name: g.name,
      agent_type: g.type, goal: g.goal, workflow_name: g.workflow, conversation_id: g.conversation, user_id: g.user, status: g.status,
      started_at: iso(g.startNs), ended_at: iso(g.startNs + BigInt(g.durationMs) * MS), duration_ms: g.durationMs,
      llm_calls: g.llm, tool_calls: g.tools, input_tokens: g.inputTokens, output_tokens: g.outputTokens, cost_usd: g.cost, implicit: false,
    }));
  });

  const filters: [string, string, (g: Generated) => boolean][] = [
    ['agent_id', 'agent_id=gen-id-gen-coder', (g) => g.agentId === 'gen-id-gen-coder'],
    ['agent (name)', 'agent=gen-reviewer', (g) => g.name === 'gen-reviewer'],
    ['agent_type', 'agent_type=gen-chat', (g) => g.type === 'gen-chat'],
    ['workflow', 'workflow=wf-gen-a', (g) => g.workflow === 'wf-gen-a'],
    ['conversation', 'conversation=gen-conv-3', (g) => g.conversation === 'gen-conv-3'],
    ['user', 'user=gen-user-2', (g) => g.user === 'gen-user-2'],
    ['from/to', `from=${iso(FLEET_START + 30n * 60_000n * MS)}&to=${iso(FLEET_START + 40n * 60_000n * MS)}`, (g) => g.startNs >= FLEET_START + 30n * 60_000n * MS && g.startNs < FLEET_START + 40n * 60_000n * MS],
    ['min_cost', 'min_cost=2', (g) => g.cost >= 2],
    ['min_duration_ms', 'min_duration_ms=150000', (g) => g.durationMs >= 150_000],
    ['q (goal text, any case)', 'q=refund%20the%20order', (g) => g.goal.includes('Refund the ORDER')],
    ['implicit', 'implicit=true', (g) => g.implicit],
    ['several at once', 'agent=gen-coder&workflow=wf-gen-b&min_cost=1', (g) => g.name === 'gen-coder' && g.workflow === 'wf-gen-b' && g.cost >= 1],
  ];
  it.each(filters)('filters by %s', async (_name, query, keep) => {
    const expected = newestFirst(fleet.sessions.filter(keep));
    expect(expected.length).toBeGreaterThan(0);
    expect((await listAll(query)).map((s) => s.session_id)).toEqual(expected);
  });

  it('filters by status, failed and running', async () => {
    const failed = await listAll('status=failed');
    expect(failed.map((s) => s.session_id)).toEqual(newestFirst(fleet.sessions.filter((g) => g.status === 'failed')));
    expect(failed[0]).toMatchObject({ status: 'failed', error_message: 'gave up' });
    // Known from its start record only: no derived session exists before the agent span ends.
    const running = await listAll('status=running');
    expect(running).toHaveLength(1);
    expect(running[0]).toMatchObject({ agent_name: 'gen-live', status: 'running', process_status: 'running', ended_at: null, open_anomalies: 0 });
  });

  it('lists the implicit=false sessions as everything else', async () => {
    const all = await allIdsInOrder();
    expect((await listAll('implicit=false')).length).toBe(all.length - 3);
  });

  it.each([
    ['limit over 500', 'limit=501', /limit/],
    ['limit 0', 'limit=0', /limit/],
    ['a non-numeric limit', 'limit=ten', /limit/],
    ['an unknown status', 'status=sleeping', /status/],
    ['a time without a zone', 'from=2025-01-01T10:00:00', /from: expected an ISO 8601/],
    ['a negative min_cost', 'min_cost=-1', /min_cost/],
    ['a forged cursor', 'cursor=bm90LWEtY3Vyc29y', /cursor: not a cursor this server issued/],
    ['an unknown parameter', 'agnet=gen-coder', /agnet: unknown parameter/],
    ['implicit=maybe', 'implicit=maybe', /implicit/],
  ])('answers 400 to %s', async (_what, query, message) => {
    const res = await get<{ error: { code: string; message: string } }>(`/api/v1/sessions?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'AF_BAD_REQUEST', message: expect.stringMatching(message) });
  });
});

async function sessionOf(query: string): Promise<SessionSummary> {
  const rows = await listAll(query);
  const root = rows.find((s) => s.parent_session_id === '');
  if (!root) throw new Error(`no root session for ${query}`);
  return root;
}

describe('GET /api/v1/sessions/:id', () => {
  it('answers the session with its actions, records, children and totals, counted once', async () => {
    const res = await get<SessionDetail>(`/api/v1/sessions/${rich.desk.spanId}`);
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.session).toMatchObject({
      agent_name: 'desk', agent_type: 'router', status: 'completed', goal: 'Answer ticket #42 "urgent" [billing]', workflow_name: 'wf-rich',
      llm_calls: 2, tool_calls: 2, actions: 4, errors: 1, input_tokens: 800, output_tokens: 100, cost_usd: 0.05, duration_ms: 10_000,
    });
    expect(d.actions.map((a) => [a.sequence, a.action_type, a.tool_name, a.status, a.duration_ms])).toEqual([
      [1, 'llm_call', '', 'completed', 600], [2, 'tool_call', 'lookup', 'failed', 400], [3, 'tool_call', 'delegate_billing', 'completed', 6000], [4, 'llm_call', '', 'completed', 600],
    ]);
    expect(d.actions[1]).toMatchObject({ error_type: 'NotFound', error: 'ticket missing' });
    expect(d.transitions.map((x) => `${x.from_state}>${x.to_state}:${x.duration_ms}`)).toEqual([
      '>triage:900', 'triage>working:2000', 'working>waiting:1000', 'waiting>working:1000', 'working>waiting:500', 'waiting>working:3500', 'working>done:1000',
    ]);
    expect(d.decisions).toEqual([expect.objectContaining({ decision_type: 'route', question: 'who handles it?', options: ['billing', 'tech'], chosen: 'billing', confidence: 0.9, decided_at: iso(at(500)) })]);
    expect(d.communications.map((c) => [c.message_type, c.from_agent, c.to_agent])).toEqual([['delegation', 'desk', 'billing'], ['notify', 'desk', 'auditor']]);
    expect(d.children.map((c) => [c.agent_name, c.session_id])).toEqual([['billing', rich.billing.spanId]]);
    expect(d.totals.self).toMatchObject({ sessions: 1, llm_calls: 2, tool_calls: 2, input_tokens: 800, output_tokens: 100, cost_usd: 0.05 });
    expect(d.totals.subtree).toMatchObject({ sessions: 3, llm_calls: 3, tool_calls: 3, errors: 1, input_tokens: 1000, output_tokens: 120, cost_usd: 0.06 });
  });

  it('merges everything into one timeline ordered by time, with offsets and durations', async () => {
    const { body } = await get<SessionDetail>(`/api/v1/sessions/${rich.desk.spanId}`);
    const brief = body.timeline.map((i) => {
      const what = i.kind === 'transition' ? i.to_state : i.kind === 'action' ? i.tool_name || i.action_type : i.kind === 'message' ? i.message_type
        : i.kind === 'decision' ? i.chosen : i.kind === 'error' ? i.message : i.kind === 'session_end' ? i.status : i.agent_name;
      return `${i.offset_ms} ${i.kind} ${what} ${i.duration_ms ?? '-'}`;
    });
    expect(brief).toEqual([
      '0 session_start desk -', '100 transition triage 900', '200 action llm_call 600', '500 decision billing -', '1000 transition working 2000',
      '1100 action lookup 400', '1500 error ticket missing -', '2000 action delegate_billing 6000', '2100 message delegation -',
      '3000 transition waiting 1000', '4000 transition working 1000', '5000 transition waiting 500', '5500 transition working 3500',
      '6000 message notify -', '8200 action llm_call 600', '9000 transition done 1000', '10000 session_end completed 10000',
    ]);
    expect(body.timeline[0]?.at).toBe(iso(RICH_START));
  });

  it('shows a sub-agent its parent delegation and its own span links', async () => {
    const { body } = await get<SessionDetail>(`/api/v1/sessions/${rich.ledger.spanId}`);
    expect(body.session).toMatchObject({ agent_name: 'ledger', parent_session_id: rich.billing.spanId, root_session_id: rich.desk.spanId });
    expect(body.communications.map((c) => [c.message_type, c.from_session_id, c.to_session_id]).sort()).toEqual([
      ['delegation', rich.billing.spanId, rich.ledger.spanId], ['link', LINKED.spanId, rich.ledger.spanId],
    ]);
    expect(body.timeline.filter((i) => i.kind === 'message').map((i) => i.kind === 'message' && i.direction)).toEqual(['in', 'in']);
  });

  it('answers the fixture orchestrator with its delegations and three children', async () => {
    const orchestrator = await sessionOf('conversation=conv-spec-004');
    const { body } = await get<SessionDetail>(`/api/v1/sessions/${orchestrator.session_id}`);
    expect(body.actions.map((a) => a.tool_name || a.action_type).sort()).toEqual(['delegate_coding', 'delegate_research', 'delegate_review', 'llm_call', 'llm_call']);
    expect(body.children.map((c) => c.agent_name).sort()).toEqual(['coder', 'researcher', 'reviewer']);
    expect(body.communications.filter((c) => c.message_type === 'delegation')).toHaveLength(3);
    expect(body.totals.subtree).toMatchObject({ sessions: 4, llm_calls: 7, tool_calls: 5, input_tokens: 4920, output_tokens: 900, cache_read_tokens: 1500 });
    const times = body.timeline.map((i) => i.at);
    expect(times).toEqual([...times].sort());
  });

  it('answers 404 for an unknown session and 400 for a malformed id', async () => {
    const missing = await get<{ error: { code: string; message: string } }>('/api/v1/sessions/0123456789abcdef');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ code: 'AF_NOT_FOUND', message: 'no session with id 0123456789abcdef' });
    const bad = await get<{ error: { code: string; message: string } }>('/api/v1/sessions/not-an-id');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/16 hex digits/);
  });
});

/** A tree as nested agent names. */
type Shape = { [agent: string]: Shape };
const shapeOf = (node: TreeNode): Shape => Object.fromEntries([[node.session.agent_name, Object.assign({}, ...node.children.map(shapeOf))]]);

describe('GET /api/v1/sessions/:id/tree', () => {
  it('nests the fixture delegation as orchestrator with researcher, coder and reviewer, with totals per node', async () => {
    const orchestrator = await sessionOf('conversation=conv-spec-004');
    const researcher = (await listAll('conversation=conv-spec-004')).find((s) => s.agent_name === 'researcher')!;
    // Asked from a child, the answer is still the whole tree of its root.
    const res = await get<TreeNode>(`/api/v1/sessions/${researcher.session_id}/tree`);
    expect(res.status).toBe(200);
    expect(shapeOf(res.body)).toEqual({ orchestrator: { researcher: {}, coder: {}, reviewer: {} } });
    expect(res.body.session.session_id).toBe(orchestrator.session_id);
    expect(res.body.totals).toMatchObject({ sessions: 4, llm_calls: 7, tool_calls: 5, input_tokens: 4920, output_tokens: 900, cache_read_tokens: 1500, errors: 0 });
    const byName = Object.fromEntries(res.body.children.map((c) => [c.session.agent_name, c.totals]));
    expect(byName.researcher).toMatchObject({ sessions: 1, llm_calls: 2, tool_calls: 1, input_tokens: 380, output_tokens: 60 });
    expect(byName.coder).toMatchObject({ sessions: 1, llm_calls: 2, tool_calls: 1, input_tokens: 2300, output_tokens: 520, cache_read_tokens: 1500 });
    expect(byName.reviewer).toMatchObject({ sessions: 1, llm_calls: 1, tool_calls: 0, input_tokens: 640, output_tokens: 80 });
  });

  it('nests two levels: desk → billing → ledger', async () => {
    const { body } = await get<TreeNode>(`/api/v1/sessions/${rich.desk.spanId}/tree`);
    expect(shapeOf(body)).toEqual({ desk: { billing: { ledger: {} } } });
    expect(body.children[0]?.totals).toMatchObject({ sessions: 2, llm_calls: 1, tool_calls: 1, input_tokens: 200, cost_usd: 0.01 });
  });

  it('nests the Vercel AI sub-agent under its orchestrator', async () => {
    const orchestrator = await sessionOf('conversation=sess-7f3a');
    expect(shapeOf((await get<TreeNode>(`/api/v1/sessions/${orchestrator.session_id}/tree`)).body)).toEqual({ orchestrator: { researcher: {} } });
  });

  it('answers 404 for an unknown session', async () => {
    expect((await get('/api/v1/sessions/0123456789abcdef/tree')).status).toBe(404);
  });
});

describe('GET /api/v1/sessions/:id/diagram', () => {
  it('draws the fixture delegation as a sequence of agents, delegations, tool calls and replies', async () => {
    const orchestrator = await sessionOf('conversation=conv-spec-004');
    const res = await get(`/api/v1/sessions/${orchestrator.session_id}/diagram?type=sequence`);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/plain/);
    const lines = res.text.trimEnd().split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    const participants = Object.fromEntries(lines.filter((l) => l.includes('participant')).map((l) => {
      const [, id, name] = /participant (\w+) as (.+)$/.exec(l)!;
      return [name, id];
    }));
    expect(Object.keys(participants).sort()).toEqual(['coder', 'orchestrator', 'researcher', 'reviewer']);
    const p = (name: string) => participants[name] as string;
    for (const child of ['researcher', 'coder', 'reviewer']) {
      expect(lines).toContain(`    ${p('orchestrator')}->>${p(child)}: delegates`);
      expect(lines).toContain(`    ${p(child)}-->>${p('orchestrator')}: completed`);
      // The reply comes after the delegation.
      expect(lines.indexOf(`    ${p(child)}-->>${p('orchestrator')}: completed`)).toBeGreaterThan(lines.indexOf(`    ${p('orchestrator')}->>${p(child)}: delegates`));
    }
    expect(lines).toContain(`    ${p('researcher')}->>${p('researcher')}: web_search`);
    expect(lines).toContain(`    ${p('coder')}->>${p('coder')}: run_tests`);
    expect(lines).toContain(`    ${p('orchestrator')}->>${p('orchestrator')}: delegate_review`);
    expect(lines).toHaveLength(1 + 4 + 3 + 5 + 3);
  });

  it('draws a handoff to an agent outside the tree', async () => {
    const triage = await sessionOf('agent=Triage%20Agent');
    const res = await get<{ type: string; mermaid: string }>(`/api/v1/sessions/${triage.session_id}/diagram?type=sequence&format=json`);
    expect(res.body.type).toBe('sequence');
    expect(res.body.mermaid.split('\n')).toEqual(expect.arrayContaining(['    participant p0 as Triage Agent', '    participant p1 as Billing Agent', '    p0->>p1: hands off']));
  });

  it('draws the state machine walked, with counts, as stateDiagram-v2', async () => {
    const res = await get(`/api/v1/sessions/${rich.desk.spanId}/diagram?type=state`);
    expect(res.text).toBe([
      'stateDiagram-v2',
      '    state "triage" as s0', '    state "working" as s1', '    state "waiting" as s2', '    state "done" as s3',
      '    [*] --> s0: 1×', '    s0 --> s1: 1×', '    s1 --> s2: 2×', '    s2 --> s1: 2×', '    s1 --> s3: 1×', '    s3 --> [*]: completed',
    ].join('\n') + '\n');
  });

  it('draws the actions as a flowchart with the failure marked and labels escaped', async () => {
    const res = await get<{ mermaid: string }>(`/api/v1/sessions/${rich.desk.spanId}/diagram?type=flow&format=json`);
    expect(res.body.mermaid.split('\n')).toEqual([
      'flowchart TD',
      '    start(["desk: Answer ticket #35;42 #quot;urgent#quot; #91;billing#93;"])',
      '    a1["1. LLM gpt-4o<br/>300 in / 40 out · 600 ms"]', '    start --> a1',
      '    a2[["2. tool lookup<br/>400 ms<br/>FAILED: NotFound"]]', '    a1 --> a2',
      '    a3[["3. tool delegate_billing<br/>6000 ms"]]', '    a2 --> a3',
      '    a4["4. LLM gpt-4o<br/>500 in / 60 out · 600 ms"]', '    a3 --> a4',
      '    finish(["completed"])', '    a4 --> finish',
      '    classDef failed fill:#fde2e2,stroke:#c62828,color:#8e0000', '    class a2 failed',
    ]);
  });

  it('answers 400 for an unknown diagram type and 404 for an unknown session', async () => {
    const bad = await get<{ error: { message: string } }>(`/api/v1/sessions/${rich.desk.spanId}/diagram?type=gantt`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/type/);
    for (const type of ['sequence', 'state', 'flow']) expect((await get(`/api/v1/sessions/0123456789abcdef/diagram?type=${type}`)).status).toBe(404);
  });
});

describe('GET /api/v1/traces/:traceId', () => {
  it('answers the raw spans once each, in time order, with attributes, events and links', async () => {
    const res = await get<TraceSpans>(`/api/v1/traces/${rich.traceId.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(res.body.trace_id).toBe(rich.traceId);
    const spans = res.body.spans;
    expect(spans.map((s) => s.span_id)).toEqual([...rich.spans].sort((a, b) => (a.start < b.start ? -1 : 1)).map((s) => s.spanId));
    const desk = spans[0]!;
    expect(desk).toMatchObject({
      name: 'invoke_agent desk', parent_span_id: '', service_name: 'api-sessions-test', start: iso(RICH_START), end: iso(at(10_000)), duration_ms: 10_000,
    });
    expect(desk.attributes[GEN_AI.AGENT_NAME]).toBe('desk');
    expect(desk.events).toHaveLength(9);
    expect(desk.events[0]).toEqual({ at: iso(at(100)), name: AGENTFLOW.STATE_EVENT, attributes: { [AGENTFLOW.STATE_FROM]: '', [AGENTFLOW.STATE_TO]: 'triage' } });
    expect(spans.find((s) => s.span_id === rich.ledger.spanId)?.links).toEqual([{ trace_id: LINKED.traceId, span_id: LINKED.spanId, trace_state: '', attributes: {} }]);
    expect(spans.find((s) => s.name === 'execute_tool lookup')).toMatchObject({ status_code: 'Error', status_message: 'ticket missing' });
  });

  it('answers 404 for an unknown trace and 400 for a malformed id', async () => {
    expect((await get(`/api/v1/traces/${hex(16)}`)).status).toBe(404);
    expect((await get('/api/v1/traces/xyz')).status).toBe(400);
  });
});

describe('tenant binding', () => {
  it("never answers another tenant's rows stored next to the caller's", async () => {
    const bodies = await Promise.all([
      get(`/api/v1/sessions?limit=500`), get(`/api/v1/sessions?agent=INTRUDER`), get(`/api/v1/sessions/${rich.desk.spanId}`),
      get(`/api/v1/sessions/${rich.ledger.spanId}`), get(`/api/v1/sessions/${rich.desk.spanId}/tree`), get(`/api/v1/traces/${rich.traceId}`),
      ...['sequence', 'state', 'flow'].map((type) => get(`/api/v1/sessions/${rich.desk.spanId}/diagram?type=${type}`)),
    ]);
    for (const b of bodies) expect(b.text).not.toContain('INTRUDER');
    expect((bodies[1]!.body as SessionPage).sessions).toEqual([]);
    // Counts are the caller's alone, not doubled by the copies.
    const detail = bodies[2]!.body as SessionDetail;
    expect([detail.actions.length, detail.transitions.length, detail.decisions.length, detail.communications.length]).toEqual([4, 7, 1, 2]);
    expect((bodies[5]!.body as TraceSpans).spans).toHaveLength(9);
  });

  it("does not list another tenant's newest session under a shared agent name, nor find it by id", async () => {
    const coders = await listAll('agent=gen-coder');
    expect(coders.map((s) => s.session_id)).not.toContain(OTHER.sessionId);
    expect(coders).toHaveLength(agents.filter((g) => g.name === 'gen-coder').length);
    expect((await get(`/api/v1/sessions/${OTHER.sessionId}`)).status).toBe(404);
    expect((await get(`/api/v1/sessions/${OTHER.sessionId}/tree`)).status).toBe(404);
    expect((await get(`/api/v1/traces/${OTHER.traceId}`)).status).toBe(404);
  });
});

// ---------------------------------------------------------------------------------------------

interface CliRun { code: number; stdout: string; stderr: string }

function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args, '--url', t.url], { env: { ...process.env, AGENTFLOW_URL: '', AGENTFLOW_API_KEY: '' }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

describe('agentflow sessions / show (the built CLI)', () => {
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build, or npx tsc -b)`);
    await t.listen();
  });

  it('prints a table of recent sessions and a hint for the next page that works', async () => {
    const run = await runCli(['sessions', '--agent', 'gen-coder', '--limit', '5']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^started\s+agent\s+status\s+duration\s+llm\s+tools\s+tokens\s+cost\s+session$/);
    expect(lines[1]).toMatch(/^-+( +-+){8}$/);
    const expected = newestFirst(agents.filter((g) => g.name === 'gen-coder'));
    const rows = lines.slice(2, 7);
    rows.forEach((row, i) => {
      const g = fleet.sessions.find((x) => x.id === expected[i])!;
      const cells = row.split(/\s{2,}/);
      expect(cells).toEqual([
        `${iso(g.startNs).slice(0, 10)} ${iso(g.startNs).slice(11, 19)}`, 'gen-coder', g.status, expect.stringMatching(/^\d+m \d\ds$/),
        String(g.llm), String(g.tools), (g.inputTokens + g.outputTokens).toLocaleString('en-US'), `$${g.cost >= 1 ? g.cost.toFixed(2) : g.cost}`, g.id,
      ]);
    });
    expect(lines[7]).toBe('5 sessions');
    const hint = /^next page: agentflow sessions --agent gen-coder --limit 5 --cursor (\S+)$/.exec(lines[8] ?? '');
    expect(hint, lines[8]).not.toBeNull();
    const next = await runCli(['sessions', '--agent', 'gen-coder', '--limit', '5', '--cursor', hint![1]!, '--json']);
    expect(next.code, next.stderr).toBe(0);
    const page = JSON.parse(next.stdout) as SessionPage;
    expect(page.sessions.map((s) => s.session_id)).toEqual(expected.slice(5, 10));
  });

  it('says when the list ends', async () => {
    const run = await runCli(['sessions', '--status', 'running']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^agent\s+session\s+started\s+idle\s+status\s+open anomalies\s+activity\n/);
    expect(run.stdout).toMatch(/\ngen-live\s+[0-9a-f]{16}\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d+m \d\ds\s+running\s+\d+\n/);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('1 session (end of list)');
  });

  it('shows a session: header, timeline with durations, waterfall and tree', async () => {
    const run = await runCli(['show', rich.desk.spanId]);
    expect(run.code, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toContain(`session ${rich.desk.spanId}  desk  completed`);
    expect(out).toMatch(/goal {9}Answer ticket #42 "urgent" \[billing\]/);
    expect(out).toMatch(/calls {8}2 llm, 2 tool, 4 actions, 1 error/);
    expect(out).toMatch(/tokens {7}800 in \/ 100 out/);
    expect(out).toMatch(/with agents {2}3 sessions, 3 llm, 3 tool, 1,000 in \/ 120 out, \$0\.06/);
    expect(out).toMatch(/\+1\.00 s +state +triage → working +\(2\.00 s\)/);
    expect(out).toMatch(/\+1\.10 s +tool_call +lookup FAILED +\(400 ms\)/);
    expect(out).toMatch(/\+1\.50 s +error +NotFound: ticket missing/);
    expect(out).toMatch(/\+10\.00 s +end +completed after 10\.00 s/);
    const bars = out.split('\n').filter((l) => l.includes('|'));
    expect(bars).toHaveLength(4);
    // 40 columns for 10 s: the lookup starts at 1.1 s (column 4) and lasts 0.4 s (2 columns).
    expect(bars[1]).toMatch(/^ {2}#2 tool_call lookup +\|····▒▒·{34}\| 400 ms FAILED$/);
    expect(bars[2]).toMatch(/\|·{8}█{24}·{8}\| 6\.00 s$/);
    expect(out).toMatch(/\n {2}desk {2}completed {2}10\.00 s {2}2 llm, 2 tool {2}\$0\.05 {2}[0-9a-f]{16}\n {2}└─ billing .*\n {5}└─ ledger /);
  });

  it('show --json prints the detail with its tree', async () => {
    const run = await runCli(['show', rich.billing.spanId, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as SessionDetail & { tree: TreeNode };
    expect(parsed.session.agent_name).toBe('billing');
    expect(shapeOf(parsed.tree)).toEqual({ desk: { billing: { ledger: {} } } });
  });

  it.each([
    ['an unknown session exits 1 with the server message', ['show', '0123456789abcdef'], 1, /no session with id 0123456789abcdef/],
    ['a malformed session id exits 2', ['show', 'nope'], 2, /not a session id/],
    ['show without an id exits 2', ['show'], 2, /exactly one argument/],
    ['a bad --limit exits 2', ['sessions', '--limit', '0'], 2, /--limit takes a positive whole number/],
    ['a status the server refuses exits 1', ['sessions', '--status', 'sleeping'], 1, /status/],
  ])('%s', async (_what, args, code, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
  });
});

function iso(ns: bigint): string {
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 19)}.${fraction}Z`;
}
