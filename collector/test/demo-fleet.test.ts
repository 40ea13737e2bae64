import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENTFLOW, DATABASE, GEN_AI, MODEL_PRICES, RESOURCE, TABLES } from '@agentflow/schemas';
import { startTestCollector, type TestCollector } from './helpers/test-collector.js';

/**
 * End to end: `agentflow demo` (the built CLI, as its own process; the hotel agent in a third one)
 * → real OTel SDK and OTLP/HTTP exporters → collector → derived agent tables and raw live records.
 */

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const T = (table: string): string => `${DATABASE}.${table}`;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

function runCli(args: string[]): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AGENTFLOW_API_KEY: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, elapsedMs: Date.now() - started }));
  });
}

interface Session {
  session_id: string;
  trace_id: string;
  parent_session_id: string;
  root_session_id: string;
  agent_name: string;
  status: string;
  service_instance_id: string;
  workflow_name: string;
  conversation_id: string;
  llm_calls: number;
  tool_calls: number;
  cost_usd: number;
}

interface Action {
  agent_name: string;
  sequence: number;
  action_type: string;
  name: string;
  tool_name: string;
  model: string;
  request_model: string;
  provider: string;
  status: string;
  error_type: string;
  retry_attempt: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  cost_source: string;
  args_hash: string;
}

/** USD for a call by the current price-table entry of its provider and model (input and output tokens only). */
function expectedCost(a: Action): number {
  const entries = MODEL_PRICES.entries
    .filter((e) => e.provider === a.provider && new RegExp(e.match).test(a.model))
    .sort((x, y) => String(x.valid_from).localeCompare(String(y.valid_from)));
  const price = entries.at(-1);
  if (!price) throw new Error(`no price for ${a.provider}/${a.model}`);
  return (Number(a.input_tokens) * price.input + Number(a.output_tokens) * price.output) / 1e6;
}

let t: TestCollector;
let run: CliRun;
let runId: string;
let sessions: Session[];
const byAgent = (name: string): Session => {
  const s = sessions.find((x) => x.agent_name === name);
  if (!s) throw new Error(`no session of ${name}`);
  return s;
};

beforeAll(async () => {
  // A short quiet period: the demo waits for its trace to be derived before it prints.
  t = await startTestCollector({ AGENTFLOW_ASSEMBLY_QUIET_MS: '500' });
  const url = await t.listen();
  run = await runCli(['demo', '--url', url, '--duration', '2']);
  runId = /run ([0-9a-f]{8})/.exec(run.stdout)?.[1] ?? '';
  sessions = await t.query<Session>(`SELECT * FROM ${T(TABLES.SESSIONS)} ORDER BY started_at`);
});

afterAll(async () => {
  await t?.stop();
});

