import { describe, expect, it } from 'vitest';
import { spanEvent, spanRow } from '../test-span-row.js';
import { toCanonicalSpan } from '../to-canonical-span.js';

describe('agentflow extensions', () => {
  it('apply on top of the GenAI reading of a session span', () => {
    const span = toCanonicalSpan(spanRow({
      'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'triage',
      'agentflow.agent.type': 'router', 'agentflow.goal': 'route ticket 42', 'agentflow.goal.type': 'routing',
      'agentflow.trigger': 'webhook', 'agentflow.task.id': 'task-7',
    }));
    expect(span).toMatchObject({
      dialect: 'otel-genai', category: 'agent', agentName: 'triage',
      agentType: 'router', goal: 'route ticket 42', goalType: 'routing', trigger: 'webhook', taskId: 'task-7',
    });
  });

  it('parse state change events', () => {
    const span = toCanonicalSpan(spanRow({}, {
      events: [spanEvent('agentflow.state', {
        'agentflow.state.from': 'planning', 'agentflow.state.to': 'executing', 'agentflow.state.reason': 'plan ready', 'agentflow.state.transition_type': 'normal',
      }, 7n)],
    }));
    expect(span.dialect).toBe('agentflow');
    expect(span.stateChanges).toEqual([{ timeUnixNano: 7n, from: 'planning', to: 'executing', reason: 'plan ready', transitionType: 'normal' }]);
  });

  it('parse decision events: options as a JSON array, index and confidence validated', () => {
    const span = toCanonicalSpan(spanRow({}, {
      events: [
        spanEvent('agentflow.decision', {
          'agentflow.decision.type': 'tool_selection', 'agentflow.decision.question': 'which tool?',
          'agentflow.decision.options': '["search","ask_user"]', 'agentflow.decision.chosen': 'search', 'agentflow.decision.chosen_index': '0',
          'agentflow.decision.reasoning': 'fresh data', 'agentflow.decision.confidence': '0.8', 'agentflow.decision.method': 'llm',
        }, 9n),
        spanEvent('agentflow.decision', { 'agentflow.decision.options': 'only', 'agentflow.decision.chosen_index': '-3', 'agentflow.decision.confidence': '7' }, 10n),
      ],
    }));
    expect(span.decisions).toEqual([
      { timeUnixNano: 9n, type: 'tool_selection', question: 'which tool?', options: ['search', 'ask_user'], chosen: 'search', chosenIndex: 0, reasoning: 'fresh data', confidence: 0.8, method: 'llm' },
      { timeUnixNano: 10n, type: '', question: '', options: ['only'], chosen: '', chosenIndex: -1, reasoning: '', confidence: null, method: '' },
    ]);
  });

  it('parse message events', () => {
    const span = toCanonicalSpan(spanRow({}, {
      events: [spanEvent('agentflow.message', {
        'agentflow.message.type': 'request', 'agentflow.message.to_agent': 'billing', 'agentflow.message.request_id': 'r1',
        'agentflow.message.in_response_to': '', 'agentflow.message.channel': 'queue',
      }, 3n)],
    }));
    expect(span.messages).toEqual([{ timeUnixNano: 3n, type: 'request', toAgent: 'billing', requestId: 'r1', inResponseTo: '', channel: 'queue' }]);
  });

  it('read a retry attempt on a model call and keep its category', () => {
    const span = toCanonicalSpan(spanRow({ 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': '5', 'agentflow.retry.attempt': '2' }));
    expect(span).toMatchObject({ category: 'llm', retryAttempt: 2, usage: { input: 5 } });
    expect(toCanonicalSpan(spanRow({ 'agentflow.retry.attempt': 'x' })).retryAttempt).toBe(0);
  });

  it('classify custom actions: their type kept, a canonical action type naming the category', () => {
    expect(toCanonicalSpan(spanRow({ 'agentflow.action.type': 'file_write' }))).toMatchObject({ dialect: 'agentflow', category: 'other', actionType: 'file_write' });
    expect(toCanonicalSpan(spanRow({ 'agentflow.action.type': 'tool_call' }))).toMatchObject({ category: 'tool', actionType: 'tool_call' });
    expect(toCanonicalSpan(spanRow({ 'gen_ai.operation.name': 'execute_tool', 'agentflow.action.type': 'api_call' })))
      .toMatchObject({ category: 'tool', actionType: 'api_call' });
  });

  it('make a span with only an agent type an agent session', () => {
    expect(toCanonicalSpan(spanRow({ 'agentflow.agent.type': 'worker' }))).toMatchObject({ dialect: 'agentflow', category: 'agent', agentType: 'worker' });
  });
});
