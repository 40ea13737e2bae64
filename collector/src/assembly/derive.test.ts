import { describe, expect, it } from 'vitest';
import type { CostResolver } from './derive-actions.js';
import { deriveTrace } from './derive.js';
import { canonicalSpan as span } from './test-spans.js';

/** $1 per 1000 input tokens and $2 per 1000 output tokens, for any model but 'mystery'. */
const cost: CostResolver = (s) =>
  s.providedCostUsd !== null
    ? { costUsd: s.providedCostUsd, source: 'provided' }
    : s.requestModel === 'mystery'
      ? { costUsd: 0, source: 'unknown' }
      : { costUsd: ((s.usage?.input ?? 0) + 2 * (s.usage?.output ?? 0)) / 1000, source: 'computed' };

const usage = (input: number, output: number) => ({ input, output, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
const ms = (n: number) => BigInt(n) * 1_000_000n;

/** orchestrator → delegate tool → researcher (llm + tool), orchestrator's own llm calls. */
function delegationTrace() {
  return [
    span({ spanId: 'orch', category: 'agent', agentName: 'orchestrator', agentId: 'a1', conversationId: 'conv-1', startTimeUnixNano: ms(0), endTimeUnixNano: ms(1000) }),
    span({ spanId: 'llm1', parentSpanId: 'orch', category: 'llm', requestModel: 'gpt-4o', usage: usage(100, 10), startTimeUnixNano: ms(10), endTimeUnixNano: ms(100) }),
    span({ spanId: 'deleg', parentSpanId: 'orch', category: 'tool', toolName: 'delegate_research', toolCallId: 'c1', startTimeUnixNano: ms(110), endTimeUnixNano: ms(800) }),
    span({ spanId: 'res', parentSpanId: 'deleg', category: 'agent', agentName: 'researcher', startTimeUnixNano: ms(120), endTimeUnixNano: ms(790) }),
    span({ spanId: 'llm2', parentSpanId: 'res', category: 'llm', requestModel: 'mystery', usage: usage(50, 5), startTimeUnixNano: ms(130), endTimeUnixNano: ms(200) }),
    span({ spanId: 'ws', parentSpanId: 'res', category: 'tool', toolName: 'web_search', status: 'error', errorType: 'Timeout', errorMessage: 'took too long', startTimeUnixNano: ms(210), endTimeUnixNano: ms(700) }),
    span({ spanId: 'llm3', parentSpanId: 'orch', category: 'llm', requestModel: 'gpt-4o', usage: usage(300, 40), providedCostUsd: 0.5, startTimeUnixNano: ms(810), endTimeUnixNano: ms(990) }),
  ];
}

describe('deriveTrace', () => {
  it('finds one session per agent span, with parent and root by nearest agent ancestor', () => {
    const { sessions } = deriveTrace(delegationTrace(), cost, 7n);
    expect(sessions.map((s) => [s.sessionId, s.agentName, s.parentSessionId, s.rootSessionId])).toEqual([
      ['orch', 'orchestrator', '', 'orch'],
      ['res', 'researcher', 'orch', 'orch'],
    ]);
  });

  it("rolls each session's own actions up into its totals, not its children's", () => {
    const { sessions } = deriveTrace(delegationTrace(), cost, 7n);
    const [orch, res] = sessions;
    expect(orch).toMatchObject({ llmCalls: 2, toolCalls: 1, actions: 3, inputTokens: 400, outputTokens: 50, errors: 0, status: 'completed' });
    // llm1 computed: (100 + 2·10)/1000 = 0.12; llm3 provided 0.5 → 0.62
    expect(orch?.costUsd).toBeCloseTo(0.62, 10);
    expect(res).toMatchObject({ llmCalls: 1, toolCalls: 1, inputTokens: 50, outputTokens: 5, errors: 1, unpricedCalls: 1, costUsd: 0 });
    expect(res).toMatchObject({ errorType: 'Timeout', errorMessage: 'took too long', status: 'completed' });
  });

  it('inherits the conversation id from the parent session', () => {
    const { sessions } = deriveTrace(delegationTrace(), cost, 7n);
    expect(sessions.map((s) => s.conversationId)).toEqual(['conv-1', 'conv-1']);
  });

  it('numbers actions per session in start order and records cost sources', () => {
    const { actions } = deriveTrace(delegationTrace(), cost, 7n);
    expect(actions.map((a) => [a.sessionId, a.sequence, a.actionId, a.actionType, a.costSource, a.status])).toEqual([
      ['orch', 1, 'llm1', 'llm_call', 'computed', 'completed'],
      ['orch', 2, 'deleg', 'tool_call', 'computed', 'completed'],
      ['orch', 3, 'llm3', 'llm_call', 'provided', 'completed'],
      ['res', 1, 'llm2', 'llm_call', 'unknown', 'completed'],
      ['res', 2, 'ws', 'tool_call', 'computed', 'failed'],
    ]);
    expect(actions[0]).toMatchObject({ agentName: 'orchestrator', durationMs: 90, model: 'gpt-4o', inputTokens: 100, version: 7n });
  });

  it('records the delegation from parent to child session', () => {
    const { communications } = deriveTrace(delegationTrace(), cost, 7n);
    expect(communications).toEqual([
      expect.objectContaining({ communicationId: 'delegation:res', fromSessionId: 'orch', toSessionId: 'res', fromAgent: 'orchestrator', toAgent: 'researcher', messageType: 'delegation', sentAt: ms(120) }),
    ]);
  });

  it('gives a trace without agent spans one implicit session from its root, named after the service', () => {
    const spans = [
      span({ spanId: 'root', name: 'POST /chat', serviceName: 'chat-api', startTimeUnixNano: ms(0), endTimeUnixNano: ms(50) }),
      span({ spanId: 'call', parentSpanId: 'root', category: 'llm', requestModel: 'gpt-4o', usage: usage(10, 1), startTimeUnixNano: ms(1), endTimeUnixNano: ms(40) }),
    ];
    const { sessions, actions } = deriveTrace(spans, cost, 1n);
    expect(sessions).toEqual([expect.objectContaining({ sessionId: 'root', implicit: true, agentName: 'chat-api', llmCalls: 1, inputTokens: 10 })]);
    expect(actions.map((a) => a.sessionId)).toEqual(['root']);
  });

  it('puts spans whose parent never arrived in the first top-level session', () => {
    const spans = [
      span({ spanId: 'agent', category: 'agent', agentName: 'a', startTimeUnixNano: ms(0) }),
      span({ spanId: 'orphan', parentSpanId: 'missing', category: 'tool', toolName: 't', startTimeUnixNano: ms(5) }),
    ];
    expect(deriveTrace(spans, cost, 1n).actions.map((a) => [a.actionId, a.sessionId])).toEqual([['orphan', 'agent']]);
  });

  it('numbers a model call before the tool it asked for when both start in the same millisecond', () => {
    const spans = [
      span({ spanId: 'agent', category: 'agent', agentName: 'a', startTimeUnixNano: ms(0), endTimeUnixNano: ms(50) }),
      // Span ids chosen so that id order alone would put the tool first.
      span({ spanId: 'a-tool', parentSpanId: 'agent', category: 'tool', toolName: 'book', startTimeUnixNano: ms(10), endTimeUnixNano: ms(12) }),
      span({ spanId: 'z-llm', parentSpanId: 'agent', category: 'llm', requestModel: 'gpt-4o', startTimeUnixNano: ms(10), endTimeUnixNano: ms(10) }),
      span({ spanId: 'b-tool', parentSpanId: 'agent', category: 'tool', toolName: 'pay', startTimeUnixNano: ms(10), endTimeUnixNano: ms(10) }),
    ];
    expect(deriveTrace(spans, cost, 1n).actions.map((a) => a.actionId)).toEqual(['z-llm', 'b-tool', 'a-tool']);
  });

  it('derives state transitions in time order, each lasting until the next or the session end', () => {
    const state = (t: number, from: string, to: string) => ({ timeUnixNano: ms(t), from, to, reason: '', transitionType: '' });
    const spans = [
      span({ spanId: 'agent', category: 'agent', agentName: 'a', startTimeUnixNano: ms(0), endTimeUnixNano: ms(100), stateChanges: [state(0, '', 'planning'), state(60, 'acting', 'done')] }),
      span({ spanId: 'tool', parentSpanId: 'agent', category: 'tool', toolName: 't', startTimeUnixNano: ms(10), stateChanges: [state(20, 'planning', 'acting')] }),
    ];
    const { transitions } = deriveTrace(spans, cost, 1n);
    expect(transitions.map((t) => [t.sequence, t.transitionId, t.fromState, t.toState, t.durationMs])).toEqual([
      [1, 'agent:0', '', 'planning', 20],
      [2, 'tool:0', 'planning', 'acting', 40],
      [3, 'agent:1', 'acting', 'done', 40],
    ]);
  });

  it('turns decision events and plan spans into decisions, and messages into communications', () => {
    const decision = { timeUnixNano: ms(5), type: 'route', question: 'which tool?', options: ['a', 'b'], chosen: 'b', chosenIndex: 1, reasoning: 'b is cheaper', confidence: 0.8, method: 'llm' };
    const spans = [
      span({ spanId: 'boss', category: 'agent', agentName: 'boss', startTimeUnixNano: ms(0), endTimeUnixNano: ms(100), decisions: [decision],
        messages: [{ timeUnixNano: ms(10), type: 'request', toAgent: 'worker', requestId: 'r1', inResponseTo: '', channel: 'queue' }] }),
      span({ spanId: 'plan', parentSpanId: 'boss', category: 'decision', requestModel: 'gpt-4o', outputContent: 'step 1, step 2', startTimeUnixNano: ms(1), endTimeUnixNano: ms(3) }),
      span({ spanId: 'worker', category: 'agent', agentName: 'worker', startTimeUnixNano: ms(20), endTimeUnixNano: ms(90) }),
    ];
    const { decisions, communications } = deriveTrace(spans, cost, 1n);
    expect(decisions.map((d) => [d.decisionId, d.decisionType, d.chosen, d.chosenIndex, d.confidence, d.actionId])).toEqual([
      ['plan', 'plan', 'step 1, step 2', -1, null, 'plan'],
      ['boss:0', 'route', 'b', 1, 0.8, ''],
    ]);
    expect(communications).toEqual([
      expect.objectContaining({ communicationId: 'message:boss:0', fromSessionId: 'boss', toSessionId: 'worker', toAgent: 'worker', messageType: 'request', requestId: 'r1', channel: 'queue' }),
    ]);
  });

  it('marks a failed agent span failed with its own error', () => {
    const spans = [span({ spanId: 'a', category: 'agent', agentName: 'x', status: 'error', errorType: 'ValueError', errorMessage: 'bad' })];
    expect(deriveTrace(spans, cost, 1n).sessions[0]).toMatchObject({ status: 'failed', errors: 1, errorType: 'ValueError', errorMessage: 'bad' });
  });

  it('records a span link to another trace as a link communication', () => {
    const spans = [span({ spanId: 'sub', category: 'agent', agentName: 'sub', links: [{ traceId: 'p'.repeat(32), spanId: 'parentspan' }] })];
    expect(deriveTrace(spans, cost, 1n).communications).toEqual([
      expect.objectContaining({ communicationId: 'link:sub:parentspan', fromSessionId: 'parentspan', toSessionId: 'sub', requestId: 'p'.repeat(32), messageType: 'link' }),
    ]);
  });
});

describe('deriveTrace of a trace whose root never came', () => {
  it('derives the missing agent span as a timed_out session holding its children, ended at the last of them', () => {
    // The orchestrator's span never arrived (its process died): only what ended under it did.
    const spans = delegationTrace().filter((s) => s.spanId !== 'orch');
    const { sessions, actions } = deriveTrace(spans, cost, 7n);
    expect(sessions.map((s) => [s.sessionId, s.status, s.parentSessionId, s.implicit])).toEqual([
      ['orch', 'timed_out', '', false],
      ['res', 'completed', 'orch', false],
    ]);
    const orch = sessions[0];
    expect(orch).toMatchObject({ startedAt: ms(10), endedAt: ms(990), llmCalls: 2, toolCalls: 1 });
    expect(actions.filter((a) => a.sessionId === 'orch').map((a) => a.actionId)).toEqual(['llm1', 'deleg', 'llm3']);
  });
});
