import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createAgentTracker, instrumentAnthropic, instrumentOpenAI } from '../src/index.js';

// No tracer provider, context manager or propagator is registered in this file: the API's no-ops.

describe('without an SDK', () => {
  it('runs every function and returns its value', async () => {
    expect(trace.getTracerProvider().getTracer('probe').startSpan('x').isRecording()).toBe(false);
    const tracker = createAgentTracker({ captureContent: true });
    const result = await tracker.runSession({ agentName: 'a', goal: 'g' }, async (session) => {
      expect(session.sessionId).toBe('0000000000000000');
      expect(session.traceId).toBe('00000000000000000000000000000000');
      session.state('planning');
      session.state('acting', { reason: 'r' });
      expect(session.currentState).toBe('acting');
      session.decision({ question: 'q', options: ['a', 'b'], chosen: 'a', confidence: 0.5 });
      session.message({ toAgent: 'b', type: 'request' });
      session.retry(1);
      const llm = await session.llm({ model: 'm', provider: 'openai' }, async (call) => {
        call.report({ inputTokens: 1, outputTokens: 2, finishReasons: ['stop'] });
        return 'llm';
      });
      const tool = session.tool({ name: 't', args: { a: 1 } }, (call) => {
        call.result('r');
        return 'tool';
      });
      const action = session.action('file_write', 'w', (handle) => {
        handle.setAttributes({ k: 'v' });
        return 'action';
      });
      expect(session.injectContext({})).toEqual({});
      return [llm, tool, action, tracker.llm({}, () => 'top'), tracker.tool({ name: 'x' }, () => 'top-tool')];
    });
    expect(result).toEqual(['llm', 'tool', 'action', 'top', 'top-tool']);
    expect(tracker.runSession({}, () => 'sync')).toBe('sync');
    expect(tracker.currentSession()).toBeUndefined();
    expect(tracker.injectContext()).toEqual({});
    expect(trace.getSpanContext(tracker.extractContext({ traceparent: 'garbage' }))).toBeUndefined();
  });

  it('passes the agent’s errors through unchanged', async () => {
    const tracker = createAgentTracker();
    const error = new Error('agent failure');
    expect(() => tracker.runSession({}, () => { throw error; })).toThrow(error);
    await expect(tracker.runSession({}, (s) => s.llm({}, async () => { throw error; }))).rejects.toBe(error);
    await expect(tracker.runSession({}, (s) => s.tool({}, () => Promise.reject(error)))).rejects.toBe(error);
  });

  it('never throws on bad arguments', () => {
    const tracker = createAgentTracker(null as never);
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const hostile = new Proxy({}, { get() { throw new Error('hostile getter'); } });
    const huge = 'z'.repeat(5_000_000);
    const out = tracker.runSession(hostile as never, (session) => {
      session.state(huge, hostile as never);
      session.state(NaN as never, { from: circular as never });
      session.decision(hostile as never);
      session.decision({ options: [circular, null, undefined, 1n], chosen: circular, chosenIndex: NaN, confidence: NaN, reasoning: huge });
      session.message(hostile as never);
      session.message({ toAgent: circular as never });
      session.retry(-1);
      session.retry(hostile as never);
      session.llm(hostile as never, (call) => call.report(hostile as never));
      session.llm({ model: circular as never, temperature: 'hot' as never }, (call) => call.report({ finishReasons: [circular, 3] as never }));
      session.tool(hostile as never, (call) => call.result(hostile));
      session.action(hostile as never, hostile as never, (a) => a.setAttributes(hostile as never), hostile as never);
      session.injectContext(hostile as never);
      tracker.injectContext(5 as never);
      tracker.extractContext(hostile);
      session.llm({}, null as never);
      session.tool({}, undefined as never);
      session.action('x', 'y', 7 as never);
      return 'ok';
    });
    expect(out).toBe('ok');
    expect(tracker.runSession(undefined as never, undefined as never)).toBeUndefined();
  });

  it('leaves clients that are not provider clients untouched', () => {
    const notAClient = { chat: 5, messages: { create: 'no' } };
    expect(instrumentOpenAI(notAClient)).toBe(notAClient);
    expect(instrumentAnthropic(notAClient)).toBe(notAClient);
    expect(instrumentOpenAI(null)).toBeNull();
    expect(instrumentAnthropic(undefined)).toBeUndefined();
    expect(context.active()).toBeDefined();
  });
});
