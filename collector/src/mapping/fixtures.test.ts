import { describe, expect, it } from 'vitest';
import type { CanonicalSpan } from './canonical-span.js';
import { payloadHash } from './payload-hash.js';
import {
  ancestors, loadCaptures, ofCategory, owningAgent, resolvedCallId, type Capture, type ExpectedCall,
} from './test-fixture-support.js';

const captures = loadCaptures();

/**
 * Expectations the captured data cannot meet, each asserted as what the data does say (so a fixed
 * capture makes the test fail and the entry can go).
 */
const DATA_GAPS: Record<string, { llmResponseModel?: string; why: string }> = {
  'openai-agents/streaming-run': {
    llmResponseModel: 'gpt-4o',
    why: 'expect.json says gpt-4o-2024-08-06, but the streamed responses (and gen_ai.response.model) carry "gpt-4o"',
  },
};

/** The name each call is attributed to: nearest ancestor agent span, as assembly will do it. */
function agentOf(span: CanonicalSpan, spans: CanonicalSpan[]): string | null {
  return owningAgent(span, spans)?.agentName ?? null;
}

/** Calls grouped by owning agent, each group in start order (the expectations list calls per agent in order). */
function byAgent<T>(items: T[], agent: (item: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = agent(item) ?? '';
    out.set(key, [...(out.get(key) ?? []), item]);
  }
  return out;
}

function expectStatus(span: CanonicalSpan, status: ExpectedCall['status']): void {
  if (status === 'ok') expect(span.status).not.toBe('error');
  else expect(span.status).toBe(status);
}

function checkLlmCall(c: Capture, span: CanonicalSpan, want: ExpectedCall): void {
  const gap = DATA_GAPS[c.scenario];
  expect(span.requestModel).toBe(want.request_model ?? '');
  expect(span.responseModel).toBe(gap?.llmResponseModel ?? want.response_model ?? '');
  // null = not in the data: no usage at all, or a count the span did not report.
  if (want.input_tokens === null) expect(span.usage?.input ?? 0).toBe(0);
  else expect(span.usage?.input).toBe(want.input_tokens);
  if (want.output_tokens === null) expect(span.usage?.output ?? 0).toBe(0);
  else expect(span.usage?.output).toBe(want.output_tokens);
  expect(span.usage?.cacheRead ?? 0).toBe(want.cache_read_tokens ?? 0);
  expectStatus(span, want.status);
  if (want.message_contains) expect(span.errorMessage).toContain(want.message_contains);
}

function checkToolCall(c: Capture, span: CanonicalSpan, want: ExpectedCall): void {
  expect(span.toolName).toBe(want.name);
  // A null id means "not on the tool span"; a given one must at least be recoverable from the
  // LLM call that requested the tool (the OpenAI Agents bridge drops it from function spans).
  if (want.call_id === null) expect(span.toolCallId).toBe('');
  else expect(resolvedCallId(span, c.spans)).toBe(want.call_id);
  expectStatus(span, want.status);
  if (want.arguments !== undefined) expect(span.toolArgumentsHash).toBe(payloadHash(JSON.stringify(want.arguments)));
}

