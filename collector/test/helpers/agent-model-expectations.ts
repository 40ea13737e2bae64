/**
 * The agent-model check of the captured framework payloads: each scenario's bodies go in through
 * the HTTP receiver, and the derived agent tables must hold what its `.expect.json` says a correct
 * mapping finds. Shared by the OTLP captures and the OpenAI Agents SDK's own trace export, which
 * reach the collector by different endpoints.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from './test-collector.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** What a correct mapping finds in a capture (its `.expect.json`, the fields checked here). */
export interface AgentModelExpect {
  session_id: string | null;
  user_id: string | null;
  workflow?: string;
  agents: { name: string; parent: string | null; status: string; id?: string }[];
  llm_calls: {
    agent: string | null; request_model: string; response_model: string | null;
    input_tokens: number | null; output_tokens: number | null; cache_read_tokens: number | null; status: string;
  }[];
  tool_calls: { agent: string | null; name: string; call_id: string | null; status: string }[];
  errors: { kind: string; name: string; message_contains?: string }[];
  handoffs?: { from: string; to: string }[];
  totals: Record<string, number>;
}

/** One captured run: its request bodies, the trace ids they hold, and what they must yield. */
export interface AgentModelScenario {
  /** `<framework>/<scenario>`. */
  name: string;
  bodies: Buffer[];
  traceIds: string[];
  expect: AgentModelExpect;
}

/** Which files of a fixture directory hold a scenario's request bodies, and the trace ids in a body. */
export interface ScenarioBodies {
  files(dirFiles: readonly string[], scenario: string): string[];
  traceIds(body: Buffer): string[];
}

/** Every scenario with an `.expect.json` and at least one body file, as `pick` finds them. */
export function loadAgentModelScenarios(pick: ScenarioBodies): AgentModelScenario[] {
  const out: AgentModelScenario[] = [];
  for (const framework of readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    const dir = join(FIXTURES, framework);
    const files = readdirSync(dir);
    for (const expectFile of files.filter((f) => f.endsWith('.expect.json'))) {
      const scenario = expectFile.slice(0, -'.expect.json'.length);
      const bodies = pick.files(files, scenario).map((f) => readFileSync(join(dir, f)));
      if (bodies.length === 0) continue;
      const traceIds = [...new Set(bodies.flatMap((b) => pick.traceIds(b)))];
      out.push({ name: `${framework}/${scenario}`, bodies, traceIds, expect: JSON.parse(readFileSync(join(dir, expectFile), 'utf8')) as AgentModelExpect });
    }
  }
  return out;
}

/** Where a scenario's bodies are POSTed. */
export interface IngestRoute {
  url: string;
  contentType: string;
}

/**
 * Where the capture itself disagrees with its expectation file, the capture wins (the mapping
 * tests in collector/src/mapping list the same gap).
 */
const DATA_GAPS: Record<string, { responseModel: string; why: string }> = {
  'openai-agents/streaming-run': { responseModel: 'gpt-4o', why: 'the spans and the streamed responses carry "gpt-4o", not the dated name the expectation lists' },
};

type Row = Record<string, unknown>;
const status = (s: string) => (s === 'error' ? 'failed' : 'completed');

/**
 * Declares the checks: a collector is started for the file, every scenario's bodies are POSTed to
 * `route` (each must answer 200), then one `describe` per scenario compares the derived records
 * with its expectation.
 */
