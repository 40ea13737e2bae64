import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AGENTFLOW, GEN_AI, GENERAL } from '@agentflow/schemas';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAgentTracker, type AgentSession } from '../src/index.js';
import { installTracing, parentId } from './support/otel.js';

const tracing = installTracing();
beforeEach(() => tracing.exporter.reset());

const SESSION = {
  agentId: 'agent-7',
  agentName: 'researcher',
  agentType: 'research',
  goal: 'find three sources',
  goalType: 'research',
  workflowName: 'research-v1',
  conversationId: 'conv-1',
  trigger: 'user_message',
  taskId: 'task-42',
  capacity: 4,
};

describe('runSession', () => {
  it('records an invoke_agent span with the GenAI and agentflow session attributes', () => {
    const tracker = createAgentTracker();
    const value = tracker.runSession(SESSION, () => 42);
    expect(value).toBe(42);
    const span = tracing.span('invoke_agent researcher');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.instrumentationScope.name).toBe('@agentflow/instrumentation');
    expect(span.attributes).toEqual({
      [GEN_AI.OPERATION_NAME]: 'invoke_agent',
      [GEN_AI.AGENT_ID]: 'agent-7',
      [GEN_AI.AGENT_NAME]: 'researcher',
      [GEN_AI.CONVERSATION_ID]: 'conv-1',
      [GEN_AI.WORKFLOW_NAME]: 'research-v1',
      [AGENTFLOW.AGENT_TYPE]: 'research',
      [AGENTFLOW.GOAL]: 'find three sources',
      [AGENTFLOW.GOAL_TYPE]: 'research',
      [AGENTFLOW.TRIGGER]: 'user_message',
      [AGENTFLOW.TASK_ID]: 'task-42',
      [AGENTFLOW.AGENT_CAPACITY]: 4,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.events).toEqual([]);
  });

  it('runs an async fn inside the session and ends the span when its promise settles', async () => {
    const tracker = createAgentTracker({ tracerName: 'my-agent' });
    let inside: AgentSession | undefined;
    const promise = tracker.runSession({ agentName: 'a' }, async (session) => {
      await new Promise((r) => setTimeout(r, 5));
      inside = tracker.currentSession();
      expect(tracing.spans()).toHaveLength(0);
      return session.sessionId;
    });
    const sessionId = await promise;
    const span = tracing.span('invoke_agent a');
    expect(span.instrumentationScope.name).toBe('my-agent');
    expect(sessionId).toBe(span.spanContext().spanId);
    expect(inside?.sessionId).toBe(sessionId);
    expect(inside?.traceId).toBe(span.spanContext().traceId);
    expect(tracker.currentSession()).toBeUndefined();
  });

  it('records a synchronous throw, rethrows the same error and ends the span', () => {
    const tracker = createAgentTracker();
    class ToolBroke extends Error {}
    const error = new ToolBroke('disk full');
    expect(() => tracker.runSession({ agentName: 'a' }, () => { throw error; })).toThrow(error);
    const span = tracing.span('invoke_agent a');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'disk full' });
    expect(span.attributes[GENERAL.ERROR_TYPE]).toBe('ToolBroke');
    expect(span.events.map((e) => e.name)).toEqual([GENERAL.EXCEPTION_EVENT]);
    expect(span.events[0]!.attributes?.[GENERAL.EXCEPTION_MESSAGE]).toBe('disk full');
  });

  it('records an async rejection and rejects with the same value, also for non-Error values', async () => {
    const tracker = createAgentTracker();
    const error = new TypeError('bad input');
    await expect(tracker.runSession({ agentName: 'a' }, async () => { throw error; })).rejects.toBe(error);
    expect(tracing.span('invoke_agent a').attributes[GENERAL.ERROR_TYPE]).toBe('TypeError');
    tracing.exporter.reset();
    await expect(tracker.runSession({ agentName: 'b' }, () => Promise.reject('plain string'))).rejects.toBe('plain string');
    const span = tracing.span('invoke_agent b');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'plain string' });
    expect(span.attributes[GENERAL.ERROR_TYPE]).toBe('_OTHER');
  });

  it('nests a sub-agent session under the span that delegated to it', async () => {
    const tracker = createAgentTracker();
    await tracker.runSession({ agentName: 'orchestrator' }, (session) =>
      session.tool({ name: 'delegate' }, () => tracker.runSession({ agentName: 'worker' }, async () => 'done')),
    );
    const orchestrator = tracing.span('invoke_agent orchestrator');
    const tool = tracing.span('execute_tool delegate');
    const worker = tracing.span('invoke_agent worker');
    expect(parentId(tool)).toBe(orchestrator.spanContext().spanId);
    expect(parentId(worker)).toBe(tool.spanContext().spanId);
    expect(new Set([orchestrator, tool, worker].map((s) => s.spanContext().traceId)).size).toBe(1);
  });
});