describe('demo fleet through real OTLP exporters', () => {
  it('exits 0 within its time bound and prints what agentflow recorded', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(runId).toMatch(/^[0-9a-f]{8}$/);
    // 2 s of fleet, a process start for the hotel agent, a 0.5 s quiet period and the queries.
    expect(run.elapsedMs).toBeLessThan(20_000);
    for (const agent of ['trip-orchestrator', 'flight-agent', 'hotel-agent', 'weather-agent']) expect(run.stdout).toMatch(new RegExp(`^  ${agent} .* completed`, 'm'));
    expect(run.stdout).toContain('planning → delegating → reviewing → done');
    expect(run.stdout).toMatch(/weather-agent\s+get_forecast\s+[0-9a-f]{16}\s+6/);
    // The monitor first as running (while its process is alive), then as orphaned (its process went offline).
    const running = run.stdout.indexOf('Running now');
    const stillRunning = run.stdout.indexOf('Still running when the demo stopped');
    expect(running).toBeGreaterThanOrEqual(0);
    expect(run.stdout.slice(running, stillRunning)).toMatch(/monitor-agent\s+trip-planner-[0-9a-f]{8}\s+running\s+\S+\s+execute_tool watch_fleet/);
    expect(run.stdout.slice(stillRunning)).toMatch(/monitor-agent\s+trip-planner-[0-9a-f]{8}\s+orphaned\s+\S+\s+execute_tool watch_fleet/);
    expect(run.stdout).toMatch(/weather-agent\s+loop\.repeat_call\s+critical\s+6\s+get_forecast called 6 times in a row with the same arguments/);
    expect(run.stdout).toMatch(/monitor-agent\s+stuck\.orphaned\s+critical\s+1\s+process trip-planner-[0-9a-f]{8} went offline/);
    expect(run.stdout).toMatch(/Total cost: \$0\.0\d+ for 7 LLM calls \(7 priced/);
  });

  it('derives a session for every agent of the trip, linked to the orchestrator', () => {
    const orchestrator = byAgent('trip-orchestrator');
    expect(orchestrator).toMatchObject({
      parent_session_id: '', root_session_id: orchestrator.session_id, status: 'completed', workflow_name: 'trip-planning-v1', conversation_id: `trip-${runId}`,
    });
    for (const agent of ['flight-agent', 'hotel-agent', 'weather-agent']) {
      expect(byAgent(agent)).toMatchObject({
        trace_id: orchestrator.trace_id, parent_session_id: orchestrator.session_id, root_session_id: orchestrator.session_id, status: 'completed',
      });
    }
    expect(sessions.filter((s) => s.trace_id === orchestrator.trace_id)).toHaveLength(4);
  });

  it('links the hotel agent across the process boundary: same trace, parent the orchestrator, its own instance', () => {
    const orchestrator = byAgent('trip-orchestrator');
    const hotel = byAgent('hotel-agent');
    expect(orchestrator.service_instance_id).toBe(`trip-planner-${runId}`);
    expect(hotel).toMatchObject({
      trace_id: orchestrator.trace_id, parent_session_id: orchestrator.session_id, service_instance_id: `hotel-agent-${runId}`, llm_calls: 1, tool_calls: 2,
    });
    expect(byAgent('flight-agent').service_instance_id).toBe(orchestrator.service_instance_id);
  });

  it("records the orchestrator's state transitions in order", async () => {
    const rows = await t.query<{ from_state: string; to_state: string }>(
      `SELECT from_state, to_state FROM ${T(TABLES.TRANSITIONS)} WHERE session_id = {s:String} ORDER BY sequence`, { s: byAgent('trip-orchestrator').session_id },
    );
    expect(rows).toEqual([
      { from_state: '', to_state: 'planning' },
      { from_state: 'planning', to_state: 'delegating' },
      { from_state: 'delegating', to_state: 'reviewing' },
      { from_state: 'reviewing', to_state: 'done' },
    ]);
  });

  it("records the orchestrator's decision with its alternatives, choice and confidence", async () => {
    const rows = await t.query(`SELECT question, options, chosen, chosen_index, confidence, method, reasoning FROM ${T(TABLES.DECISIONS)} WHERE session_id = {s:String}`, {
      s: byAgent('trip-orchestrator').session_id,
    });
    expect(rows).toEqual([{
      question: 'How should the trip request be handled?',
      options: ['single generalist agent', 'specialist agents in parallel', 'specialist agents in sequence'],
      chosen: 'specialist agents in parallel',
      chosen_index: 1,
      confidence: 0.82,
      method: 'llm',
      reasoning: expect.stringContaining('parallel specialists finish soonest'),
    }]);
  });

  it('records requests, responses and delegations between the agents', async () => {
    const orchestrator = byAgent('trip-orchestrator');
    const rows = await t.query<Record<string, string>>(
      `SELECT from_session_id, to_session_id, from_agent, to_agent, message_type, request_id, in_response_to, channel FROM ${T(TABLES.COMMUNICATIONS)} WHERE trace_id = {t:String}`,
      { t: orchestrator.trace_id },
    );
    for (const [agent, channel] of [['flight-agent', 'in-process'], ['hotel-agent', 'stdio'], ['weather-agent', 'in-process']] as const) {
      const sub = byAgent(agent);
      const request = rows.find((r) => r.message_type === 'request' && r.to_agent === agent);
      expect(request).toMatchObject({ from_session_id: orchestrator.session_id, to_session_id: sub.session_id, from_agent: 'trip-orchestrator', channel });
      expect(rows).toContainEqual(expect.objectContaining({
        message_type: 'response', from_session_id: sub.session_id, from_agent: agent, to_agent: 'trip-orchestrator', in_response_to: request?.request_id, channel,
      }));
      expect(rows).toContainEqual(expect.objectContaining({ message_type: 'delegation', from_session_id: orchestrator.session_id, to_session_id: sub.session_id }));
    }
  });

  it('records every LLM call with tokens and a cost computed from the price table', async () => {
    const rows = await t.query<Action>(`SELECT * FROM ${T(TABLES.ACTIONS)} WHERE action_type = 'llm_call' AND status = 'completed' ORDER BY agent_name, sequence`);
    expect(rows.map((r) => `${r.agent_name}:${r.model}`)).toEqual([
      'flight-agent:gpt-4o-mini', 'flight-agent:gpt-4o-mini', 'hotel-agent:claude-haiku-4-5', 'trip-orchestrator:claude-sonnet-4-5',
      'trip-orchestrator:claude-sonnet-4-5', 'weather-agent:gpt-4o-mini',
    ]);
    for (const r of rows) {
      expect(Number(r.input_tokens)).toBeGreaterThan(0);
      expect(Number(r.output_tokens)).toBeGreaterThan(0);
      expect(r.cost_source).toBe('computed');
      expect(r.cost_usd).toBeCloseTo(expectedCost(r), 12);
    }
    const total = sessions.reduce((sum, s) => sum + s.cost_usd, 0);
    expect(total).toBeCloseTo(rows.reduce((sum, r) => sum + r.cost_usd, 0), 12);
  });

  it('records the tool calls of each agent by name', async () => {
    const rows = await t.query<{ agent_name: string; tools: string[] }>(
      `SELECT agent_name, groupArray(tool_name) AS tools FROM (SELECT agent_name, tool_name FROM ${T(TABLES.ACTIONS)} WHERE action_type = 'tool_call' ORDER BY sequence) GROUP BY agent_name ORDER BY agent_name`,
    );
    expect(rows).toEqual([
      { agent_name: 'flight-agent', tools: ['search_flights', 'book_flight'] },
      { agent_name: 'hotel-agent', tools: ['search_hotels', 'reserve_room'] },
      { agent_name: 'weather-agent', tools: Array(6).fill('get_forecast') },
    ]);
  });

  it("records the weather agent's failed model call, then the retry as attempt 1", async () => {
    const rows = await t.query<Action>(
      `SELECT * FROM ${T(TABLES.ACTIONS)} WHERE session_id = {s:String} AND action_type = 'llm_call' ORDER BY sequence`, { s: byAgent('weather-agent').session_id },
    );
    expect(rows).toMatchObject([
      { status: 'failed', error_type: 'RateLimitError', retry_attempt: 0, request_model: 'gpt-4o-mini', output_tokens: 0 },
      { status: 'completed', retry_attempt: 1, request_model: 'gpt-4o-mini', model: 'gpt-4o-mini' },
    ]);
    expect(rows[1]!.sequence).toBeGreaterThan(rows[0]!.sequence);
    expect(byAgent('weather-agent')).toMatchObject({ llm_calls: 2, tool_calls: 6 });
  });

  it("records the weather agent's six identical get_forecast calls with one arguments hash", async () => {
    const rows = await t.query<Action>(`SELECT * FROM ${T(TABLES.ACTIONS)} WHERE session_id = {s:String} AND action_type = 'tool_call'`, { s: byAgent('weather-agent').session_id });
    expect(rows).toHaveLength(6);
    const hashes = new Set(rows.map((r) => r.args_hash));
    expect(hashes.size).toBe(1);
    expect([...hashes][0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('finds the weather agent\'s loop once, resolved when its session ended, and the monitor orphaned, still open', async () => {
    const rows = await t.query<{ agent_name: string; kind: string; severity: string; count: number; session_id: string; open: number }>(
      `SELECT agent_name, kind, severity, count, session_id, toUInt8(resolved_at IS NULL) AS open FROM ${T(TABLES.ANOMALIES)} ORDER BY kind`,
    );
    const weather = byAgent('weather-agent');
    expect(rows.filter((r) => r.kind === 'loop.repeat_call')).toEqual([
      { agent_name: 'weather-agent', kind: 'loop.repeat_call', severity: 'critical', count: 6, session_id: weather.session_id, open: 0 },
    ]);
    expect(rows.filter((r) => r.kind === 'stuck.orphaned')).toMatchObject([{ agent_name: 'monitor-agent', severity: 'critical', open: 1 }]);
  });

  it('shows the monitor agent running: span-start records for its session and tool call, and no ended span', async () => {
    const starts = await t.query<{ TraceId: string; SpanId: string; span_name: string; agent: string; operation: string; instance: string }>(
      `SELECT TraceId, SpanId, LogAttributes[{name:String}] AS span_name, LogAttributes[{agent:String}] AS agent, LogAttributes[{op:String}] AS operation,
         ResourceAttributes[{inst:String}] AS instance
       FROM ${T(TABLES.LOGS)} WHERE EventName = {event:String} AND LogAttributes[{agent:String}] = 'monitor-agent' ORDER BY Timestamp, span_name DESC`,
      { name: AGENTFLOW.SPAN_NAME, agent: GEN_AI.AGENT_NAME, op: GEN_AI.OPERATION_NAME, inst: RESOURCE.SERVICE_INSTANCE_ID, event: AGENTFLOW.SPAN_START_EVENT },
    );
    expect(starts.map((s) => [s.span_name, s.operation, s.instance])).toEqual([
      ['invoke_agent monitor-agent', 'invoke_agent', `trip-planner-${runId}`],
      ['execute_tool watch_fleet', 'execute_tool', `trip-planner-${runId}`],
    ]);
    const monitorTrace = starts[0]!.TraceId;
    expect(monitorTrace).not.toBe(byAgent('trip-orchestrator').trace_id);
    const ended = await t.query(`SELECT SpanId FROM ${T(TABLES.TRACES)} WHERE TraceId = {t:String}`, { t: monitorTrace });
    expect(ended).toEqual([]);
  });

  it('receives heartbeats from both processes, with the monitor counted as load until the stop', async () => {
    const rows = await t.query<{ instance: string; status: string; load: string }>(
      `SELECT ResourceAttributes[{inst:String}] AS instance, LogAttributes[{status:String}] AS status, LogAttributes[{load:String}] AS load
       FROM ${T(TABLES.LOGS)} WHERE EventName = {event:String} ORDER BY Timestamp`,
      { inst: RESOURCE.SERVICE_INSTANCE_ID, status: AGENTFLOW.INSTANCE_STATUS, load: AGENTFLOW.INSTANCE_LOAD, event: AGENTFLOW.HEARTBEAT_EVENT },
    );
    const main = rows.filter((r) => r.instance === `trip-planner-${runId}`);
    expect(main.length).toBeGreaterThanOrEqual(3);
    expect(main.at(-1)).toEqual({ instance: `trip-planner-${runId}`, status: 'offline', load: '1' });
    expect(main.slice(1, -1).every((r) => r.status === 'online' && Number(r.load) >= 1)).toBe(true);
    const hotel = rows.filter((r) => r.instance === `hotel-agent-${runId}`);
    expect(hotel.length).toBeGreaterThanOrEqual(2);
    expect(hotel.at(-1)?.status).toBe('offline');
  });

  it('lists the monitor agent as running in agent_live_sessions, with its last action', async () => {
    const live = await t.query(`SELECT agent_name, status, service_instance_id, last_action, goal FROM ${T(TABLES.LIVE_SESSIONS)}`);
    expect(live).toEqual([{
      agent_name: 'monitor-agent', status: 'running', service_instance_id: `trip-planner-${runId}`, last_action: 'execute_tool watch_fleet',
      goal: 'Watch the fleet for stalled sessions',
    }]);
  });

  it('registers both processes in agent_instances from their heartbeats', async () => {
    const rows = await t.query(`SELECT service_instance_id, service_name, status, max_capacity FROM ${T(TABLES.INSTANCES)} ORDER BY service_instance_id`);
    expect(rows).toEqual([
      { service_instance_id: `hotel-agent-${runId}`, service_name: 'hotel-agent', status: 'offline', max_capacity: 4 },
      { service_instance_id: `trip-planner-${runId}`, service_name: 'trip-planner', status: 'offline', max_capacity: 8 },
    ]);
  });
});
