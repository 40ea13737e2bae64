import { describe, expect, it } from 'vitest';
import { payloadHash } from '../payload-hash.js';
import { spanEvent, spanRow } from '../test-span-row.js';
import { toCanonicalSpan } from '../to-canonical-span.js';

describe('OpenLLMetry reader', () => {
  const chat = {
    'traceloop.workflow.name': 'travel_agent', 'gen_ai.agent.name': 'travel_agent', 'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'traceloop.association.properties.user_id': 'user-42',
  };

  it('classifies by traceloop.span.kind and names entities', () => {
    expect(toCanonicalSpan(spanRow({ 'traceloop.span.kind': 'workflow', 'traceloop.entity.name': 'plan_trip', 'traceloop.workflow.name': 'plan_trip' })))
      .toMatchObject({ dialect: 'openllmetry', category: 'workflow', workflowName: 'plan_trip' });
    expect(toCanonicalSpan(spanRow({ 'traceloop.span.kind': 'agent', 'traceloop.entity.name': 'planner' })))
      .toMatchObject({ category: 'agent', agentName: 'planner' });
    expect(toCanonicalSpan(spanRow({ 'traceloop.span.kind': 'task', 'traceloop.entity.name': 'retry' }))).toMatchObject({ category: 'other' });
  });

  it('reads the withConversation scope as the conversation, not a workflow', () => {
    const span = toCanonicalSpan(spanRow({
      'traceloop.span.kind': 'workflow', 'traceloop.entity.name': 'conversation.conv-1', 'traceloop.workflow.name': 'conversation.conv-1', 'gen_ai.conversation.id': 'conv-1',
    }, { parentSpanId: '' }));
    expect(span).toMatchObject({ category: 'other', workflowName: '', conversationId: 'conv-1' });
  });

  it('reads a tool entity, hashing its input and output', () => {
    const span = toCanonicalSpan(spanRow({
      'traceloop.span.kind': 'tool', 'traceloop.entity.name': 'search_flights', 'traceloop.entity.input': '{"args":[],"kwargs":{}}', 'traceloop.entity.output': '{"flights":[]}',
    }));
    expect(span).toMatchObject({ category: 'tool', toolName: 'search_flights', toolCallId: '', toolResultHash: payloadHash('{"flights":[]}') });
  });

  it('reads the LLM call with user and session from association properties', () => {
    const span = toCanonicalSpan(spanRow({ ...chat, 'gen_ai.usage.input_tokens': '320', 'traceloop.association.properties.session_id': 'sess-1' }));
    expect(span).toMatchObject({ category: 'llm', agentName: 'travel_agent', userId: 'user-42', conversationId: 'sess-1', usage: { input: 320 } });
  });

  it('adds Anthropic cache tokens to the forwarded input count', () => {
    const span = toCanonicalSpan(spanRow({
      ...chat, 'gen_ai.provider.name': 'Anthropic', 'gen_ai.usage.input_tokens': '900', 'gen_ai.usage.output_tokens': '40',
      'gen_ai.usage.cache_read_input_tokens': '600', 'gen_ai.usage.cache_creation_input_tokens': '50',
    }));
    expect(span).toMatchObject({ provider: 'anthropic', usage: { input: 1550, cacheRead: 600, cacheWrite: 50 } });
  });

  it('reads older spans: llm.request.type, flattened content, legacy usage keys', () => {
    const span = toCanonicalSpan(spanRow({
      'traceloop.workflow.name': 'w', 'llm.request.type': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.prompt_tokens': '50', 'gen_ai.usage.completion_tokens': '5', 'llm.usage.total_tokens': '55',
      'gen_ai.prompt.0.role': 'user', 'gen_ai.prompt.0.content': 'hi', 'gen_ai.completion.0.finish_reason': 'stop',
    }));
    expect(span).toMatchObject({ category: 'llm', operation: 'chat', usage: { input: 50, output: 5 }, finishReasons: ['stop'] });
  });
});