describe('session events', () => {
  it('records state changes, with from defaulting to the previous state', () => {
    const tracker = createAgentTracker();
    tracker.runSession({ agentName: 'a' }, (session) => {
      session.state('planning');
      session.state('executing', { reason: 'plan ready', transitionType: 'normal' });
      session.state('done', { from: 'reviewing' });
      expect(session.currentState).toBe('done');
    });
    const span = tracing.span('invoke_agent a');
    expect(span.events.map((e) => [e.name, e.attributes])).toEqual([
      [AGENTFLOW.STATE_EVENT, { [AGENTFLOW.STATE_TO]: 'planning' }],
      [AGENTFLOW.STATE_EVENT, {
        [AGENTFLOW.STATE_TO]: 'executing', [AGENTFLOW.STATE_FROM]: 'planning',
        [AGENTFLOW.STATE_REASON]: 'plan ready', [AGENTFLOW.STATE_TRANSITION_TYPE]: 'normal',
      }],
      [AGENTFLOW.STATE_EVENT, { [AGENTFLOW.STATE_TO]: 'done', [AGENTFLOW.STATE_FROM]: 'reviewing' }],
    ]);
  });

  it('records a decision with its options as a string array, filling in the chosen index', () => {
    const tracker = createAgentTracker();
    tracker.runSession({ agentName: 'a' }, (session) => {
      session.decision({
        type: 'tool_selection', question: 'which search?', options: ['web', 'docs', { kind: 'sql' }], chosen: 'docs',
        reasoning: 'internal topic', confidence: 0.8, method: 'llm',
      });
      session.decision({ options: ['x', 'y'], chosenIndex: 1, confidence: 1.5 });
    });
    const [first, second] = tracing.span('invoke_agent a').events;
    expect(first!.name).toBe(AGENTFLOW.DECISION_EVENT);
    expect(first!.attributes).toEqual({
      [AGENTFLOW.DECISION_TYPE]: 'tool_selection',
      [AGENTFLOW.DECISION_QUESTION]: 'which search?',
      [AGENTFLOW.DECISION_OPTIONS]: ['web', 'docs', '{"kind":"sql"}'],
      [AGENTFLOW.DECISION_CHOSEN]: 'docs',
      [AGENTFLOW.DECISION_CHOSEN_INDEX]: 1,
      [AGENTFLOW.DECISION_REASONING]: 'internal topic',
      [AGENTFLOW.DECISION_CONFIDENCE]: 0.8,
      [AGENTFLOW.DECISION_METHOD]: 'llm',
    });
    // chosen comes from the index; a confidence outside 0–1 is dropped.
    expect(second!.attributes).toEqual({
      [AGENTFLOW.DECISION_OPTIONS]: ['x', 'y'],
      [AGENTFLOW.DECISION_CHOSEN]: 'y',
      [AGENTFLOW.DECISION_CHOSEN_INDEX]: 1,
    });
  });

  it('records messages, and places decisions and messages on the active action span', async () => {
    const tracker = createAgentTracker();
    await tracker.runSession({ agentName: 'a' }, async (session) => {
      session.message({ toAgent: 'b', type: 'request', requestId: 'r1', channel: 'queue' });
      await session.tool({ name: 'route' }, async () => {
        session.decision({ question: 'who?', options: ['b', 'c'], chosen: 'c' });
        session.message({ toAgent: 'c', type: 'delegation', inResponseTo: 'r0' });
      });
    });
    const sessionSpan = tracing.span('invoke_agent a');
    const tool = tracing.span('execute_tool route');
    expect(sessionSpan.events.map((e) => [e.name, e.attributes])).toEqual([
      [AGENTFLOW.MESSAGE_EVENT, {
        [AGENTFLOW.MESSAGE_TO_AGENT]: 'b', [AGENTFLOW.MESSAGE_TYPE]: 'request', [AGENTFLOW.MESSAGE_REQUEST_ID]: 'r1',
        [AGENTFLOW.MESSAGE_CHANNEL]: 'queue',
      }],
    ]);
    expect(tool.events.map((e) => e.name)).toEqual([AGENTFLOW.DECISION_EVENT, AGENTFLOW.MESSAGE_EVENT]);
    expect(tool.events[1]!.attributes).toEqual({
      [AGENTFLOW.MESSAGE_TO_AGENT]: 'c', [AGENTFLOW.MESSAGE_TYPE]: 'delegation', [AGENTFLOW.MESSAGE_IN_RESPONSE_TO]: 'r0',
    });
  });
});

