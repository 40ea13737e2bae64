import { describe, expect, it } from 'vitest';
import { payloadHash } from '../payload-hash.js';
import { spanEvent, spanRow } from '../test-span-row.js';
import { toCanonicalSpan } from '../to-canonical-span.js';

const chat = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o' };

describe('OTel GenAI reader', () => {
  it('reads the requested answer format from gen_ai.output.type, and none when not sent', () => {
    expect(toCanonicalSpan(spanRow({ ...chat, 'gen_ai.output.type': 'json' })).responseFormat).toBe('json');
    expect(toCanonicalSpan(spanRow(chat)).responseFormat).toBe('');
  });

  it('reads a current-conventions chat span', () => {
    const span = toCanonicalSpan(spanRow({
      ...chat,
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': '610',
      'gen_ai.usage.output_tokens': '22',
      'gen_ai.usage.cache_read.input_tokens': '256',
      'gen_ai.usage.reasoning.output_tokens': '10',
      'gen_ai.response.finish_reasons': '["stop"]',
      'gen_ai.conversation.id': 'conv-1',
    }));
    expect(span).toMatchObject({
      dialect: 'otel-genai', category: 'llm', operation: 'chat', provider: 'openai',
      requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06', conversationId: 'conv-1', finishReasons: ['stop'],
      usage: { input: 610, output: 22, cacheRead: 256, cacheWrite: 0, reasoning: 10 },
    });
  });

  it('counts current gen_ai.usage.input_tokens as including the cache, even for Anthropic', () => {
    const span = toCanonicalSpan(spanRow({
      ...chat, 'gen_ai.provider.name': 'anthropic',
      'gen_ai.usage.input_tokens': '900', 'gen_ai.usage.cache_read.input_tokens': '600',
    }));
    expect(span.usage?.input).toBe(900);
  });

  it('reads legacy gen_ai.system and prompt/completion tokens, content in events', () => {
    const span = toCanonicalSpan(spanRow(
      { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-3.5-turbo', 'gen_ai.usage.prompt_tokens': '140', 'gen_ai.usage.completion_tokens': '25' },
      {
        events: [
          spanEvent('gen_ai.content.prompt', { 'gen_ai.prompt': '[{"role":"user","content":"balance?"}]' }),
          spanEvent('gen_ai.content.completion', {
            'gen_ai.completion': '[{"role":"assistant","tool_calls":[{"id":"call_bal","function":{"name":"get_balance","arguments":"{}"}}]}]',
          }),
        ],
      },
    ));
    expect(span).toMatchObject({ category: 'llm', provider: 'openai', usage: { input: 140, output: 25 } });
    expect(span.inputContent).toContain('balance?');
    expect(span.requestedToolCalls).toEqual([{ id: 'call_bal', name: 'get_balance', argumentsHash: payloadHash('{}') }]);
  });

  it('takes a legacy Anthropic prompt count as the provider sent it: without the cache', () => {
    const span = toCanonicalSpan(spanRow({
      'gen_ai.system': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.prompt_tokens': '900', 'gen_ai.usage.completion_tokens': '50',
      'gen_ai.usage.cache_read_input_tokens': '600', 'gen_ai.usage.cache_creation_input_tokens': '100',
    }));
    expect(span.usage).toEqual({ input: 1600, output: 50, cacheRead: 600, cacheWrite: 100, reasoning: 0 });
  });

  it('reads flattened gen_ai.prompt.N / gen_ai.completion.N content and finish reasons', () => {
    const span = toCanonicalSpan(spanRow({
      ...chat,
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'Weather in Rome?',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.finish_reason': 'tool_calls',
      'gen_ai.completion.0.tool_calls.0.id': 'call_1',
      'gen_ai.completion.0.tool_calls.0.name': 'get_weather',
      'gen_ai.completion.0.tool_calls.0.arguments': '{"city":"Rome"}',
    }));
    expect(JSON.parse(span.inputContent)).toEqual([{ role: 'user', content: 'Weather in Rome?' }]);
    expect(span.finishReasons).toEqual(['tool_calls']);
    expect(span.requestedToolCalls).toEqual([{ id: 'call_1', name: 'get_weather', argumentsHash: payloadHash('{"city":"Rome"}') }]);
  });

  it('reads a provided cost', () => {
    expect(toCanonicalSpan(spanRow({ ...chat, 'gen_ai.usage.input_tokens': '1', 'gen_ai.usage.cost': '0.0042' })).providedCostUsd).toBe(0.0042);
  });

  it('drops run totals and costs repeated on an invoke_agent span', () => {
    const span = toCanonicalSpan(spanRow({
      'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner', 'gen_ai.agent.id': 'a1',
      'gen_ai.usage.input_tokens': '590', 'gen_ai.usage.cost': '0.5',
    }));
    expect(span).toMatchObject({ category: 'agent', agentName: 'planner', agentId: 'a1', usage: null, providedCostUsd: null });
  });

  it('does not make an agent of a span that only repeats gen_ai.agent.name', () => {
    const span = toCanonicalSpan(spanRow({ ...chat, 'gen_ai.agent.name': 'planner' }));
    expect(span).toMatchObject({ category: 'llm', agentName: 'planner' });
  });

  it('reads a tool call with hashed arguments and result', () => {
    const span = toCanonicalSpan(spanRow({
      'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search', 'gen_ai.tool.call.id': 'call_9',
      'gen_ai.tool.type': 'function', 'gen_ai.tool.call.arguments': '{"q":"x","n":3}', 'gen_ai.tool.call.result': '{"hits":1}',
    }));
    expect(span).toMatchObject({
      category: 'tool', toolName: 'search', toolCallId: 'call_9', toolType: 'function',
      toolArgumentsHash: payloadHash('{"n":3,"q":"x"}'), toolResultHash: payloadHash('{"hits":1}'), inputContent: '{"q":"x","n":3}',
    });
  });

  it.each([
    ['embeddings', 'embedding'], ['retrieval', 'retrieval'], ['invoke_workflow', 'workflow'], ['plan', 'decision'],
    ['create_agent', 'other'], ['agent_step', 'other'], ['something_new', 'other'],
  ])('classifies operation %s as %s', (operation, category) => {
    expect(toCanonicalSpan(spanRow({ 'gen_ai.operation.name': operation })).category).toBe(category);
  });
});

describe('status and error', () => {
  it('takes the type from error.type and the message from the status', () => {
    const span = toCanonicalSpan(spanRow(
      { ...chat, 'error.type': '429' },
      { statusCode: 'Error', statusMessage: 'Rate limit reached', events: [spanEvent('exception', { 'exception.type': 'RateLimitError', 'exception.message': 'm' })] },
    ));
    expect(span).toMatchObject({ status: 'error', errorType: '429', errorMessage: 'Rate limit reached' });
  });

  it('falls back to the last exception event, past a placeholder error.type', () => {
    const span = toCanonicalSpan(spanRow({ 'error.type': 'unknown' }, {
      statusCode: 'Error',
      events: [
        spanEvent('exception', { 'exception.type': 'First', 'exception.message': 'first' }),
        spanEvent('exception', { 'exception.type': 'TimeoutError', 'exception.message': 'timed out' }),
      ],
    }));
    expect(span).toMatchObject({ status: 'error', errorType: 'TimeoutError', errorMessage: 'timed out' });
  });

  it('keeps Ok and Unset apart and ignores exceptions on spans that did not fail', () => {
    expect(toCanonicalSpan(spanRow({}, { statusCode: 'Ok' })).status).toBe('ok');
    const handled = toCanonicalSpan(spanRow({}, { events: [spanEvent('exception', { 'exception.type': 'E' })] }));
    expect(handled).toMatchObject({ status: 'unset', errorType: '', errorMessage: '' });
  });
});

describe('spans no dialect knows', () => {
  it('come back as other/none with their ids and general session and user keys', () => {
    const span = toCanonicalSpan(spanRow({ 'http.route': '/v1/assist', 'session.id': 's-1', 'user.id': 'u-1' }, { name: 'POST /v1/assist' }));
    expect(span).toMatchObject({ category: 'other', dialect: 'none', name: 'POST /v1/assist', conversationId: 's-1', userId: 'u-1', usage: null });
  });

  it('never throw on malformed values', () => {
    const row = spanRow({
      'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 'lots', 'gen_ai.response.finish_reasons': '[oops',
      'gen_ai.output.messages': '{"parts":', 'gen_ai.prompt.0.content': 'x', 'gen_ai.prompt.0.content.more': 'y',
    });
    expect(() => toCanonicalSpan(row)).not.toThrow();
    expect(toCanonicalSpan(row).finishReasons).toEqual(['[oops']);
    expect(() => toCanonicalSpan({ ...row, attributes: undefined as never, events: undefined as never })).not.toThrow();
    expect(toCanonicalSpan({ ...row, events: undefined as never })).toMatchObject({ spanId: row.spanId, category: 'other', dialect: 'none' });
  });
});
