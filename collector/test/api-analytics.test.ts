/**
 * Analytics (`/api/v1/analytics/overview`, `/api/v1/analytics/agents/:agent`), the "why did agent
 * X not fire" debug endpoint (`/api/v1/debug/agent-fired`) and the `agentflow stats` /
 * `agentflow debug-agent` commands, on the real embedded engine: a planned dataset of three
 * agents with known durations, failures, tool calls, models and costs sent through the OTLP
 * receiver, so every figure below is known exactly.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENTFLOW, DATABASE, GENERAL, GEN_AI, GEN_AI_OPERATION, TABLES } from '@agentflow/schemas';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';
import { jsonTraceRequest } from './helpers/otlp-payloads.js';
import type { AgentFiredAnswer, AnalyticsReport, Overview, SessionFigures } from '../src/api/analytics/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, '..', 'dist', 'cli', 'main.js');
const MS = 1_000_000n;
const HOUR_MS = 3_600_000;
// Two days ago, on the hour: every planned session starts within six hours of it.
const BASE_MS = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 48 * HOUR_MS;
const RANGE = `from=${isoMs(BASE_MS)}&to=${isoMs(BASE_MS + 6 * HOUR_MS)}`;

// ---------------------------------------------------------------------------------------------
// Spans as OTLP/JSON, with status and events.

type Attrs = Record<string, string | number | bigint | boolean>;
interface Span {
  traceId: string; spanId: string; parent?: string; name: string; start: bigint; end: bigint; attrs: Attrs;
  events?: { at: bigint; name: string; attrs: Attrs }[]; error?: { type: string; message: string };
}
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const attributes = (a: Attrs) => Object.entries(a).map(([key, v]) => ({
  key,
  value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v }
    : typeof v === 'bigint' ? { intValue: v.toString() } : { doubleValue: v },
}));
const otlp = (s: Span) => ({
  traceId: s.traceId, spanId: s.spanId, ...(s.parent ? { parentSpanId: s.parent } : {}), name: s.name, kind: 1,
  startTimeUnixNano: s.start.toString(), endTimeUnixNano: s.end.toString(),
  attributes: attributes({ ...s.attrs, ...(s.error ? { [GENERAL.ERROR_TYPE]: s.error.type } : {}) }),
  events: (s.events ?? []).map((e) => ({ timeUnixNano: e.at.toString(), name: e.name, attributes: attributes(e.attrs) })),
  status: s.error ? { code: 2, message: s.error.message } : { code: 0 },
});

// ---------------------------------------------------------------------------------------------
// The plan: what each session is, from which every expected figure follows.

interface Planned {
  agent: string; startMs: number; durationMs: number; status: 'completed' | 'failed'; error?: { type: string; message: string };
  conversation: string; goalType: string; workflow: string; spans: Span[]; root: Span;
}
const plan: Planned[] = [];

function session(agent: string, startMs: number, durationMs: number, meta: { conversation: string; goalType: string; workflow: string; error?: { type: string; message: string } }): Planned {
  const traceId = hex(16);
  const start = BigInt(startMs) * MS;
  const root: Span = {
    traceId, spanId: hex(8), name: `invoke_agent ${agent}`, start, end: start + BigInt(durationMs) * MS,
    attrs: {
      [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_AGENT, [GEN_AI.AGENT_NAME]: agent, [GEN_AI.CONVERSATION_ID]: meta.conversation,
      [AGENTFLOW.GOAL_TYPE]: meta.goalType, ...(meta.workflow ? { [GEN_AI.WORKFLOW_NAME]: meta.workflow } : {}),
    },
    ...(meta.error ? { error: meta.error } : {}),
  };
  const p: Planned = {
    agent, startMs, durationMs, status: meta.error ? 'failed' : 'completed', ...(meta.error ? { error: meta.error } : {}),
    conversation: meta.conversation, goalType: meta.goalType, workflow: meta.workflow, spans: [root], root,
  };
  plan.push(p);
  return p;
}
function chat(p: Planned, atMs: number, ms: number, model: string, provider: string, input: number, output: number, cost: number | null, extra: Attrs = {}) {
  const start = p.root.start + BigInt(atMs) * MS;
  p.spans.push({
    traceId: p.root.traceId, spanId: hex(8), parent: p.root.spanId, name: `chat ${model}`, start, end: start + BigInt(ms) * MS,
    attrs: {
      [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.CHAT, [GEN_AI.REQUEST_MODEL]: model, [GEN_AI.PROVIDER_NAME]: provider,
      [GEN_AI.USAGE_INPUT_TOKENS]: BigInt(input), [GEN_AI.USAGE_OUTPUT_TOKENS]: BigInt(output), ...(cost === null ? {} : { [GEN_AI.USAGE_COST]: cost }), ...extra,
    },
  });
}
function tool(p: Planned, atMs: number, ms: number, name: string, args: object, error?: { type: string; message: string }) {
  const start = p.root.start + BigInt(atMs) * MS;
  p.spans.push({
    traceId: p.root.traceId, spanId: hex(8), parent: p.root.spanId, name: `execute_tool ${name}`, start, end: start + BigInt(ms) * MS,
    attrs: { [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.EXECUTE_TOOL, [GEN_AI.TOOL_NAME]: name, [GEN_AI.TOOL_CALL_ARGUMENTS]: JSON.stringify(args) },
    ...(error ? { error } : {}),
  });
}

// Costs are binary fractions, so every sum is exact.
const GPT4O = 0.25;
const MINI = 0.015625;
const CLAUDE = 0.0625;

// planner: 10 sessions, 3 failed; each a retried-or-not gpt-4o call, a gpt-4o-mini call and a search.
const PLANNER_MS = [1000, 1200, 1400, 1600, 1800, 2000, 2200, 2400, 30000, 40000];
const PLANNER_ERRORS: Record<number, { type: string; message: string }> = {
  7: { type: 'RateLimitError', message: '429 too many requests (7)' }, 8: { type: 'TimeoutError', message: 'deadline exceeded' },
  9: { type: 'RateLimitError', message: '429 too many requests (9)' },
};
const PLANNER_CONVERSATIONS: Record<number, string> = { 0: 'conv-delegate', 1: 'conv-decision', 2: 'conv-fail', 3: 'conv-none' };
const planners = PLANNER_MS.map((ms, i) => {
  const p = session('planner', BASE_MS + (i % 3) * HOUR_MS + i * 60_000, ms, {
    conversation: PLANNER_CONVERSATIONS[i] ?? `conv-p-${i}`, goalType: 'planning', workflow: 'wf-plan', ...(PLANNER_ERRORS[i] ? { error: PLANNER_ERRORS[i] } : {}),
  });
  chat(p, 10, 400, 'gpt-4o', 'openai', 1000, 100, GPT4O, i < 4 ? { [AGENTFLOW.RETRY_ATTEMPT]: 1n } : {});
  chat(p, 420, 100, 'gpt-4o-mini', 'openai', 1000, 100, MINI);
  tool(p, 530, 200 + 10 * i, 'search', { q: `topic-${i}` }, i === 5 ? { type: 'HTTPError', message: '502 from search' } : undefined);
  return p;
});
// In conv-delegate the planner asks the coder to take over, and no coder ever runs there.
planners[0]!.root.events = [{ at: planners[0]!.root.start + 900n * MS, name: AGENTFLOW.MESSAGE_EVENT, attrs: { [AGENTFLOW.MESSAGE_TO_AGENT]: 'coder', [AGENTFLOW.MESSAGE_TYPE]: 'delegate' } }];
// In conv-decision the planner routes to the reviewer rather than the coder.
planners[1]!.root.events = [{
  at: planners[1]!.root.start + 5n * MS, name: AGENTFLOW.DECISION_EVENT, attrs: {
    [AGENTFLOW.DECISION_TYPE]: 'route', [AGENTFLOW.DECISION_QUESTION]: 'who takes it?', [AGENTFLOW.DECISION_OPTIONS]: '["coder","reviewer"]',
    [AGENTFLOW.DECISION_CHOSEN]: 'reviewer',
  },
}];

// coder: 12 sessions, the last failed; a claude call, two test runs (the second failing in six sessions),
// read_file three times with the same arguments in sessions 0 and 1, twice in 2, once elsewhere; one unpriced call.
const CODER_RUN_TESTS_FAIL = new Set([0, 1, 2, 3, 4, 11]);
const coders = Array.from({ length: 12 }, (_, j) => {
  const p = session('coder', BASE_MS + (j % 4) * HOUR_MS + (30 + j) * 60_000, 5000 + 500 * j, {
    conversation: j === 11 ? 'conv-fail' : `conv-c-${j}`, goalType: 'coding', workflow: j % 2 === 0 ? 'wf-build' : 'wf-fix',
    ...(j === 11 ? { error: { type: 'ToolError', message: 'tests failed' } } : {}),
  });
  chat(p, 10, 1000, 'claude-sonnet-4-5', 'anthropic', 2000, 300, CLAUDE);
  tool(p, 1100, 300, 'run_tests', { suite: 'unit' });
  tool(p, 1500, 400, 'run_tests', { suite: 'e2e' }, CODER_RUN_TESTS_FAIL.has(j) ? { type: 'AssertionError', message: '3 tests failed' } : undefined);
  const reads = j < 2 ? 3 : j === 2 ? 2 : 1;
  for (let k = 0; k < reads; k++) tool(p, 2000 + 100 * k, 50, 'read_file', { path: 'a.ts' });
  if (j === 0) chat(p, 3000, 200, 'acme-llm-1', 'acme', 500, 50, null);
  return p;
});

// reviewer: three completed sessions (plus one still running, inserted below).
const reviewers = [3000, 4000, 5000].map((ms, k) => {
  const p = session('reviewer', BASE_MS + 5 * HOUR_MS + k * 60_000, ms, { conversation: k === 0 ? 'conv-decision' : `conv-r-${k}`, goalType: 'review', workflow: '' });
  chat(p, 10, 500, 'gpt-4o-mini', 'openai', 1000, 100, MINI);
  return p;
});
const RUNNING = { id: hex(8), startMs: BASE_MS + HOUR_MS + 5 * 60_000 };

// ---------------------------------------------------------------------------------------------
// What ClickHouse's quantileExact answers: the element at index ⌊level·n⌋ of the sorted values.

function quantileExact(values: readonly number[], level: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = level < 1 ? Math.floor(level * sorted.length) : sorted.length - 1;
  return sorted[index] as number;
}
const durationsOf = (agent?: string) => plan.filter((p) => agent === undefined || p.agent === agent).map((p) => p.durationMs);

// ---------------------------------------------------------------------------------------------

let t: TestCollector;

async function get<T>(url: string): Promise<{ status: number; body: T; text: string }> {
  const res = await t.collector.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: (res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : undefined) as T, text: res.body };
}

async function sendLiveStart(agent: string, conversation: string, startedMs: number): Promise<{ traceId: string; spanId: string }> {
  const ids = { traceId: hex(16), spanId: hex(8) };
  const attrs = { [GEN_AI.OPERATION_NAME]: GEN_AI_OPERATION.INVOKE_AGENT, [GEN_AI.AGENT_NAME]: agent, [GEN_AI.CONVERSATION_ID]: conversation, [AGENTFLOW.SPAN_NAME]: `invoke_agent ${agent}` };
  const body = {
    resourceLogs: [{
      resource: { attributes: attributes({ 'service.name': 'analytics-test' }) },
      scopeLogs: [{ scope: { name: 'agentflow' }, logRecords: [{
        timeUnixNano: (BigInt(startedMs) * MS).toString(), eventName: AGENTFLOW.SPAN_START_EVENT, traceId: ids.traceId, spanId: ids.spanId, attributes: attributes(attrs),
      }] }],
    }],
  };
  const res = await t.collector.app.inject({ method: 'POST', url: '/v1/logs', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  if (res.statusCode !== 200) throw new Error(`logs: ${res.statusCode} ${res.body}`);
  return ids;
}

let watcher: { traceId: string; spanId: string };

beforeAll(async () => {
  t = await startTestCollector();
  const spans = plan.flatMap((p) => p.spans);
  for (let i = 0; i < spans.length; i += 100) {
    const res = await t.collector.app.inject({
      method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' }, payload: jsonTraceRequest('analytics-test', spans.slice(i, i + 100).map(otlp)),
    });
    if (res.statusCode !== 200) throw new Error(`traces: ${res.statusCode} ${res.body}`);
  }
  watcher = await sendLiveStart('watcher', 'conv-live', Date.now() - 30_000);
  await t.query('SELECT 1'); // waits until everything is inserted and assembled

  const insert = (query: string, params: Record<string, unknown> = {}) => t.collector.storage.client.command({ query, query_params: params });
  // A reviewer session that started 47 hours ago and never ended.
  await insert(
    `INSERT INTO ${DATABASE}.${TABLES.SESSIONS_DATA} (tenant_id, session_id, trace_id, root_session_id, agent_name, goal_type, conversation_id, status, started_at, version)
     VALUES ('default', {id:String}, {trace:String}, {id:String}, 'reviewer', 'review', 'conv-r-run', 'running', fromUnixTimestamp64Nano({start:Int64}), 1)`,
    { id: RUNNING.id, trace: hex(16), start: (BigInt(RUNNING.startMs) * MS).toString() },
  );
  // Another tenant's rows next to the caller's, with the same agent, tool and model names and
  // figures that would change every answer: a failed planner, a reviewer in conv-none, failing searches, an unpriced model.
  const other = (agent: string, status: string, conversation: string, cost: number) => insert(
    `INSERT INTO ${DATABASE}.${TABLES.SESSIONS_DATA} (tenant_id, session_id, trace_id, root_session_id, agent_name, goal_type, conversation_id, status,
       error_type, error_message, started_at, ended_at, duration_ms, cost_usd, unpriced_calls, version)
     VALUES ('other', {id:String}, {trace:String}, {id:String}, {agent:String}, 'planning', {conversation:String}, {status:String}, 'IntruderError', 'INTRUDER',
       fromUnixTimestamp64Nano({start:Int64}), fromUnixTimestamp64Nano({start:Int64}) + INTERVAL 90 SECOND, 90000, {cost:Float64}, 7, 1)`,
    { id: hex(8), trace: hex(16), agent, conversation, status, cost, start: (BigInt(BASE_MS + 10 * 60_000) * MS).toString() },
  );
  await other('planner', 'failed', 'conv-p-4', 1000);
  await other('reviewer', 'completed', 'conv-none', 5);
  await other('coder', 'completed', 'conv-delegate', 5);
  await insert(
    `INSERT INTO ${DATABASE}.${TABLES.ACTIONS_DATA} (tenant_id, action_id, session_id, trace_id, agent_name, action_type, name, tool_name, model, status,
       error_type, retry_attempt, cost_usd, cost_source, args_hash, started_at, ended_at, duration_ms, version)
     SELECT 'other', toString(number), 'other-session', 'other-trace', 'planner', if(number < 50, 'tool_call', 'llm_call'), 'INTRUDER',
       if(number < 50, 'search', ''), if(number < 50, '', 'acme-llm-1'), 'failed', 'IntruderError', 1, 0, 'unknown', 'same-args',
       fromUnixTimestamp64Nano({start:Int64}), fromUnixTimestamp64Nano({start:Int64}) + INTERVAL 1 SECOND, 99000, 1
     FROM numbers(60)`,
    { start: (BigInt(BASE_MS + 10 * 60_000) * MS).toString() },
  );
  await insert(
    `INSERT INTO ${DATABASE}.${TABLES.DECISIONS_DATA} (tenant_id, decision_id, session_id, trace_id, decision_type, options, chosen, decided_at, version)
     VALUES ('other', 'd1', {session:String}, {trace:String}, 'route', ['reviewer', 'tech'], 'tech', now64(9), 1)`,
    { session: planners[3]!.root.spanId, trace: planners[3]!.root.traceId },
  );
});
afterAll(async () => t?.stop());

// ---------------------------------------------------------------------------------------------

const agentFigures = (agent: string): Partial<SessionFigures> => {
  const mine = plan.filter((p) => p.agent === agent);
  const completed = mine.filter((p) => p.status === 'completed').length;
  const durations = durationsOf(agent);
  return {
    completed, failed: mine.length - completed, timed_out: 0, cancelled: 0, ended: mine.length, success_rate: completed / mine.length,
    duration_ms: {
      p50: quantileExact(durations, 0.5), p95: quantileExact(durations, 0.95), p99: quantileExact(durations, 0.99),
      avg: durations.reduce((a, b) => a + b, 0) / durations.length, max: Math.max(...durations), total: durations.reduce((a, b) => a + b, 0),
    },
  };
};

describe('GET /api/v1/analytics/overview', () => {
  let o: Overview;
  beforeAll(async () => {
    const res = await get<Overview>(`/api/v1/analytics/overview?${RANGE}`);
    expect(res.status, res.text).toBe(200);
    o = res.body;
  });

  it('answers the range it covered', () => {
    expect(o.range).toEqual({ from: isoMs(BASE_MS), to: isoMs(BASE_MS + 6 * HOUR_MS), bucket: 'hour' });
    expect(o.agent).toBeNull();
  });

  it('counts executions and outcomes; success rate is completed over ended, the running session aside', () => {
    const durations = durationsOf();
    expect(o.summary).toMatchObject({
      executions: 26, completed: 21, failed: 4, timed_out: 0, cancelled: 0, running: 1, stale_running: 1, ended: 25, success_rate: 21 / 25,
      llm_calls: 20 + 13 + 3, tool_calls: 10 + 41, input_tokens: 20_000 + 24_500 + 3000, output_tokens: 2000 + 3650 + 300,
      cost_usd: 3.453125, unpriced_calls: 1,
    });
    expect(o.summary.duration_ms).toEqual({
      p50: quantileExact(durations, 0.5), p95: quantileExact(durations, 0.95), p99: quantileExact(durations, 0.99),
      avg: durations.reduce((a, b) => a + b, 0) / 25, max: 40_000, total: durations.reduce((a, b) => a + b, 0),
    });
    // Hand-checked: of the 25 sorted durations, index 12 (⌊0.5·25⌋) is 5500, index 23 is 30000, index 24 is 40000.
    expect([o.summary.duration_ms.p50, o.summary.duration_ms.p95, o.summary.duration_ms.p99]).toEqual([5500, 30_000, 40_000]);
    expect(o.summary.first_started_at).toBe(isoMs(BASE_MS));
  });

  it('has a row per agent with its own figures and exact percentiles', () => {
    expect(o.agents.map((a) => [a.agent, a.executions])).toEqual([['coder', 12], ['planner', 10], ['reviewer', 4]]);
    const row = (name: string) => o.agents.find((a) => a.agent === name)!;
    expect(row('planner')).toMatchObject({ ...agentFigures('planner'), executions: 10, cost_usd: 2.65625, llm_calls: 20, tool_calls: 10 });
    expect(row('planner').duration_ms).toMatchObject({ p50: 2000, p95: 40_000, p99: 40_000 });
    expect(row('coder')).toMatchObject({ ...agentFigures('coder'), executions: 12, success_rate: 11 / 12, cost_usd: 0.75, unpriced_calls: 1 });
    expect(row('coder').duration_ms).toMatchObject({ p50: 8000, p95: 10_500, p99: 10_500 });
    expect(row('reviewer')).toMatchObject({
      executions: 4, completed: 3, running: 1, stale_running: 1, ended: 3, success_rate: 1, cost_usd: 0.046875,
      duration_ms: { p50: 4000, p95: 5000, p99: 5000, avg: 4000, max: 5000, total: 12_000 },
    });
  });

  it('charts executions and failures per hour of the range and per hour of the day', () => {
    expect(o.hourly.bucket).toBe('hour');
    expect(o.hourly.buckets.map((b) => [b.start, b.executions, b.failures])).toEqual([
      [isoMs(BASE_MS), 7, 1], [isoMs(BASE_MS + HOUR_MS), 7, 1], [isoMs(BASE_MS + 2 * HOUR_MS), 6, 1],
      [isoMs(BASE_MS + 3 * HOUR_MS), 3, 1], [isoMs(BASE_MS + 4 * HOUR_MS), 0, 0], [isoMs(BASE_MS + 5 * HOUR_MS), 3, 0],
    ]);
    const baseHour = new Date(BASE_MS).getUTCHours();
    const expected = Array.from({ length: 24 }, (_, hour) => ({ hour, executions: 0, failures: 0 }));
    for (const p of [...plan.map((x) => ({ ms: x.startMs, failed: x.status === 'failed' })), { ms: RUNNING.startMs, failed: false }]) {
      const h = expected[new Date(p.ms).getUTCHours()]!;
      h.executions += 1;
      h.failures += p.failed ? 1 : 0;
    }
    expect(o.hourly.by_hour_of_day).toEqual(expected);
    expect(o.hourly.by_hour_of_day[(baseHour + 5) % 24]).toEqual({ hour: (baseHour + 5) % 24, executions: 3, failures: 0 });
  });

  it('breaks failures down by error type with the latest message', () => {
    expect(o.failures).toEqual([
      { error_type: 'RateLimitError', sessions: 2, share: 0.5, sample_message: '429 too many requests (7)', sample_session_id: planners[7]!.root.spanId, last_seen: isoMs(planners[7]!.startMs), agents: ['planner'] },
      { error_type: 'TimeoutError', sessions: 1, share: 0.25, sample_message: 'deadline exceeded', sample_session_id: planners[8]!.root.spanId, last_seen: isoMs(planners[8]!.startMs), agents: ['planner'] },
      { error_type: 'ToolError', sessions: 1, share: 0.25, sample_message: 'tests failed', sample_session_id: coders[11]!.root.spanId, last_seen: isoMs(coders[11]!.startMs), agents: ['coder'] },
    ]);
  });

  it('ranks the bottleneck steps by time spent, with p95 and share of the agent’s session time', () => {
    const plannerTime = 83_600;
    const coderTime = 93_000;
    expect(o.bottlenecks.map((b) => [b.agent, b.action_type, b.step, b.calls, b.total_ms, b.p50_ms, b.p95_ms, b.share_of_session_time])).toEqual([
      ['coder', 'llm_call', 'claude-sonnet-4-5', 12, 12_000, 1000, 1000, 12_000 / coderTime],
      ['coder', 'tool_call', 'run_tests', 24, 8400, 400, 400, 8400 / coderTime],
      ['planner', 'llm_call', 'gpt-4o', 10, 4000, 400, 400, 4000 / plannerTime],
      ['planner', 'tool_call', 'search', 10, 2450, 250, 290, 2450 / plannerTime],
      ['reviewer', 'llm_call', 'gpt-4o-mini', 3, 1500, 500, 500, 1500 / 12_000],
      ['planner', 'llm_call', 'gpt-4o-mini', 10, 1000, 100, 100, 1000 / plannerTime],
      ['coder', 'tool_call', 'read_file', 17, 850, 50, 50, 850 / coderTime],
      ['coder', 'llm_call', 'acme-llm-1', 1, 200, 200, 200, 200 / coderTime],
    ]);
  });

  it('reports tool usage and success rates across agents', () => {
    expect(o.tools).toEqual([
      { tool: 'run_tests', calls: 24, failures: 6, failure_rate: 0.25, success_rate: 0.75, retries: 0, avg_ms: 350, p50_ms: 400, p95_ms: 400, agents: ['coder'] },
      { tool: 'read_file', calls: 17, failures: 0, failure_rate: 0, success_rate: 1, retries: 0, avg_ms: 50, p50_ms: 50, p95_ms: 50, agents: ['coder'] },
      { tool: 'search', calls: 10, failures: 1, failure_rate: 0.1, success_rate: 0.9, retries: 0, avg_ms: 245, p50_ms: 250, p95_ms: 290, agents: ['planner'] },
    ]);
  });

  it('adds up tokens and cost by agent, by model and by task type, and counts unpriced calls', () => {
    const total = 3.453125;
    expect(o.cost).toMatchObject({ total_usd: total, input_tokens: 47_500, output_tokens: 5950, unpriced_calls: 1, unpriced_models: ['acme-llm-1'] });
    expect(o.cost.by_agent).toEqual([
      { agent: 'planner', sessions: 10, input_tokens: 20_000, output_tokens: 2000, cost_usd: 2.65625, share: 2.65625 / total, unpriced_calls: 0 },
      { agent: 'coder', sessions: 12, input_tokens: 24_500, output_tokens: 3650, cost_usd: 0.75, share: 0.75 / total, unpriced_calls: 1 },
      { agent: 'reviewer', sessions: 4, input_tokens: 3000, output_tokens: 300, cost_usd: 0.046875, share: 0.046875 / total, unpriced_calls: 0 },
    ]);
    expect(o.cost.by_model.map((m) => [m.model, m.provider, m.calls, m.input_tokens, m.output_tokens, m.cost_usd, m.share, m.unpriced_calls, m.agents])).toEqual([
      ['gpt-4o', 'openai', 10, 10_000, 1000, 2.5, 2.5 / total, 0, ['planner']],
      ['claude-sonnet-4-5', 'anthropic', 12, 24_000, 3600, 0.75, 0.75 / total, 0, ['coder']],
      ['gpt-4o-mini', 'openai', 13, 13_000, 1300, 0.203125, 0.203125 / total, 0, ['planner', 'reviewer']],
      ['acme-llm-1', 'acme', 1, 500, 50, 0, 0, 1, ['coder']],
    ]);
    expect(o.cost.by_task.map((x) => [x.goal_type, x.workflow, x.sessions, x.completed, x.failed, x.success_rate, x.cost_usd, x.avg_cost_usd])).toEqual([
      ['planning', 'wf-plan', 10, 7, 3, 0.7, 2.65625, 0.265625],
      ['coding', 'wf-build', 6, 6, 0, 1, 0.375, 0.0625],
      ['coding', 'wf-fix', 6, 5, 1, 5 / 6, 0.375, 0.0625],
      ['review', '', 4, 3, 0, 1, 0.046875, 0.046875 / 4],
    ]);
  });

  it('finds tool calls repeated with identical arguments three times or more in a session', () => {
    const example = [coders[0]!.root.spanId, coders[1]!.root.spanId].sort()[1];
    expect(o.repeated_tool_calls).toEqual([{ agent: 'coder', tool: 'read_file', sessions: 2, groups: 2, calls: 6, max_repeats: 3, example_session_id: example }]);
  });

  it('suggests what the figures call for, citing them, and nothing where thresholds are not met', () => {
    expect(o.suggestions.map((s) => [s.severity, s.rule, s.agent, s.subject])).toEqual([
      ['warning', 'low_success_rate', 'planner', 'planner'],
      ['warning', 'never_completing', 'reviewer', 'reviewer'],
      ['warning', 'tool_failures', 'coder', 'run_tests'],
      ['warning', 'repeated_tool_calls', 'coder', 'read_file'],
      ['warning', 'retries', 'planner', 'gpt-4o'],
      ['warning', 'tail_latency', 'planner', 'planner'],
      ['info', 'expensive_model', 'planner', 'gpt-4o'],
      ['info', 'unpriced_models', 'coder', 'acme-llm-1'],
    ]);
    const by = (rule: string) => o.suggestions.find((s) => s.rule === rule)!;
    expect(by('low_success_rate')).toMatchObject({
      message: 'planner completed 7 of 10 ended sessions (70.0%). The most common failure is RateLimitError (2 of 3, e.g. "429 too many requests (7)"): fix that first.',
      evidence: { completed: 7, ended: 10, success_rate: 0.7, top_error_type: 'RateLimitError', top_error_sessions: 2 },
    });
    expect(by('tool_failures')).toMatchObject({ message: expect.stringContaining('run_tests failed 6 of 24 calls (25.0%)'), evidence: { calls: 24, failures: 6, failure_rate: 0.25 } });
    expect(by('retries')).toMatchObject({ message: expect.stringContaining('planner retried gpt-4o 4 times in 10 calls (40.0%)'), evidence: { calls: 10, retries: 4, retry_share: 0.4 } });
    expect(by('tail_latency')).toMatchObject({ message: expect.stringContaining('p95 40.00 s is 20.0× the median 2.00 s'), evidence: { p50_ms: 2000, p95_ms: 40_000, ratio: 20 } });
    expect(by('expensive_model')).toMatchObject({
      message: expect.stringContaining("gpt-4o accounts for 94.1% of planner's cost ($2.50 of $2.66"),
      evidence: { model: 'gpt-4o', model_cost_usd: 2.5, agent_cost_usd: 2.65625, cheaper_model: 'gpt-4o-mini', usd_per_1k_tokens: expect.closeTo(2.5 / 11, 9), cheaper_usd_per_1k_tokens: expect.closeTo(0.15625 / 11, 9) },
    });
    expect(by('repeated_tool_calls').evidence).toMatchObject({ sessions: 2, repeated_calls: 6, max_repeats: 3 });
    expect(by('never_completing').evidence).toEqual({ stale_running: 1, timed_out: 0, executions: 4 });
    expect(by('unpriced_models')).toMatchObject({ message: expect.stringMatching(/^1 call to acme-llm-1 \(acme\) has no price/), evidence: { unpriced_calls: 1, agents: 'coder' } });
    // Not met: search fails exactly 10% (not over); coder completes 91.7%; coder's p95/p50 is 1.3;
    // coder's other model has no price, so it is not "cheaper".
    expect(o.suggestions.some((s) => s.subject === 'search')).toBe(false);
    expect(o.suggestions.filter((s) => s.agent === 'coder').map((s) => s.rule).sort()).toEqual(['repeated_tool_calls', 'tool_failures', 'unpriced_models']);
  });

  it('defaults to the last 7 days, where the running watcher counts too', async () => {
    const res = await get<Overview>('/api/v1/analytics/overview');
    expect(res.status).toBe(200);
    const span = Date.parse(res.body.range.to) - Date.parse(res.body.range.from);
    expect(span).toBe(7 * 24 * HOUR_MS);
    expect(Math.abs(Date.parse(res.body.range.to) - Date.now())).toBeLessThan(60_000);
    expect(res.body.summary).toMatchObject({ executions: 27, running: 2, stale_running: 1, completed: 21, cost_usd: 3.453125 });
    expect(res.body.agents.find((a) => a.agent === 'watcher')).toMatchObject({ executions: 1, running: 1, stale_running: 0, ended: 0, success_rate: null, duration_ms: { p50: null } });
    // 168 hours, or 169 buckets when the range does not start on the hour.
    const buckets = res.body.hourly.buckets;
    expect(Date.parse(buckets[0]!.start)).toBeLessThanOrEqual(Date.parse(res.body.range.from));
    expect(Date.parse(buckets.at(-1)!.start) + HOUR_MS).toBeGreaterThanOrEqual(Date.parse(res.body.range.to));
    expect(buckets.length).toBeGreaterThanOrEqual(168);
    expect(res.body.hourly.buckets.reduce((n, b) => n + b.executions, 0)).toBe(27);
  });

  it('charts per day over ranges longer than 31 days', async () => {
    const res = await get<Overview>(`/api/v1/analytics/overview?from=${isoMs(BASE_MS - 40 * 24 * HOUR_MS)}&to=${isoMs(BASE_MS + 24 * HOUR_MS)}`);
    expect(res.body.hourly.bucket).toBe('day');
    expect(res.body.hourly.buckets.reduce((n, b) => n + b.executions, 0)).toBe(26);
    expect(res.body.hourly.buckets.every((b) => b.start.endsWith('T00:00:00.000000000Z'))).toBe(true);
  });

  it('answers zeros, not errors, for a range with nothing in it', async () => {
    const res = await get<Overview>(`/api/v1/analytics/overview?from=2020-01-01&to=2020-01-02`);
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ executions: 0, ended: 0, success_rate: null, duration_ms: { p50: null, p95: null, p99: null, total: 0 }, cost_usd: 0 });
    expect(res.body.agents).toEqual([]);
    expect(res.body.suggestions).toEqual([]);
    expect(res.body.hourly.buckets).toHaveLength(24);
  });
});

describe('GET /api/v1/analytics/agents/:agent', () => {
  it('answers one agent’s figures, its own bottlenecks, tools, models and suggestions', async () => {
    const res = await get<AnalyticsReport>(`/api/v1/analytics/agents/coder?${RANGE}`);
    expect(res.status, res.text).toBe(200);
    const r = res.body;
    expect(r.agent).toBe('coder');
    expect('agents' in r).toBe(false);
    expect(r.summary).toMatchObject({ ...agentFigures('coder'), executions: 12, cost_usd: 0.75, unpriced_calls: 1, llm_calls: 13, tool_calls: 41 });
    expect(r.hourly.buckets.map((b) => b.executions)).toEqual([3, 3, 3, 3, 0, 0]);
    expect(r.hourly.buckets.map((b) => b.failures)).toEqual([0, 0, 0, 1, 0, 0]);
    expect(r.failures).toEqual([expect.objectContaining({ error_type: 'ToolError', sessions: 1, share: 1, agents: ['coder'] })]);
    expect(r.bottlenecks.map((b) => b.step)).toEqual(['claude-sonnet-4-5', 'run_tests', 'read_file', 'acme-llm-1']);
    expect(r.tools.map((x) => [x.tool, x.calls, x.failures])).toEqual([['run_tests', 24, 6], ['read_file', 17, 0]]);
    expect(r.cost.by_model.map((m) => [m.model, m.calls, m.cost_usd, m.share])).toEqual([['claude-sonnet-4-5', 12, 0.75, 1], ['acme-llm-1', 1, 0, 0]]);
    expect(r.cost.by_task.map((x) => x.workflow)).toEqual(['wf-build', 'wf-fix']);
    expect(r.suggestions.map((s) => s.rule)).toEqual(['tool_failures', 'repeated_tool_calls', 'unpriced_models']);
  });

  it('shows a healthy small agent without suggestions except its hung session', async () => {
    const { body } = await get<AnalyticsReport>(`/api/v1/analytics/agents/reviewer?${RANGE}`);
    expect(body.summary).toMatchObject({ executions: 4, running: 1, stale_running: 1, success_rate: 1 });
    expect(body.suggestions.map((s) => s.rule)).toEqual(['never_completing']);
    expect(body.failures).toEqual([]);
  });

  it('decodes agent names with spaces and answers zeros for a known agent outside the range', async () => {
    const res = await get<AnalyticsReport>('/api/v1/analytics/agents/planner?from=2020-01-01&to=2020-02-01');
    expect(res.status).toBe(200);
    expect(res.body.summary.executions).toBe(0);
    const unknown = await get<{ error: { code: string; message: string } }>('/api/v1/analytics/agents/no%20such%20agent');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: 'AF_NOT_FOUND', message: "no sessions of agent 'no such agent' are recorded" });
  });
});

describe('GET /api/v1/debug/agent-fired', () => {
  const ask = async (agent: string, conversation: string) => {
    const res = await get<AgentFiredAnswer>(`/api/v1/debug/agent-fired?agent=${encodeURIComponent(agent)}&conversation=${encodeURIComponent(conversation)}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };

  it('skipped: the planner delegated to the coder, and no coder session followed', async () => {
    const a = await ask('coder', 'conv-delegate');
    expect(a.verdict).toBe('skipped');
    expect(a.explanation).toBe(`planner handed work to coder (delegate) at ${iso(planners[0]!.root.start + 900n * MS)}, but no coder session followed in conversation conv-delegate.`);
    expect(a.evidence.handovers).toEqual([{ message_type: 'delegate', from_agent: 'planner', from_session_id: planners[0]!.root.spanId, to_session_id: '', sent_at: iso(planners[0]!.root.start + 900n * MS) }]);
    expect(a.evidence.sessions).toEqual([]);
    expect(a.evidence.conversation_agents).toEqual([{ agent: 'planner', sessions: 1, completed: 1, failed: 0, running: 0, first_started_at: isoMs(planners[0]!.startMs), last_started_at: isoMs(planners[0]!.startMs) }]);
    expect(a.evidence.elsewhere).toMatchObject({ days: 7, sessions: 12, completed: 11 });
  });

  it('skipped: a routing decision chose the reviewer over the coder', async () => {
    const a = await ask('coder', 'conv-decision');
    expect(a.verdict).toBe('skipped');
    expect(a.evidence.decisions).toEqual([{
      session_id: planners[1]!.root.spanId, decided_by: 'planner', decision_type: 'route', question: 'who takes it?', options: ['coder', 'reviewer'],
      chosen: 'reviewer', chose_agent: false, decided_at: iso(planners[1]!.root.start + 5n * MS),
    }]);
    expect(a.explanation).toBe(`planner decided (route) at ${iso(planners[1]!.root.start + 5n * MS)} to choose "reviewer" over coder; coder never ran in conversation conv-decision.`);
    expect(a.evidence.conversation_agents.map((c) => c.agent)).toEqual(['planner', 'reviewer']);
  });

  it('fired: the reviewer the decision chose ran and completed', async () => {
    const a = await ask('reviewer', 'conv-decision');
    expect(a.verdict).toBe('fired');
    expect(a.evidence.sessions).toEqual([expect.objectContaining({ session_id: reviewers[0]!.root.spanId, status: 'completed', duration_ms: 3000, live: false })]);
    expect(a.evidence.elsewhere).toBeNull();
    expect(a.explanation).toBe(`reviewer fired in conversation conv-decision: it completed once (last at ${isoMs(reviewers[0]!.startMs)}).`);
  });

  it('failed: the coder ran in conv-fail and failed, with the failed actions', async () => {
    const a = await ask('coder', 'conv-fail');
    expect(a.verdict).toBe('failed');
    expect(a.evidence.sessions).toEqual([expect.objectContaining({ session_id: coders[11]!.root.spanId, status: 'failed', error_type: 'ToolError', error_message: 'tests failed' })]);
    expect(a.evidence.failed_actions).toEqual([expect.objectContaining({
      session_id: coders[11]!.root.spanId, action_type: 'tool_call', tool_name: 'run_tests', error_type: 'AssertionError', error: '3 tests failed', sequence: 3,
    })]);
    expect(a.explanation).toBe('coder ran in conversation conv-fail but its only session ended failed: ToolError: tests failed; failed step: run_tests (AssertionError).');
  });

  it('never_invoked: nothing asked for the reviewer in conv-none; it ran elsewhere recently (another tenant’s rows ignored)', async () => {
    const a = await ask('reviewer', 'conv-none');
    expect(a.verdict).toBe('never_invoked');
    expect(a.evidence).toMatchObject({ sessions: [], decisions: [], handovers: [], failed_actions: [] });
    expect(a.evidence.conversation_agents.map((c) => [c.agent, c.sessions])).toEqual([['planner', 1]]);
    expect(a.evidence.elsewhere).toEqual({ days: 7, sessions: 4, completed: 3, last_started_at: isoMs(reviewers[2]!.startMs), last_conversation: 'conv-r-2' });
    expect(a.explanation).toBe(`reviewer was never invoked: nothing in conversation conv-none asked for it; there planner ran once; reviewer ran 4 times elsewhere in the last 7 days, last at ${isoMs(reviewers[2]!.startMs)} (conversation conv-r-2).`);
  });

  it('never_invoked: an agent that never ran anywhere, and a conversation nobody ran in', async () => {
    const ghost = await ask('ghost', 'conv-none');
    expect(ghost.verdict).toBe('never_invoked');
    expect(ghost.evidence.elsewhere).toEqual({ days: 7, sessions: 0, completed: 0, last_started_at: null, last_conversation: null });
    const nowhere = await ask('planner', 'conv-nowhere');
    expect(nowhere.verdict).toBe('never_invoked');
    expect(nowhere.evidence.conversation_agents).toEqual([]);
    expect(nowhere.explanation).toMatch(/^planner was never invoked: no agent session is recorded for conversation conv-nowhere at all \(check the conversation id\); planner ran 10 times elsewhere/);
  });

  it('fired: an agent running right now, known only from its start record', async () => {
    const a = await ask('watcher', 'conv-live');
    expect(a.verdict).toBe('fired');
    expect(a.evidence.sessions).toEqual([expect.objectContaining({ session_id: watcher.spanId, trace_id: watcher.traceId, status: 'running', live: true, ended_at: null })]);
    expect(a.evidence.sessions[0]!.idle_ms).toBeGreaterThanOrEqual(29_000);
    expect(a.explanation).toMatch(/^watcher fired in conversation conv-live: it is running now \(started .+, idle \d+\.\d s\)\.$/);
  });

  it("never counts another tenant's sessions, decisions or actions", async () => {
    const a = await ask('coder', 'conv-delegate');
    expect(a.evidence.sessions).toEqual([]);
    expect(JSON.stringify(a)).not.toContain('INTRUDER');
    expect((await ask('reviewer', 'conv-none')).evidence.decisions).toEqual([]);
  });
});

describe('tenant isolation and bad parameters', () => {
  it("never counts another tenant's rows in any figure", async () => {
    const { body, text } = await get<Overview>(`/api/v1/analytics/overview?${RANGE}`);
    expect(text).not.toContain('INTRUDER');
    expect(text).not.toContain('IntruderError');
    expect(body.summary).toMatchObject({ executions: 26, failed: 4, cost_usd: 3.453125, unpriced_calls: 1 });
    expect(body.tools.find((x) => x.tool === 'search')).toMatchObject({ calls: 10, failures: 1 });
    const planner = await get<AnalyticsReport>(`/api/v1/analytics/agents/planner?${RANGE}`);
    expect(planner.body.summary).toMatchObject({ executions: 10, failed: 3, cost_usd: 2.65625 });
    expect(planner.body.cost.unpriced_calls).toBe(0);
    expect(planner.body.repeated_tool_calls).toEqual([]);
  });

  it.each([
    ['a time without a zone', '/api/v1/analytics/overview?from=2025-01-01T10:00:00', /from: expected an ISO 8601/],
    ['from after to', `/api/v1/analytics/overview?from=${isoMs(BASE_MS)}&to=${isoMs(BASE_MS - 1000)}`, /from: must be before to/],
    ['a range over 366 days', '/api/v1/analytics/overview?from=2020-01-01&to=2022-01-01', /at most 366 days/],
    ['an unknown parameter', '/api/v1/analytics/overview?agent=planner', /agent: unknown parameter/],
    ['a bad time on the agent route', '/api/v1/analytics/agents/planner?to=yesterday', /to: expected an ISO 8601/],
    ['agent-fired without a conversation', '/api/v1/debug/agent-fired?agent=coder', /conversation/],
    ['agent-fired with an empty agent', '/api/v1/debug/agent-fired?agent=&conversation=c', /agent/],
    ['agent-fired with an unknown parameter', '/api/v1/debug/agent-fired?agent=a&conversation=c&since=1d', /since: unknown parameter/],
  ])('answers 400 to %s', async (_what, url, message) => {
    const res = await get<{ error: { code: string; message: string } }>(url);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'AF_BAD_REQUEST', message: expect.stringMatching(message) });
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

describe('agentflow stats / debug-agent (the built CLI)', () => {
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build, or npx tsc -b)`);
    await t.listen();
  });
  const range = ['--from', isoMs(BASE_MS), '--to', isoMs(BASE_MS + 6 * HOUR_MS)];

  it('prints the overview as a summary, tables and suggestions', async () => {
    const run = await runCli(['stats', ...range]);
    expect(run.code, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toContain(`stats for all agents, ${isoMs(BASE_MS).slice(0, 10)} ${isoMs(BASE_MS).slice(11, 19)} → `);
    expect(out).toMatch(/\n {2}executions {2}26 \(21 completed, 4 failed, 0 timed out, 0 cancelled, 1 running, 1 running over an hour\)\n/);
    expect(out).toMatch(/\n {2}success {5}84\.0% of 25 ended\n/);
    expect(out).toMatch(/\n {2}duration {4}p50 5\.50 s {2}p95 30\.00 s {2}p99 40\.00 s/);
    expect(out).toMatch(/\n {2}cost {8}\$3\.45 \(lower bound: 1 unpriced call to acme-llm-1\)\n/);
    const rowOf = (title: string, first: string) => {
      const block = out.split('\n\n').find((b) => b.startsWith(`${title}\n`)) ?? '';
      return block.split('\n').find((l) => l.startsWith(`  ${first} `))?.trim().split(/\s{2,}/);
    };
    expect(out.split('\n\n').find((b) => b.startsWith('agents\n'))?.split('\n')[1]).toMatch(/^ {2}agent\s+runs\s+success\s+p50\s+p95\s+p99\s+failed\s+running\s+cost$/);
    expect(rowOf('agents', 'planner')).toEqual(['planner', '10', '70.0%', '2.00 s', '40.00 s', '40.00 s', '3', '0', '$2.66']);
    expect(rowOf('agents', 'reviewer')).toEqual(['reviewer', '4', '100.0%', '4.00 s', '5.00 s', '5.00 s', '0', '1', '$0.0469']);
    expect(rowOf('failures by error type', 'RateLimitError')).toEqual(['RateLimitError', '2', '50.0%', 'planner', '429 too many requests (7)']);
    expect(rowOf('tools', 'run_tests')).toEqual(['run_tests', '24', '6', '75.0%', '400 ms', '0', 'coder']);
    expect(rowOf('cost by model', 'gpt-4o')).toEqual(['gpt-4o', 'openai', '10', '10,000', '1,000', '$2.50', '72.4%', '0']);
    expect(rowOf('slowest steps', 'coder')).toEqual(['coder', 'llm_call', 'claude-sonnet-4-5', '12', '1.00 s', '1.00 s', '12.00 s', '12.9%']);
    expect(rowOf('repeated identical tool calls', 'coder')).toEqual(['coder', 'read_file', '2', '6', '3']);
    const suggestions = out.slice(out.indexOf('\nsuggestions\n')).split('\n').filter((l) => l.startsWith('  ['));
    expect(suggestions).toHaveLength(8);
    expect(suggestions[0]).toBe('  [warning] planner completed 7 of 10 ended sessions (70.0%). The most common failure is RateLimitError (2 of 3, e.g. "429 too many requests (7)"): fix that first.');
  });

  it('stats --agent --json prints the API answer', async () => {
    const run = await runCli(['stats', '--agent', 'coder', ...range, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as AnalyticsReport;
    expect(parsed).toEqual((await get<AnalyticsReport>(`/api/v1/analytics/agents/coder?${RANGE}`)).body);
  });

  it('stats --agent shows one agent, and --from accepts a duration', async () => {
    const run = await runCli(['stats', '--agent', 'reviewer', '--from', '3d']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^stats for agent reviewer, /);
    expect(run.stdout).not.toContain('\nagents\n');
    expect(run.stdout).toMatch(/\n {2}\[warning\] reviewer has 1 session still running over an hour after starting/);
  });

  it('debug-agent prints the verdict, the explanation and the evidence', async () => {
    const run = await runCli(['debug-agent', 'coder', '--conversation', 'conv-fail']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('coder in conversation conv-fail: FAILED');
    expect(lines[1]).toBe('  coder ran in conversation conv-fail but its only session ended failed: ToolError: tests failed; failed step: run_tests (AssertionError).');
    expect(run.stdout).toMatch(/\nsessions of coder\n {2}started +status +duration +error +session\n/);
    expect(run.stdout).toMatch(new RegExp(`failed +10\\.50 s +ToolError: tests failed +${coders[11]!.root.spanId}`));
    expect(run.stdout).toMatch(/\nfailed actions\n[^\n]+\n[^\n]+\n {2}\S+ \S+ +run_tests +tool_call +AssertionError: 3 tests failed/);
    expect(run.stdout).toMatch(/\nagents in the conversation\n/);
  });

  it('debug-agent --json, and a never-invoked agent with where it ran instead', async () => {
    const run = await runCli(['debug-agent', 'reviewer', '--conversation', 'conv-none', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as AgentFiredAnswer).verdict).toBe('never_invoked');
    const text = await runCli(['debug-agent', 'reviewer', '--conversation', 'conv-none']);
    expect(text.stdout.split('\n')[0]).toBe('reviewer in conversation conv-none: NEVER INVOKED');
    expect(text.stdout).toMatch(/\nelsewhere: reviewer ran 4 times \(3 completed\) in the last 7 days, last \S+ \S+ in conversation conv-r-2/);
  });

  it.each([
    ['debug-agent without --conversation exits 2', ['debug-agent', 'coder'], 2, /--conversation/],
    ['debug-agent without an agent exits 2', ['debug-agent', '--conversation', 'c'], 2, /agent name/],
    ['stats with a malformed --from exits 2', ['stats', '--from', 'yesterday'], 2, /--from takes a duration/],
    ['stats for an unknown agent exits 1 with the server message', ['stats', '--agent', 'ghost'], 1, /no sessions of agent 'ghost'/],
    ['stats with a reversed range exits 1', ['stats', '--from', '1d', '--to', '2d'], 1, /must be before to/],
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

function isoMs(ms: number): string {
  return iso(BigInt(ms) * MS);
}