describe('Mastra reader', () => {
  const meta = { 'mastra.metadata.sessionId': 'sess-1', 'mastra.metadata.userId': 'user-42' };

  it('reads agent runs, the model_inference call and tool calls', () => {
    expect(toCanonicalSpan(spanRow({ ...meta, 'mastra.span.type': 'agent_run', 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.id': 'travel-agent', 'gen_ai.agent.name': 'Travel Agent' })))
      .toMatchObject({ dialect: 'mastra', category: 'agent', agentId: 'travel-agent', agentName: 'Travel Agent', conversationId: 'sess-1', userId: 'user-42' });
    expect(toCanonicalSpan(spanRow({ 'mastra.span.type': 'model_inference', 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai.chat', 'gen_ai.usage.input_tokens': '320' })))
      .toMatchObject({ category: 'llm', provider: 'openai', usage: { input: 320 } });
    expect(toCanonicalSpan(spanRow({ 'mastra.span.type': 'tool_call', 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'book', 'gen_ai.tool.call.id': 'c1' })))
      .toMatchObject({ category: 'tool', toolName: 'book', toolCallId: 'c1' });
  });

  it('does not count usage on model_generation, steps or chunks (they repeat the calls)', () => {
    for (const type of ['model_generation', 'model_step', 'model_chunk']) {
      expect(toCanonicalSpan(spanRow({ 'mastra.span.type': type, 'gen_ai.operation.name': type, 'gen_ai.usage.input_tokens': '1630' })))
        .toMatchObject({ category: 'other', usage: null });
    }
  });

  it('takes the memory thread and resource as conversation and user', () => {
    expect(toCanonicalSpan(spanRow({ 'mastra.span.type': 'agent_run', 'mastra.metadata.threadId': 'th-1', 'mastra.metadata.resourceId': 'u-1' })))
      .toMatchObject({ conversationId: 'th-1', userId: 'u-1' });
  });
});

describe('OpenAI Agents reader (bridged spans)', () => {
  it('reads generations as calls and ignores the aggregated usage of turns and tasks', () => {
    expect(toCanonicalSpan(spanRow({ 'openai.agents.span.type': 'generation', 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': '180' })))
      .toMatchObject({ dialect: 'openai-agents', category: 'llm', usage: { input: 180 } });
    expect(toCanonicalSpan(spanRow({ 'openai.agents.span.type': 'turn', 'gen_ai.agent.name': 'Triage', 'openai.agents.usage.input_tokens': '180' })))
      .toMatchObject({ category: 'other', agentName: 'Triage', usage: null });
  });

  it('reads the workflow root with conversation and user', () => {
    expect(toCanonicalSpan(spanRow(
      { 'gen_ai.operation.name': 'invoke_workflow', 'openai.agents.workflow_name': 'Customer support', 'openai.agents.group_id': 'conv-1', 'openai.agents.metadata.user_id': 'u-1' },
      { parentSpanId: '' },
    ))).toMatchObject({ category: 'workflow', workflowName: 'Customer support', conversationId: 'conv-1', userId: 'u-1' });
  });

  it('reads a handoff with its source and target agents', () => {
    expect(toCanonicalSpan(spanRow({ 'openai.agents.span.type': 'handoff', 'openai.agents.handoff.from_agent': 'Triage', 'openai.agents.handoff.to_agent': 'Billing' })))
      .toMatchObject({ category: 'handoff', agentName: 'Triage', targetAgentName: 'Billing' });
  });

  it('adds the error data to the SDK\'s generic tool error message', () => {
    const span = toCanonicalSpan(spanRow(
      { 'openai.agents.span.type': 'function', 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'cancel_order' },
      { statusCode: 'Error', statusMessage: 'Error running tool (non-fatal)', events: [spanEvent('exception', { 'exception.type': 'Error', 'openai.agents.error.data': '{"error":"boom"}' })] },
    ));
    expect(span).toMatchObject({ category: 'tool', status: 'error', errorType: 'Error', errorMessage: 'Error running tool (non-fatal): {"error":"boom"}' });
  });
});
