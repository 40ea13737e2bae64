import { describe, expect, it } from 'vitest';
import { payloadHash } from '../payload-hash.js';
import { spanRow } from '../test-span-row.js';
import { toCanonicalSpan } from '../to-canonical-span.js';

const llm = {
  'openinference.span.kind': 'LLM',
  'llm.system': 'openai',
  'llm.model_name': 'gpt-4o-mini-2024-07-18',
  'llm.invocation_parameters': '{"model":"gpt-4o-mini","temperature":0.2}',
};

describe('OpenInference reader', () => {
  it.each([
    ['{"model":"gpt-4o-mini","response_format":{"type":"json_object"}}', 'json'],
    ['{"model":"gpt-4o-mini","response_format":{"type":"json_schema","json_schema":{"name":"x"}}}', 'json'],
    ['{"model":"gpt-4o-mini","response_format":{"type":"text"}}', 'text'],
    ['{"model":"gpt-4o-mini"}', ''],
  ])('reads the requested answer format from response_format in invocation parameters: %s', (params, format) => {
    expect(toCanonicalSpan(spanRow({ ...llm, 'llm.invocation_parameters': params })).responseFormat).toBe(format);
  });

  it('reads an LLM span: request model from invocation parameters, response model, usage inclusive of cache', () => {
    const span = toCanonicalSpan(spanRow({
      ...llm,
      'llm.token_count.prompt': '610',
      'llm.token_count.completion': '22',
      'llm.token_count.prompt_details.cache_read': '256',
      'llm.token_count.completion_details.reasoning': '0',
      'llm.finish_reason': 'tool_calls',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_b1',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'book_flight',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"flight_id":"AF1234"}',
    }, { name: 'OpenAI Chat Completions' }));
    expect(span).toMatchObject({
      dialect: 'openinference', category: 'llm', operation: 'LLM', provider: 'openai',
      requestModel: 'gpt-4o-mini', responseModel: 'gpt-4o-mini-2024-07-18', finishReasons: ['tool_calls'],
      usage: { input: 610, output: 22, cacheRead: 256, cacheWrite: 0, reasoning: 0 },
      requestedToolCalls: [{ id: 'call_b1', name: 'book_flight', argumentsHash: payloadHash('{"flight_id":"AF1234"}') }],
    });
  });

  it('has no response model when no response came back (streamed call without usage)', () => {
    const span = toCanonicalSpan(spanRow({ ...llm, 'llm.model_name': 'gpt-4o-mini' }));
    expect(span).toMatchObject({ requestModel: 'gpt-4o-mini', responseModel: '', usage: null });
  });

  it('reads a provided cost (llm.cost.total)', () => {
    expect(toCanonicalSpan(spanRow({ ...llm, 'llm.token_count.prompt': '10', 'llm.cost.total': '0.00123' })).providedCostUsd).toBe(0.00123);
  });

  it('names an AGENT span by agent.name, else its span name', () => {
    expect(toCanonicalSpan(spanRow({ 'openinference.span.kind': 'AGENT' }, { name: 'planner' })).agentName).toBe('planner');
    expect(toCanonicalSpan(spanRow({ 'openinference.span.kind': 'AGENT', 'agent.name': 'p2' }, { name: 'x' })).agentName).toBe('p2');
  });

  it('makes a root CHAIN the workflow and nested chains steps; their token counts are not usage', () => {
    const root = toCanonicalSpan(spanRow({ 'openinference.span.kind': 'CHAIN', 'llm.token_count.prompt': '800' }, { name: 'plan_trip', parentSpanId: '' }));
    expect(root).toMatchObject({ category: 'workflow', workflowName: 'plan_trip', usage: null });
    expect(toCanonicalSpan(spanRow({ 'openinference.span.kind': 'CHAIN' }, { name: 'retry' })).category).toBe('other');
  });

  it('recognises LangChain createAgent roots and reads ids from the metadata JSON', () => {
    const metadata = '{"lc_agent_name":"travel_agent","thread_id":"conv-1","user_id":"user-42"}';
    const agent = toCanonicalSpan(spanRow({ 'openinference.span.kind': 'CHAIN', metadata }, { name: 'travel_agent', parentSpanId: '' }));
    expect(agent).toMatchObject({ category: 'agent', agentName: 'travel_agent', conversationId: 'conv-1', userId: 'user-42' });
    const node = toCanonicalSpan(spanRow({ 'openinference.span.kind': 'CHAIN', metadata }, { name: 'model_request' }));
    expect(node).toMatchObject({ category: 'other', agentName: 'travel_agent' });
  });

  it('prefers session.id / user.id over metadata', () => {
    const span = toCanonicalSpan(spanRow({ 'openinference.span.kind': 'LLM', 'session.id': 's', 'user.id': 'u', metadata: '{"session_id":"m","user_id":"mu"}' }));
    expect(span).toMatchObject({ conversationId: 's', userId: 'u' });
  });

  it('names a TOOL span by tool.name, else the span name, and hashes input/output values', () => {
    const span = toCanonicalSpan(spanRow(
      { 'openinference.span.kind': 'TOOL', 'input.value': '{"city":"Rome"}', 'output.value': '{"t":24}' },
      { name: 'get_weather' },
    ));
    expect(span).toMatchObject({
      category: 'tool', toolName: 'get_weather', toolCallId: '',
      toolArgumentsHash: payloadHash('{"city":"Rome"}'), toolResultHash: payloadHash('{"t":24}'),
    });
    expect(toCanonicalSpan(spanRow({ 'openinference.span.kind': 'TOOL', 'tool.name': 'search' }, { name: 'x' })).toolName).toBe('search');
  });

  it.each([['RETRIEVER', 'retrieval'], ['EMBEDDING', 'embedding'], ['GUARDRAIL', 'guardrail'], ['EVALUATOR', 'other']])(
    'classifies %s as %s',
    (kind, category) => {
      expect(toCanonicalSpan(spanRow({ 'openinference.span.kind': kind })).category).toBe(category);
    },
  );
});
