import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { GEN_AI, GENERAL } from '@agentflow/schemas';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgentTracker, instrumentAnthropic } from '../src/index.js';
import { installTracing, parentId } from './support/otel.js';
import { startFakeServer, type FakeReply, type FakeServer, type ReceivedRequest } from './support/fake-server.js';

const tracing = installTracing();
beforeEach(() => tracing.exporter.reset());

const MODEL = 'claude-test-4';
const RESPONSE_MODEL = 'claude-test-4-20260101';
/** Anthropic's input_tokens excludes the cache: 50 uncached + 200 read + 30 written = 280 input tokens. */
const USAGE = { input_tokens: 50, cache_creation_input_tokens: 30, cache_read_input_tokens: 200, output_tokens: 42, service_tier: 'standard' };

function event(type: string, data: Record<string, unknown>): { event: string; data: unknown } {
  return { event: type, data: { type, ...data } };
}

/** The Messages API as it answers: JSON, or the SSE event sequence with usage in message_start and message_delta. */
function messages(request: ReceivedRequest): FakeReply {
  const body = request.body;
  if (body['model'] === 'overloaded') {
    return { status: 529, json: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } };
  }
  const wantsTool = Array.isArray(body['tools']);
  if (body['stream'] !== true) {
    const content = wantsTool
      ? [{ type: 'text', text: 'Searching.' }, { type: 'tool_use', id: 'toolu_1', name: 'search', input: { q: 'otel' } }]
      : [{ type: 'text', text: 'Hi there' }];
    return {
      json: {
        id: 'msg_01', type: 'message', role: 'assistant', model: RESPONSE_MODEL, content,
        stop_reason: wantsTool ? 'tool_use' : 'end_turn', stop_sequence: null, usage: USAGE,
      },
    };
  }
  const start = event('message_start', {
    message: {
      id: 'msg_stream', type: 'message', role: 'assistant', model: RESPONSE_MODEL, content: [], stop_reason: null, stop_sequence: null,
      usage: { ...USAGE, output_tokens: 1 },
    },
  });
  const text = [
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    { event: 'ping', data: { type: 'ping' } },
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hel' } }),
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'lo' } }),
    event('content_block_stop', { index: 0 }),
  ];
  const tool = wantsTool
    ? [
      event('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_9', name: 'search', input: {} } }),
      event('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"q":' } }),
      event('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '"otel"}' } }),
      event('content_block_stop', { index: 1 }),
    ]
    : [];
  return {
    sse: [
      start, ...text, ...tool,
      event('message_delta', { delta: { stop_reason: wantsTool ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 42 } }),
      event('message_stop', {}),
    ],
  };
}

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeServer(messages);
});
afterAll(async () => server.close());

function client(options: { openTelemetry?: false } = {}): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0, ...options });
}

const REQUEST = {
  model: MODEL,
  max_tokens: 512,
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'Say hello' }],
};

