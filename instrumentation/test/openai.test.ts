import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AGENTFLOW, GEN_AI, GENERAL } from '@agentflow/schemas';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgentTracker, instrumentOpenAI } from '../src/index.js';
import { installTracing, parentId } from './support/otel.js';
import { startFakeServer, type FakeReply, type FakeServer, type ReceivedRequest } from './support/fake-server.js';

const tracing = installTracing();
beforeEach(() => tracing.exporter.reset());

const RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';
const USAGE = {
  prompt_tokens: 1200,
  completion_tokens: 45,
  total_tokens: 1245,
  prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 12, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};

function chunk(choices: unknown[], extra: Record<string, unknown> = {}): { data: unknown } {
  return { data: { id: 'chatcmpl-stream-1', object: 'chat.completion.chunk', created: 1_760_000_000, model: RESPONSE_MODEL, system_fingerprint: 'fp_1', choices, ...extra } };
}

/** Chat Completions as the API answers them: JSON, or SSE chunks with usage last when asked for. */
function chatCompletions(request: ReceivedRequest): FakeReply {
  const body = request.body;
  if (body['model'] === 'no-such-model') {
    return { status: 404, json: { error: { message: 'The model `no-such-model` does not exist', type: 'invalid_request_error', param: null, code: 'model_not_found' } } };
  }
  const wantsTool = Array.isArray(body['tools']);
  if (body['stream'] !== true) {
    const message = wantsTool
      ? { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'search', arguments: '{"q":"otel"}' } }] }
      : { role: 'assistant', content: 'Hello there', refusal: null };
    return {
      json: {
        id: 'chatcmpl-1', object: 'chat.completion', created: 1_760_000_000, model: RESPONSE_MODEL, system_fingerprint: 'fp_1',
        choices: [{ index: 0, message, logprobs: null, finish_reason: wantsTool ? 'tool_calls' : 'stop' }],
        usage: USAGE,
      },
    };
  }
  const includeUsage = (body['stream_options'] as { include_usage?: boolean } | undefined)?.include_usage === true;
  const usageField = includeUsage ? { usage: null } : {};
  const events = wantsTool
    ? [
      chunk([{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'search', arguments: '' } }] }, finish_reason: null }], usageField),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] }, finish_reason: null }], usageField),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"otel"}' } }] }, finish_reason: null }], usageField),
      chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }], usageField),
    ]
    : [
      chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], usageField),
      chunk([{ index: 0, delta: { content: 'Hel' }, logprobs: null, finish_reason: null }], usageField),
      chunk([{ index: 0, delta: { content: 'lo' }, logprobs: null, finish_reason: null }], usageField),
      chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], usageField),
    ];
  if (includeUsage) events.push(chunk([], { usage: USAGE }));
  return { sse: [...events, { data: '[DONE]' }] };
}

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeServer(chatCompletions);
});
afterAll(async () => server.close());

function client(): OpenAI {
  return new OpenAI({ apiKey: 'test-key', baseURL: `${server.url}/v1`, maxRetries: 0 });
}

const MESSAGES = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Say hello' },
];