describe.each(captures.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const { expect: want, spans } = c;

  it('finds the LLM calls with models, tokens and status', () => {
    const got = byAgent(ofCategory(spans, 'llm'), (s) => agentOf(s, spans));
    const expected = byAgent(want.llm_calls, (e) => e.agent);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [agent, calls] of expected) {
      const found = got.get(agent) ?? [];
      expect(found.length, `llm calls of ${agent || '(no agent)'}`).toBe(calls.length);
      calls.forEach((e, i) => checkLlmCall(c, found[i]!, e));
    }
  });

  it('finds the tool calls with names, call ids and status', () => {
    const got = byAgent(ofCategory(spans, 'tool'), (s) => agentOf(s, spans));
    const expected = byAgent(want.tool_calls, (e) => e.agent);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [agent, calls] of expected) {
      // Parallel tools start in any order: compare each agent's calls as a set by name and id.
      const found = [...(got.get(agent) ?? [])].sort((a, b) => a.toolName.localeCompare(b.toolName) || resolvedCallId(a, spans).localeCompare(resolvedCallId(b, spans)));
      const sorted = [...calls].sort((a, b) => a.name!.localeCompare(b.name!) || (a.call_id ?? '').localeCompare(b.call_id ?? ''));
      expect(found.length, `tool calls of ${agent || '(no agent)'}`).toBe(sorted.length);
      sorted.forEach((e, i) => checkToolCall(c, found[i]!, e));
    }
  });

  it('finds the agents with ids, parents, delegation tools and status', () => {
    const agents = ofCategory(spans, 'agent');
    expect(agents.map((a) => a.agentName).sort()).toEqual(want.agents.map((a) => a.name).sort());
    for (const e of want.agents) {
      const candidates = agents.filter((a) => a.agentName === e.name && (e.id === undefined || a.agentId === e.id));
      expect(candidates.length, `agent ${e.name}`).toBeGreaterThan(0);
      for (const a of candidates) {
        expect(agentOf(a, spans)).toBe(e.parent);
        if (e.status === 'error') expect(a.status).toBe('error');
        else expect(a.status).not.toBe('error');
        if (e.model !== null && a.requestModel !== '') expect(a.requestModel).toBe(e.model);
        if (e.via_tool !== undefined) {
          const path = ancestors(a, spans);
          const tool = path.slice(0, path.findIndex((s) => s.category === 'agent')).find((s) => s.category === 'tool');
          expect(tool?.toolName).toBe(e.via_tool);
        }
      }
    }
  });

  it('finds the session, user and workflow', () => {
    const ids = (pick: (s: CanonicalSpan) => string) => new Set(spans.map(pick).filter((v) => v !== ''));
    expect([...ids((s) => s.conversationId)]).toEqual(want.session_id === null ? [] : [want.session_id]);
    expect([...ids((s) => s.userId)]).toEqual(want.user_id === null ? [] : [want.user_id]);
    if (want.workflow) {
      // The outermost workflow names the run (OpenLLMetry's withConversation scope is not one).
      const outermost = ofCategory(spans, 'workflow').filter((w) => !ancestors(w, spans).some((a) => a.category === 'workflow'));
      expect([...new Set(outermost.map((w) => w.workflowName))]).toEqual([want.workflow]);
    }
  });

  it('finds every error, typed and explained', () => {
    const failed = spans.filter((s) => s.status === 'error');
    expect(failed.length).toBe(want.totals['errors']);
    const unmatched = [...failed];
    for (const e of want.errors) {
      const index = unmatched.findIndex((s) => errorMatches(s, e));
      expect(index, `error ${e.kind} ${e.name}`).toBeGreaterThanOrEqual(0);
      unmatched.splice(index, 1);
    }
  });

  it('adds up to the totals (usage counted on the calls only)', () => {
    const llm = ofCategory(spans, 'llm');
    const sum = (pick: (s: CanonicalSpan) => number) => llm.reduce((n, s) => n + pick(s), 0);
    expect(ofCategory(spans, 'agent').length).toBe(want.totals['agent_invocations']);
    // totals.llm_calls / tool_calls count the calls that left a span; hidden_* are the ones that did not.
    expect(llm.length).toBe(want.totals['llm_calls']);
    expect(ofCategory(spans, 'tool').length).toBe(want.totals['tool_calls']);
    expect(sum((s) => s.usage?.input ?? 0)).toBe(want.totals['input_tokens']);
    expect(sum((s) => s.usage?.output ?? 0)).toBe(want.totals['output_tokens']);
    expect(sum((s) => s.usage?.cacheRead ?? 0)).toBe(want.totals['cache_read_tokens']);
    expect(spans.filter((s) => s.usage !== null && s.category !== 'llm' && s.category !== 'embedding')).toEqual([]);
  });

  // Only captures that list handoffs or loops get this check (no skipped placeholders elsewhere).
  if (want.handoffs !== undefined || want.loops !== undefined) it('finds handoffs and repeated tool calls', () => {
    for (const h of want.handoffs ?? []) {
      expect(spans.some((s) => s.category === 'handoff' && s.agentName === h.from && s.targetAgentName === h.to)).toBe(true);
    }
    for (const loop of want.loops ?? []) {
      const calls = spans.filter((s) => s.category === 'tool' && s.toolName === loop.tool);
      const hashes = new Set(calls.map((s) => s.toolArgumentsHash));
      expect(calls.length).toBeGreaterThanOrEqual(loop.repeats);
      if (loop.identical_arguments) expect(hashes.size).toBe(1);
    }
  });
});

function errorMatches(span: CanonicalSpan, e: Expectation['errors'][number]): boolean {
  const kindMatches =
    e.kind === 'llm' ? span.category === 'llm' && (span.requestModel === e.name || span.responseModel === e.name)
    : e.kind === 'tool' ? span.category === 'tool' && span.toolName === e.name
    : e.kind === 'agent' ? span.category === 'agent' && span.agentName === e.name
    : span.name === e.name; // 'step': a non-standard agent_step span, known only by its name
  return (
    kindMatches &&
    (e.error_type === undefined || span.errorType === e.error_type) &&
    (e.message_contains === undefined || span.errorMessage.includes(e.message_contains))
  );
}

type Expectation = Capture['expect'];

describe('fixture set', () => {
  it('covers every framework directory', () => {
    const dirs = new Set(captures.map((c) => c.scenario.split('/')[0]));
    expect([...dirs].sort()).toEqual([
      'langchain-openinference', 'mastra', 'openai-agents', 'openinference', 'openllmetry', 'otel-genai', 'vercel-ai-v6', 'vercel-ai-v7-genai',
    ]);
  });
});