const EXPECTED_USAGE = {
  [GEN_AI.USAGE_INPUT_TOKENS]: 280,
  [GEN_AI.USAGE_OUTPUT_TOKENS]: 42,
  [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: 200,
  [GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS]: 30,
};

describe('instrumentAnthropic', () => {
  it('records a non-streamed call as one chat span, input tokens including the cache', async () => {
    const anthropic = instrumentAnthropic(client());
    const message = await anthropic.messages.create(REQUEST);
    expect(message.content[0]).toEqual({ type: 'text', text: 'Hi there' });
    // The SDK's own span for the call is off: exactly one span per call.
    expect(tracing.spans().map((s) => s.name)).toEqual(['chat claude-test-4']);
    const span = tracing.span('chat claude-test-4');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual({
      [GEN_AI.OPERATION_NAME]: 'chat',
      [GEN_AI.PROVIDER_NAME]: 'anthropic',
      [GEN_AI.REQUEST_MODEL]: MODEL,
      [GEN_AI.REQUEST_MAX_TOKENS]: 512,
      [GEN_AI.RESPONSE_MODEL]: RESPONSE_MODEL,
      [GEN_AI.RESPONSE_ID]: 'msg_01',
      ...EXPECTED_USAGE,
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['end_turn'],
    });
  });

  it('needs the SDK’s own span turned off: an uninstrumented client records one of its own', async () => {
    await client().messages.create(REQUEST);
    expect(tracing.spans().map((s) => s.name)).toEqual(['anthropic.messages.create']);
  });

  it('records a streamed call when the stream ends, with the usage of message_start and message_delta', async () => {
    const anthropic = instrumentAnthropic(client());
    const stream = await anthropic.messages.create({ ...REQUEST, stream: true });
    let text = '';
    for await (const e of stream) {
      if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
      expect(tracing.spans()).toHaveLength(0);
    }
    expect(text).toBe('Hello');
    const span = tracing.span('chat claude-test-4');
    expect(span.attributes).toMatchObject({
      [GEN_AI.RESPONSE_MODEL]: RESPONSE_MODEL,
      [GEN_AI.RESPONSE_ID]: 'msg_stream',
      ...EXPECTED_USAGE,
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['end_turn'],
    });
  });

  it('records calls made through the SDK stream() helper', async () => {
    const anthropic = instrumentAnthropic(client());
    const final = await anthropic.messages.stream(REQUEST).finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Hello' });
    expect(tracing.spans().map((s) => s.name)).toEqual(['chat claude-test-4']);
    expect(tracing.span('chat claude-test-4').attributes).toMatchObject(EXPECTED_USAGE);
  });

  it('captures system instructions and input and output messages, streamed tool input included', async () => {
    const tracker = createAgentTracker({ captureContent: true });
    const anthropic = instrumentAnthropic(client({ openTelemetry: false }), tracker);
    const tools = [{ name: 'search', input_schema: { type: 'object' as const } }];
    await anthropic.messages.create({ ...REQUEST, tools });
    const stream = await anthropic.messages.create({ ...REQUEST, tools, stream: true });
    for await (const _ of stream) void _;
    const [plain, streamed] = tracing.spans();
    expect(JSON.parse(String(plain!.attributes[GEN_AI.SYSTEM_INSTRUCTIONS]))).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(JSON.parse(String(plain!.attributes[GEN_AI.INPUT_MESSAGES]))).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Say hello' }] }]);
    expect(JSON.parse(String(plain!.attributes[GEN_AI.OUTPUT_MESSAGES]))).toEqual([{
      role: 'assistant',
      parts: [{ type: 'text', content: 'Searching.' }, { type: 'tool_call', id: 'toolu_1', name: 'search', arguments: { q: 'otel' } }],
      finish_reason: 'tool_use',
    }]);
    expect(JSON.parse(String(streamed!.attributes[GEN_AI.OUTPUT_MESSAGES]))).toEqual([{
      role: 'assistant',
      parts: [{ type: 'text', content: 'Hello' }, { type: 'tool_call', id: 'toolu_9', name: 'search', arguments: { q: 'otel' } }],
      finish_reason: 'tool_use',
    }]);
  });

  it('records API errors with their class as error.type and rethrows them', async () => {
    const anthropic = instrumentAnthropic(client());
    await expect(anthropic.messages.create({ ...REQUEST, model: 'overloaded' })).rejects.toBeInstanceOf(Anthropic.APIError);
    const span = tracing.span('chat overloaded');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[GENERAL.ERROR_TYPE]).toBe('OverloadedError');
  });

  it('parents the call on the active session span', async () => {
    const tracker = createAgentTracker();
    const anthropic = instrumentAnthropic(client(), tracker);
    await tracker.runSession({ agentName: 'critic' }, () => anthropic.messages.create(REQUEST));
    expect(parentId(tracing.span('chat claude-test-4'))).toBe(tracing.span('invoke_agent critic').spanContext().spanId);
  });
});