describe('instrumentOpenAI', () => {
  it('records a non-streamed call as a chat span with model, usage and finish reasons', async () => {
    const openai = instrumentOpenAI(client());
    const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, temperature: 0.3, max_tokens: 100 });
    expect(completion.choices[0]?.message.content).toBe('Hello there');
    const span = tracing.span('chat gpt-4o-mini');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toEqual({
      [GEN_AI.OPERATION_NAME]: 'chat',
      [GEN_AI.PROVIDER_NAME]: 'openai',
      [GEN_AI.REQUEST_MODEL]: 'gpt-4o-mini',
      [GEN_AI.REQUEST_TEMPERATURE]: 0.3,
      [GEN_AI.REQUEST_MAX_TOKENS]: 100,
      [GEN_AI.RESPONSE_MODEL]: RESPONSE_MODEL,
      [GEN_AI.RESPONSE_ID]: 'chatcmpl-1',
      [GEN_AI.USAGE_INPUT_TOKENS]: 1200,
      [GEN_AI.USAGE_OUTPUT_TOKENS]: 45,
      [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: 1024,
      [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: 12,
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['stop'],
    });
  });

  it('records a streamed call when the stream ends, with the usage of the last chunk', async () => {
    const openai = instrumentOpenAI(client());
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, stream: true, stream_options: { include_usage: true },
    });
    let text = '';
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? '';
      expect(tracing.spans()).toHaveLength(0);
    }
    expect(text).toBe('Hello');
    const span = tracing.span('chat gpt-4o-mini');
    expect(span.attributes).toMatchObject({
      [GEN_AI.RESPONSE_MODEL]: RESPONSE_MODEL,
      [GEN_AI.RESPONSE_ID]: 'chatcmpl-stream-1',
      [GEN_AI.USAGE_INPUT_TOKENS]: 1200,
      [GEN_AI.USAGE_OUTPUT_TOKENS]: 45,
      [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: 1024,
      [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: 12,
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['stop'],
    });
    expect(span.attributes[GEN_AI.OUTPUT_MESSAGES]).toBeUndefined();
  });

  it('records a stream without usage when include_usage was not requested', async () => {
    const openai = instrumentOpenAI(client());
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true });
    for await (const _ of stream) void _;
    const span = tracing.span('chat gpt-4o-mini');
    expect(span.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBeUndefined();
    expect(span.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['stop']);
    expect(server.requests.at(-1)?.body['stream_options']).toBeUndefined();
  });

  it('captures input and output messages, streamed tool calls included, when the tracker captures content', async () => {
    const tracker = createAgentTracker({ captureContent: true });
    const openai = instrumentOpenAI(client(), tracker);
    const tools = [{ type: 'function' as const, function: { name: 'search', parameters: { type: 'object' } } }];
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, tools, stream: true });
    for await (const _ of stream) void _;
    const [plain, streamed] = tracing.spans();
    expect(JSON.parse(String(plain!.attributes[GEN_AI.INPUT_MESSAGES]))).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Say hello' }] },
    ]);
    expect(JSON.parse(String(plain!.attributes[GEN_AI.OUTPUT_MESSAGES]))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hello there' }], finish_reason: 'stop' },
    ]);
    expect(JSON.parse(String(streamed!.attributes[GEN_AI.OUTPUT_MESSAGES]))).toEqual([
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_9', name: 'search', arguments: { q: 'otel' } }], finish_reason: 'tool_calls' },
    ]);
    expect(streamed!.attributes[GEN_AI.RESPONSE_FINISH_REASONS]).toEqual(['tool_calls']);
  });

  it('records API errors with their class as error.type and rethrows them', async () => {
    const openai = instrumentOpenAI(client());
    const failure = openai.chat.completions.create({ model: 'no-such-model', messages: MESSAGES });
    await expect(failure).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const span = tracing.span('chat no-such-model');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[GENERAL.ERROR_TYPE]).toBe('NotFoundError');
    expect(span.events.map((e) => e.name)).toEqual([GENERAL.EXCEPTION_EVENT]);
  });

  it('parents the call on the active session, takes its retry mark, and keeps withResponse()', async () => {
    const tracker = createAgentTracker();
    const openai = instrumentOpenAI(client(), tracker);
    const { data, response } = await tracker.runSession({ agentName: 'writer' }, (session) => {
      session.retry(2);
      return openai.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }).withResponse();
    });
    expect(data.id).toBe('chatcmpl-1');
    expect(response.status).toBe(200);
    const llm = tracing.span('chat gpt-4o-mini');
    expect(parentId(llm)).toBe(tracing.span('invoke_agent writer').spanContext().spanId);
    expect(llm.attributes[AGENTFLOW.RETRY_ATTEMPT]).toBe(2);
    expect(llm.attributes[GEN_AI.USAGE_INPUT_TOKENS]).toBe(1200);
  });

  it('ends the span of a stream left early, and wraps a client only once', async () => {
    const openai = instrumentOpenAI(instrumentOpenAI(client()));
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true });
    for await (const _ of stream) break;
    const span = tracing.span('chat gpt-4o-mini');
    expect(span.ended).toBe(true);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records calls made through the SDK stream() helper', async () => {
    const openai = instrumentOpenAI(client());
    const runner = openai.chat.completions.stream({ model: 'gpt-4o-mini', messages: MESSAGES, stream_options: { include_usage: true } });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Hello');
    expect(tracing.span('chat gpt-4o-mini').attributes[GEN_AI.USAGE_OUTPUT_TOKENS]).toBe(45);
  });
});