describe('actions', () => {
  it('records an LLM call as a chat span with the reported response and usage, without content by default', async () => {
    const tracker = createAgentTracker();
    const reply = await tracker.runSession({ agentName: 'a' }, (session) =>
      session.llm({ model: 'gpt-4o', provider: 'openai', temperature: 0.2, maxTokens: 256, inputMessages: [{ role: 'user' }] }, async (call) => {
        call.report({
          responseModel: 'gpt-4o-2024-08-06', responseId: 'chatcmpl-1', inputTokens: 1200, outputTokens: 300, cacheReadTokens: 1000,
          cacheWriteTokens: 0, reasoningTokens: 120, finishReasons: ['stop'], outputMessages: [{ role: 'assistant' }], costUsd: 0.0042,
        });
        return 'hello';
      }),
    );
    expect(reply).toBe('hello');
    const session = tracing.span('invoke_agent a');
    const llm = tracing.span('chat gpt-4o');
    expect(llm.kind).toBe(SpanKind.CLIENT);
    expect(parentId(llm)).toBe(session.spanContext().spanId);
    expect(llm.attributes).toEqual({
      [GEN_AI.OPERATION_NAME]: 'chat',
      [GEN_AI.PROVIDER_NAME]: 'openai',
      [GEN_AI.REQUEST_MODEL]: 'gpt-4o',
      [GEN_AI.REQUEST_TEMPERATURE]: 0.2,
      [GEN_AI.REQUEST_MAX_TOKENS]: 256,
      [GEN_AI.RESPONSE_MODEL]: 'gpt-4o-2024-08-06',
      [GEN_AI.RESPONSE_ID]: 'chatcmpl-1',
      [GEN_AI.USAGE_INPUT_TOKENS]: 1200,
      [GEN_AI.USAGE_OUTPUT_TOKENS]: 300,
      [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: 1000,
      [GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS]: 0,
      [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: 120,
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['stop'],
      [GEN_AI.USAGE_COST]: 0.0042,
    });
  });

  it('captures LLM and tool content only when the tracker is asked to', () => {
    const tracker = createAgentTracker({ captureContent: true });
    tracker.runSession({ agentName: 'a' }, (session) => {
      session.llm({ model: 'm', inputMessages: [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }], systemInstructions: 'be brief' }, (call) =>
        call.report({ outputMessages: [{ role: 'assistant', parts: [{ type: 'text', content: 'hello' }] }] }),
      );
      session.tool({ name: 'search', callId: 'call_1', type: 'function', args: { q: 'otel' } }, () => ({ hits: 3 }));
      session.tool({ name: 'fetch', args: 'https://example.test' }, (call) => {
        call.result('explicit');
        return 'ignored';
      });
    });
    const llm = tracing.span('chat m');
    expect(llm.attributes[GEN_AI.INPUT_MESSAGES]).toBe('[{"role":"user","parts":[{"type":"text","content":"hi"}]}]');
    expect(llm.attributes[GEN_AI.SYSTEM_INSTRUCTIONS]).toBe('be brief');
    expect(llm.attributes[GEN_AI.OUTPUT_MESSAGES]).toBe('[{"role":"assistant","parts":[{"type":"text","content":"hello"}]}]');
    expect(tracing.span('execute_tool search').attributes).toEqual({
      [GEN_AI.OPERATION_NAME]: 'execute_tool',
      [GEN_AI.TOOL_NAME]: 'search',
      [GEN_AI.TOOL_CALL_ID]: 'call_1',
      [GEN_AI.TOOL_TYPE]: 'function',
      [GEN_AI.TOOL_CALL_ARGUMENTS]: '{"q":"otel"}',
      [GEN_AI.TOOL_CALL_RESULT]: '{"hits":3}',
    });
    const fetch = tracing.span('execute_tool fetch');
    expect(fetch.attributes[GEN_AI.TOOL_CALL_ARGUMENTS]).toBe('https://example.test');
    expect(fetch.attributes[GEN_AI.TOOL_CALL_RESULT]).toBe('explicit');
  });

  it('leaves tool arguments and results out without content capture', async () => {
    const tracker = createAgentTracker();
    const value = await tracker.runSession({ agentName: 'a' }, (session) =>
      session.tool({ name: 'search', callId: 'c1', args: { q: 'secret' } }, async () => 'result'),
    );
    expect(value).toBe('result');
    expect(tracing.span('execute_tool search').attributes).toEqual({
      [GEN_AI.OPERATION_NAME]: 'execute_tool', [GEN_AI.TOOL_NAME]: 'search', [GEN_AI.TOOL_CALL_ID]: 'c1',
    });
  });

  it('records a custom action with its type, and a failing tool with its error', async () => {
    const tracker = createAgentTracker();
    const failure = new RangeError('no such file');
    await tracker.runSession({ agentName: 'a' }, async (session) => {
      session.action('file_write', 'write report', (action) => action.setAttributes({ 'file.path': '/tmp/r.md', bytes: 12 }));
      await expect(session.tool({ name: 'read' }, async () => { throw failure; })).rejects.toBe(failure);
    });
    const action = tracing.span('write report');
    expect(action.kind).toBe(SpanKind.INTERNAL);
    expect(action.attributes).toEqual({ [AGENTFLOW.ACTION_TYPE]: 'file_write', 'file.path': '/tmp/r.md', bytes: 12 });
    const tool = tracing.span('execute_tool read');
    expect(tool.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no such file' });
    expect(tool.attributes[GENERAL.ERROR_TYPE]).toBe('RangeError');
    // The session caught the tool's error: it did not fail.
    expect(tracing.span('invoke_agent a').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks the next action after retry(n) with the attempt, once', async () => {
    const tracker = createAgentTracker();
    await tracker.runSession({ agentName: 'a' }, async (session) => {
      await session.tool({ name: 'flaky', callId: '1' }, async () => 'x');
      session.retry(1);
      await session.tool({ name: 'flaky', callId: '2' }, async () => 'x');
      await session.tool({ name: 'flaky', callId: '3' }, async () => 'x');
      session.retry(2);
      tracker.llm({ model: 'm' }, () => 'via tracker');
      session.action('api_call', 'post', () => undefined, { retryAttempt: 5 });
    });
    const attempts = tracing.spans()
      .filter((s) => s.name !== 'invoke_agent a')
      .map((s) => [s.name, s.attributes[GEN_AI.TOOL_CALL_ID] ?? '', s.attributes[AGENTFLOW.RETRY_ATTEMPT]]);
    expect(attempts).toEqual([
      ['execute_tool flaky', '1', undefined],
      ['execute_tool flaky', '2', 1],
      ['execute_tool flaky', '3', undefined],
      ['chat m', '', 2],
      ['post', '', 5],
    ]);
  });

  it('parents actions started through the tracker on the active span, and on the session span from outside its context', async () => {
    const tracker = createAgentTracker();
    let saved: AgentSession | undefined;
    await tracker.runSession({ agentName: 'a' }, async (session) => {
      saved = session;
      await session.tool({ name: 'outer' }, () => tracker.llm({ model: 'inner' }, () => 1));
    });
    const session = tracing.span('invoke_agent a');
    expect(parentId(tracing.span('chat inner'))).toBe(tracing.span('execute_tool outer').spanContext().spanId);
    // A handle used after its session's context is gone still parents on its session span.
    saved!.tool({ name: 'late' }, () => 1);
    expect(parentId(tracing.span('execute_tool late'))).toBe(session.spanContext().spanId);
  });
});

describe('bad arguments with a recording SDK', () => {
  it('coerces or drops them and never throws', async () => {
    const tracker = createAgentTracker({ tracerName: 42 as unknown as string, captureContent: 'yes' as unknown as boolean });
    const circular: Record<string, unknown> = { name: 'loop' };
    circular['self'] = circular;
    const huge = 'x'.repeat(1_000_000);
    const result = tracker.runSession(
      { agentName: 7 as unknown as string, goal: huge, capacity: NaN, agentType: circular as unknown as string, attributes: circular as never },
      (session) => {
        session.state(null as unknown as string);
        session.state(3 as unknown as string, null as never);
        session.decision(null as never);
        session.decision({ options: circular as never, chosen: circular, chosenIndex: -1, confidence: NaN });
        session.decision({ options: ['a'], chosenIndex: 7, confidence: Infinity });
        session.message(undefined as never);
        session.message({ toAgent: Symbol('x') as never, requestId: 12 as never });
        session.retry('soon' as never);
        session.llm(null as never, (call) => {
          call.report(null as never);
          call.report({ inputTokens: -5, outputTokens: '12' as never, finishReasons: circular as never, costUsd: NaN });
        });
        session.tool({ name: undefined, args: circular }, (call) => call.result(circular));
        session.action(null as never, null as never, () => 1);
        session.llm({ model: 'm' }, 'not a function' as never);
        session.injectContext(null as never);
        tracker.extractContext(circular);
        tracker.extractContext(42);
        return 'still fine';
      },
    );
    expect(result).toBe('still fine');
    expect(tracker.runSession(null as never, 'nope' as never)).toBeUndefined();
    const session = tracing.span('invoke_agent 7');
    expect(session.attributes[AGENTFLOW.GOAL]).toHaveLength(8192);
    expect(session.attributes[AGENTFLOW.AGENT_CAPACITY]).toBeUndefined();
    expect(session.attributes[AGENTFLOW.AGENT_TYPE]).toBeUndefined();
    expect(session.events.map((e) => [e.name, e.attributes])).toEqual([
      [AGENTFLOW.STATE_EVENT, { [AGENTFLOW.STATE_TO]: '3' }],
      [AGENTFLOW.DECISION_EVENT, { [AGENTFLOW.DECISION_OPTIONS]: ['{"name":"loop","self":"[Circular]"}'], [AGENTFLOW.DECISION_CHOSEN]: '{"name":"loop","self":"[Circular]"}', [AGENTFLOW.DECISION_CHOSEN_INDEX]: 0 }],
      [AGENTFLOW.DECISION_EVENT, { [AGENTFLOW.DECISION_OPTIONS]: ['a'] }],
      [AGENTFLOW.MESSAGE_EVENT, { [AGENTFLOW.MESSAGE_REQUEST_ID]: '12' }],
    ]);
    const llm = tracing.span('chat');
    expect(llm.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBeUndefined();
    expect(llm.attributes[GEN_AI.USAGE_OUTPUT_TOKENS]).toBe(12);
    expect(llm.attributes[GEN_AI.USAGE_COST]).toBeUndefined();
    // captureContent is on only for `true`: nothing captured.
    expect(tracing.span('execute_tool').attributes[GEN_AI.TOOL_CALL_ARGUMENTS]).toBeUndefined();
    expect(tracing.span('other').attributes[AGENTFLOW.ACTION_TYPE]).toBe('other');
  });

  it('captures circular and huge content as bounded JSON', () => {
    const tracker = createAgentTracker({ captureContent: true });
    const circular: Record<string, unknown> = { n: 1n };
    circular['self'] = circular;
    tracker.tool({ name: 't', args: circular }, () => 'y'.repeat(1_000_000));
    const tool = tracing.span('execute_tool t');
    expect(tool.attributes[GEN_AI.TOOL_CALL_ARGUMENTS]).toBe('{"n":"1","self":"[Circular]"}');
    expect(tool.attributes[GEN_AI.TOOL_CALL_RESULT]).toHaveLength(262_144);
  });
});