export function describeAgentModelScenarios(scenarios: readonly AgentModelScenario[], route: IngestRoute): void {
  let t: TestCollector;

  beforeAll(async () => {
    t = await startTestCollector();
    for (const s of scenarios) {
      for (const body of s.bodies) {
        const res = await t.collector.app.inject({ method: 'POST', url: route.url, headers: { 'content-type': route.contentType }, payload: body });
        if (res.statusCode !== 200) throw new Error(`${s.name}: ${res.statusCode} ${res.body}`);
      }
    }
    await t.collector.assembly.settleAll();
  });
  afterAll(async () => t?.stop());

  const rowsOf = (s: AgentModelScenario, table: string, where = '1', order = 'started_at, action_id') =>
    t.query<Row>(`SELECT * FROM agentflow.${table} WHERE trace_id IN {traces:Array(String)} AND ${where} ORDER BY ${order}`, { traces: s.traceIds });

  describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    it('finds the agent sessions with their names, ids, parents and status', async () => {
      const sessions = await rowsOf(s, 'agent_sessions', 'implicit = 0', 'started_at, session_id');
      const byId = new Map(sessions.map((r) => [r.session_id, r]));
      const found = sessions.map((r) => ({
        name: r.agent_name,
        parent: r.parent_session_id === '' ? null : (byId.get(r.parent_session_id)?.agent_name ?? '?'),
        status: r.status,
      }));
      const wanted = s.expect.agents.map((a) => ({ name: a.name, parent: a.parent, status: status(a.status) }));
      expect(sortByName(found)).toEqual(sortByName(wanted));
      for (const a of s.expect.agents.filter((x) => x.id)) expect(sessions.find((r) => r.agent_name === a.name)?.agent_id).toBe(a.id);
    });

    // Parallel sub-agents make "execution order" a tree order in the expectations, so calls are
    // compared as sets; the per-session sequence is checked in the assembly unit tests.
    it('records each LLM call with its agent, models, tokens and status', async () => {
      const calls = await rowsOf(s, 'agent_actions', "action_type = 'llm_call'");
      expectSameSet(calls.map((c) => ({
        agent: c.agent_name, request_model: c.request_model, model: c.model,
        input_tokens: Number(c.input_tokens), output_tokens: Number(c.output_tokens), cache_read_tokens: Number(c.cache_read_tokens), status: c.status,
      })), s.expect.llm_calls.map((e) => ({
        agent: e.agent ?? expect.any(String), request_model: e.request_model,
        model: DATA_GAPS[s.name]?.responseModel ?? e.response_model ?? e.request_model,
        // null: the call reported no usage (a failed call); the token columns hold 0 then.
        input_tokens: e.input_tokens ?? 0, output_tokens: e.output_tokens ?? 0, cache_read_tokens: e.cache_read_tokens ?? 0,
        status: status(e.status),
      })));
    });

    it('records each tool call with its agent, name, call id and status', async () => {
      const calls = await rowsOf(s, 'agent_actions', "action_type = 'tool_call'");
      expectSameSet(calls.map((c) => ({ agent: c.agent_name, name: c.tool_name, call_id: c.tool_call_id, status: c.status })),
        // A null call id means "not on the tool span"; assembly may still recover it from the model call that asked for it.
        s.expect.tool_calls.map((e) => ({ agent: e.agent ?? expect.any(String), name: e.name, call_id: e.call_id ?? expect.any(String), status: status(e.status) })),
      );
    });

    it('rolls tokens, calls and errors up into sessions that match the totals', async () => {
      const sessions = await rowsOf(s, 'agent_sessions', '1', 'started_at, session_id');
      const sum = (k: string) => sessions.reduce((n, r) => n + Number(r[k]), 0);
      const { totals } = s.expect;
      expect({
        llm_calls: sum('llm_calls'), tool_calls: sum('tool_calls'), input_tokens: sum('input_tokens'),
        output_tokens: sum('output_tokens'), cache_read_tokens: sum('cache_read_tokens'), errors: sum('errors'),
      }).toEqual({
        // totals count the calls recoverable from spans; hidden_* (calls that left no span) are on top.
        llm_calls: totals.llm_calls, tool_calls: totals.tool_calls,
        input_tokens: totals.input_tokens, output_tokens: totals.output_tokens, cache_read_tokens: totals.cache_read_tokens, errors: totals.errors,
      });
    });

    it('keeps each error message on the failed record', async () => {
      const failed = [
        ...(await rowsOf(s, 'agent_sessions', "status = 'failed'", 'started_at')).map((r) => String(r.error_message)),
        ...(await rowsOf(s, 'agent_actions', "status = 'failed'")).map((r) => String(r.error)),
      ];
      for (const e of s.expect.errors.filter((x) => x.message_contains)) {
        expect(failed.some((m) => m.includes(e.message_contains as string)), `${e.kind} ${e.name}: "${e.message_contains}"`).toBe(true);
      }
    });

    it('finds the conversation, user and workflow', async () => {
      const sessions = await rowsOf(s, 'agent_sessions', '1', 'started_at, session_id');
      if (s.expect.session_id !== null) expect(sessions.map((r) => r.conversation_id)).toContain(s.expect.session_id);
      if (s.expect.user_id !== null) expect(sessions.map((r) => r.user_id)).toContain(s.expect.user_id);
      if (s.expect.workflow) expect(sessions.map((r) => r.workflow_name)).toContain(s.expect.workflow);
    });

    it('records handoffs between agents', async () => {
      const handoffs = await rowsOf(s, 'agent_communications', "message_type = 'handoff'", 'sent_at');
      expect(handoffs.map((h) => ({ from: h.from_agent, to: h.to_agent, toFound: h.to_session_id !== '' }))).toEqual(
        (s.expect.handoffs ?? []).map((h) => ({ from: h.from, to: h.to, toFound: true })),
      );
    });
  });
}

/**
 * Equal as multisets: both sides sorted by the fields the expectation pins down (fields it leaves
 * open with `expect.any` would order the two sides differently).
 */
function expectSameSet(found: Record<string, unknown>[], wanted: Record<string, unknown>[]): void {
  const pinned = Object.keys(wanted[0] ?? {}).filter((k) => wanted.every((w) => w[k] === null || typeof w[k] !== 'object')).sort();
  const key = (r: Record<string, unknown>) => JSON.stringify(pinned.map((k) => r[k]));
  const sorted = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));
  expect(sorted(found)).toEqual(sorted(wanted));
}

function sortByName<T extends { name: unknown }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => String(a.name).localeCompare(String(b.name)));
}
