import { describe, expect, it } from 'vitest';
import { payloadHash } from '../payload-hash.js';
import { spanRow } from '../test-span-row.js';
import { toCanonicalSpan } from '../to-canonical-span.js';

const run = {
  'ai.telemetry.functionId': 'weather-assistant',
  'ai.telemetry.metadata.sessionId': 'sess-1',
  'ai.telemetry.metadata.userId': 'user-42',
  'ai.model.provider': 'openai.chat',
  'ai.model.id': 'gpt-4o-mini',
};

describe('Vercel AI SDK reader (v4–v6 ai.* spans)', () => {
  it('makes the outer generateText the agent run, dropping its summed usage', () => {
    const span = toCanonicalSpan(spanRow({ ...run, 'ai.operationId': 'ai.generateText', 'ai.usage.inputTokens': '590', 'ai.usage.outputTokens': '93' }));
    expect(span).toMatchObject({
      dialect: 'vercel-ai', category: 'agent', operation: 'ai.generateText', agentName: 'weather-assistant',
      conversationId: 'sess-1', userId: 'user-42', requestModel: 'gpt-4o-mini', provider: 'openai', usage: null,
    });
  });

  it('makes doGenerate the model call, v6 usage inclusive of the cache breakdown', () => {
    const span = toCanonicalSpan(spanRow({
      ...run,
      'ai.operationId': 'ai.generateText.doGenerate',
      'gen_ai.system': 'openai.chat',
      'ai.response.model': 'gpt-4o-mini-2024-07-18',
      'ai.usage.inputTokens': '210',
      'ai.usage.inputTokenDetails.noCacheTokens': '146',
      'ai.usage.inputTokenDetails.cacheReadTokens': '64',
      'ai.usage.outputTokens': '22',
      'ai.response.finishReason': 'tool-calls',
      'ai.response.toolCalls': '[{"toolCallId":"call_c1","toolName":"convert","input":"{\\"celsius\\":18}"}]',
    }));
    expect(span).toMatchObject({
      category: 'llm', responseModel: 'gpt-4o-mini-2024-07-18', finishReasons: ['tool-calls'],
      usage: { input: 210, output: 22, cacheRead: 64, cacheWrite: 0, reasoning: 0 },
      requestedToolCalls: [{ id: 'call_c1', name: 'convert', argumentsHash: payloadHash('{"celsius":18}') }],
    });
  });

  it('adds the cache to a v5 Anthropic inputTokens (the provider number, without cache)', () => {
    const span = toCanonicalSpan(spanRow({
      ...run, 'ai.model.provider': 'anthropic.messages', 'ai.operationId': 'ai.streamText.doStream',
      'ai.usage.inputTokens': '12', 'ai.usage.cachedInputTokens': '3000', 'ai.usage.outputTokens': '200', 'ai.usage.reasoningTokens': '50',
    }));
    expect(span).toMatchObject({ provider: 'anthropic', usage: { input: 3012, output: 200, cacheRead: 3000, reasoning: 50 } });
  });

  it('reads v4 promptTokens / completionTokens', () => {
    const span = toCanonicalSpan(spanRow({ ...run, 'ai.operationId': 'ai.generateObject.doGenerate', 'ai.usage.promptTokens': '40', 'ai.usage.completionTokens': '9' }));
    expect(span.usage).toMatchObject({ input: 40, output: 9 });
  });

  it('reads a tool call, attributed by functionId even without a parent', () => {
    const span = toCanonicalSpan(spanRow(
      { ...run, 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'getWeather', 'ai.toolCall.id': 'call_s1', 'ai.toolCall.args': '{"city":"London"}' },
      { parentSpanId: '' },
    ));
    expect(span).toMatchObject({
      category: 'tool', toolName: 'getWeather', toolCallId: 'call_s1', agentName: 'weather-assistant', toolArgumentsHash: payloadHash('{"city":"London"}'),
    });
  });

  it('makes doEmbed the embedding call and the outer embed neither', () => {
    expect(toCanonicalSpan(spanRow({ ...run, 'ai.operationId': 'ai.embedMany.doEmbed', 'ai.usage.tokens': '12' }))).toMatchObject({
      category: 'embedding', usage: { input: 12 },
    });
    expect(toCanonicalSpan(spanRow({ ...run, 'ai.operationId': 'ai.embedMany', 'ai.usage.tokens': '12' }))).toMatchObject({ category: 'other', usage: null });
  });
});

describe('AI SDK spans re-exported by other instrumentations', () => {
  it('still tell the run from the call by ai.operationId when OpenLLMetry or OpenInference keys are added', () => {
    const extra = { 'traceloop.workflow.name': 'w', 'openinference.span.kind': 'LLM', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.prompt_tokens': '590' };
    expect(toCanonicalSpan(spanRow({ ...run, ...extra, 'ai.operationId': 'ai.generateText', 'ai.usage.inputTokens': '590' })))
      .toMatchObject({ dialect: 'vercel-ai', category: 'agent', usage: null });
    expect(toCanonicalSpan(spanRow({ ...run, ...extra, 'ai.operationId': 'ai.generateText.doGenerate', 'ai.usage.inputTokens': '590' })))
      .toMatchObject({ dialect: 'vercel-ai', category: 'llm', usage: { input: 590 } });
  });
});

describe('Vercel AI SDK reader (v7 GenAI spans)', () => {
  const context = { 'ai.settings.context.sessionId': 'sess-7', 'ai.settings.context.userId': 'user-7' };

  it('reads invoke_agent as GenAI plus session and user from the context settings', () => {
    const span = toCanonicalSpan(spanRow({
      ...context, 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'weather-assistant', 'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': '590',
    }, { name: 'invoke_agent gpt-4o-mini' }));
    expect(span).toMatchObject({
      dialect: 'vercel-ai', category: 'agent', agentName: 'weather-assistant', conversationId: 'sess-7', userId: 'user-7', usage: null,
    });
  });

  it('reads the non-standard agent_step as a step, not a call', () => {
    expect(toCanonicalSpan(spanRow({ ...context, 'gen_ai.operation.name': 'agent_step' }))).toMatchObject({ category: 'other', operation: 'agent_step' });
  });
});
